import Foundation
@testable import Presse

/// PDFs and Word files written by real writers for the tests (Tests/Fixtures/write_documents.py:
/// ReportLab and python-docx, run by Debian's /usr/bin/python3; scripts/install-deps installs
/// them), and zip bombs.
enum DocumentWriter {
    enum Style: String { case title, heading, body, picture }

    struct Document {
        var path: String
        var title: String?
        var created: String?
        var paragraphs: [(Style, String)]
        var password: String? = nil
    }

    static func pdf(_ documents: [Document]) throws { try run(documents.map { spec("pdf", $0) }) }
    static func docx(_ documents: [Document]) throws { try run(documents.map { spec("docx", $0) }) }

    /// A .docx whose word/document.xml inflates to `inflatedMB` (from a file ~1,000 times
    /// smaller): whitespace between its elements, or (`inText`) one run's text.
    static func zipBomb(path: String, inflatedMB: Int, inText: Bool = false) throws {
        try run([["kind": "zip-bomb", "path": path, "inflated_mb": inflatedMB, "in_text": inText]])
    }

    private static func spec(_ kind: String, _ document: Document) -> [String: Any] {
        ["kind": kind, "path": document.path, "title": document.title ?? NSNull(), "created": document.created ?? NSNull(),
         "paragraphs": document.paragraphs.map { [$0.0.rawValue, $0.1] }, "password": document.password ?? NSNull()]
    }

    private static func run(_ specs: [[String: Any]]) throws {
        for spec in specs {
            let path = spec["path"] as! String
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = [script]
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: specs))
        try input.fileHandleForWriting.close()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw PresseError(.invalidArgument, "write_documents.py failed: " + String(decoding: message, as: UTF8.self))
        }
    }

    static let script: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.path + "/Package.swift") { return url.path + "/Tests/Fixtures/write_documents.py" }
        }
        fatalError("package root not found")
    }()
}
