import Foundation
@testable import Presse

/// A temporary folder that removes itself.
final class TemporaryFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "presse-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        write(name, bytes: Array(text.utf8))
    }

    @discardableResult
    func write(_ name: String, bytes: [UInt8]) -> String {
        let file = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                 withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: file, contents: Data(bytes))
        return file
    }
}

/// The sample releases shipped in Corpus/.
enum SampleCorpus {
    static let folder: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.path + "/Package.swift") { return url.path + "/Corpus" }
        }
        fatalError("package root not found")
    }()

    static func text(_ name: String) -> String {
        try! String(contentsOfFile: folder + "/" + name, encoding: .utf8)
    }

    static let munichOsaka = "002_c79c31d9bc64ada6.txt"
    static let bioXclusters = "003_e2dcaa9c9b2fc9a4.txt"
}
