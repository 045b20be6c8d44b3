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
        // compresses releases' stored text (release_data.h). zlib inflates Word files;
        // libxml2 already loads it into every process, so linking it adds nothing to a
        // search's start-up. cmark reads Markdown (a C library: Swift's Markdown packages
        // bring Foundation, whose loading was a third of a one-shot search's time).
        .target(
            name: "CXapian",
            dependencies: ["CLibXML2"],
            linkerSettings: [
                .linkedLibrary("xapian"), .linkedLibrary("cld2"), .linkedLibrary("zstd"), .linkedLibrary("z"),
                .linkedLibrary("cmark"),
                .linkedLibrary("stdc++"),
            ]
        ),
        // libxml2's HTML parser, which recovers from real-world markup as browsers do; used by
        // the bridge only (its headers bring the system's ICU, which clashes with Foundation's
        // in a Swift module that sees both).
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
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
