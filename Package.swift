// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Presse",
    products: [
        .executable(name: "presse", targets: ["PresseCLI"]),
        // `presse serve` execs it (ServeCommand.swift): the HTTP server is a binary of its own so
        // that SwiftNIO and Hummingbird add nothing to a one-shot `presse search` (README,
        // "presse serve").
        .executable(name: "presse-serve", targets: ["PresseServe"]),
        .library(name: "Presse", targets: ["Presse"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The server only. Without Hummingbird's default traits: no swift-configuration, no
        // full Foundation.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // The C bridge: a plain-C header over Xapian (indexing, stemming, query parsing,
        // snippets, compaction) and CLD2 (language identification), implemented in C++.
        // Every entry point catches every exception; nothing C++ crosses into Swift. zstd
        // compresses releases' stored text (release_data.h); zlib inflates Word files. cmark
        // reads Markdown (a C library: Ink, the Swift package used before, brought Foundation
        // into every process). cmark and libxml2 (HTML, Word files, PDFs' text) are loaded when
        // first needed (xml_library.h), not linked: libxml2, with the ICU libraries it brings,
        // was a fifth of every process's start-up, cmark 14 page faults of it; only their
        // headers are used at build time, where Debian's -dev packages put them.
        .target(
            name: "CXapian",
            cxxSettings: [.unsafeFlags(["-I/usr/include/libxml2"])],
            linkerSettings: [
                .linkedLibrary("xapian"), .linkedLibrary("cld2"), .linkedLibrary("zstd"), .linkedLibrary("z"),
                .linkedLibrary("dl"),
                .linkedLibrary("stdc++"),
            ]
        ),
        // The engine: ingest, language, passages, index and search.
        .target(name: "Presse", dependencies: ["CXapian"]),
        // The `presse` command line: one file per subcommand, logic in the library.
        // Linked as a fixed-address executable (not PIE): with the Swift runtime linked in
        // statically, a PIE's start-up rewrote 40,000 absolute pointers (R_X86_64_RELATIVE),
        // touching 2.4 MB of data pages — a fifth of a one-shot search's time (7.8 -> 6.0 ms
        // of CPU, 735 -> 615 page faults). The shared libraries (Xapian, libxml2, libc) keep
        // their random addresses; `presse-serve`, which faces the network, stays PIE. Release
        // builds only, made with `--static-swift-stdlib` (scripts/run, scripts/bench): against
        // the shared Swift libraries, the loader warns about each function whose address such
        // an executable takes.
        .executableTarget(
            name: "PresseCLI",
            dependencies: ["Presse", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            linkerSettings: [.unsafeFlags(["-Xlinker", "-no-pie"], .when(configuration: .release))]
        ),
        // `presse serve`: the JSON API and the search page over the library, on Hummingbird.
        // Its templates and assets are compiled into it (no bundle to find at run time).
        .target(
            name: "PresseServer",
            dependencies: [
                "Presse",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [
                .embedInCode("Templates/layout.mustache"),
                .embedInCode("Templates/search.mustache"),
                .embedInCode("Templates/release.mustache"),
                .embedInCode("Templates/error.mustache"),
                .embedInCode("Assets/presse.css"),
                .embedInCode("Assets/presse.js"),
                .embedInCode("Assets/openapi.json"),
            ]
        ),
        // The `presse-serve` binary: its command line, then the server.
        .executableTarget(
            name: "PresseServe",
            dependencies: ["PresseServer", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "PresseTests", dependencies: ["Presse", "CXapian"]),
        .testTarget(name: "PresseCLITests", dependencies: ["Presse"]),
    ],
    cxxLanguageStandard: .cxx17
)
