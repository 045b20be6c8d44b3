// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Presse",
    products: [
        .executable(name: "presse", targets: ["PresseCLI"]),
        .library(name: "Presse", targets: ["Presse"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // The C bridge: a plain-C header over Xapian (indexing, stemming, query parsing,
        // snippets, compaction) and CLD2 (language identification), implemented in C++.
        // Every entry point catches every exception; nothing C++ crosses into Swift. zstd
        // compresses releases' stored text (release_data.h); zlib inflates Word files; cmark
        // reads Markdown (a C library: Ink, the Swift package used before, brought Foundation
        // into every process). libxml2 (HTML, Word files, PDFs'
        // text) is loaded when first needed (xml_library.h), not linked: with the ICU
        // libraries it brings, it was a fifth of every process's start-up; only its headers
        // are used at build time, where Debian's libxml2-dev puts them.
        .target(
            name: "CXapian",
            cxxSettings: [.unsafeFlags(["-I/usr/include/libxml2"])],
            linkerSettings: [
                .linkedLibrary("xapian"), .linkedLibrary("cld2"), .linkedLibrary("zstd"), .linkedLibrary("z"),
                .linkedLibrary("cmark"), .linkedLibrary("dl"),
                .linkedLibrary("stdc++"),
            ]
        ),
        // The engine: ingest, language, passages, index and search.
        .target(name: "Presse", dependencies: ["CXapian"]),
        // The `presse` command line: one file per subcommand, logic in the library.
        .executableTarget(
            name: "PresseCLI",
            dependencies: ["Presse", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .testTarget(name: "PresseTests", dependencies: ["Presse", "CXapian"]),
        .testTarget(name: "PresseCLITests", dependencies: ["Presse"]),
    ],
    cxxLanguageStandard: .cxx17
)
