import Foundation
import XCTest

/// `presse inspect`: passages, their languages and offsets, without an index.
final class InspectTests: XCTestCase {
    private var sandbox: Sandbox!

    override func setUpWithError() throws {
        sandbox = try Sandbox("presse-inspect")
        try sandbox.copySamples(to: "corpus")
    }

    override func tearDown() {
        sandbox?.remove()
        sandbox = nil
    }

    private func release(_ name: String) -> URL { sandbox.url("corpus/\(name)") }

    /// Offsets are UTF-8 byte offsets into the file: its bytes at start..<end are the text.
    private func assertOffsets(_ output: InspectOutput, of file: URL, line: UInt = #line) throws {
        let bytes = try Data(contentsOf: file)
        var previousEnd = 0
        for (position, passage) in output.passages.enumerated() {
            XCTAssertTrue(previousEnd <= passage.start && passage.start < passage.end && passage.end <= bytes.count,
                          "passage \(position) at \(passage.start)..<\(passage.end) (file \(bytes.count) bytes, previous end \(previousEnd))",
                          line: line)
            guard passage.start >= 0, passage.start < passage.end, passage.end <= bytes.count else { continue }
            XCTAssertEqual(Data(bytes[passage.start..<passage.end]), Data(passage.text.utf8),
                           "passage \(position): the file's bytes at start..<end are its text", line: line)
            previousEnd = passage.end
        }
    }

    func testBilingualRelease() throws {
        let file = release("002_c79c31d9bc64ada6.txt")
        let outputs = try inspect(sandbox, ["corpus/002_c79c31d9bc64ada6.txt"])
        XCTAssertEqual(outputs.count, 1)
        let output = try XCTUnwrap(outputs.first)
        XCTAssertEqual(output.path, "corpus/002_c79c31d9bc64ada6.txt", "the path as given")
        XCTAssertEqual(output.title, "Osaka and Munich continue their successful partnership")
        XCTAssertGreaterThan(output.passages.count, 2)

        let germanStart = try XCTUnwrap(output.passages.firstIndex { $0.text.hasPrefix("Über die BioM") },
                                        "a passage starts with the German heading: \(output.passages.map { $0.text.prefix(30) })")
        XCTAssertGreaterThan(germanStart, 0)
        for (position, passage) in output.passages.enumerated() {
            XCTAssertEqual(passage.lang, position < germanStart ? "en" : "de",
                           "passage \(position) '\(passage.text.prefix(50))' is \(passage.lang)")
        }
        try assertOffsets(output, of: file)
    }

    func testFrenchRelease() throws {
        let file = release("003_e2dcaa9c9b2fc9a4.txt")
        let output = try XCTUnwrap(try inspect(sandbox, [file.path]).first)
        XCTAssertEqual(output.path, file.path)
        XCTAssertGreaterThan(output.passages.count, 1)
        for passage in output.passages {
            XCTAssertEqual(passage.lang, "fr", "'\(passage.text.prefix(50))' is \(passage.lang)")
        }
        try assertOffsets(output, of: file)
    }

    func testEveryReleaseOneLineInOrder() throws {
        let names = PresseCLI.sampleNames
        let outputs = try inspect(sandbox, names.map { "corpus/\($0)" })
        XCTAssertEqual(outputs.map(\.path), names.map { "corpus/\($0)" }, "one JSON line per file, in order")
        for (name, output) in zip(names, outputs) {
            XCTAssertFalse(output.passages.isEmpty, name)
            XCTAssertFalse(output.title.isEmpty, name)
            for passage in output.passages {
                XCTAssertTrue(["en", "fr", "de", "und"].contains(passage.lang), "\(name): \(passage.lang)")
            }
            try assertOffsets(output, of: release(name))
        }
        // The English-only releases are English throughout.
        for name in ["000_f5fcedb73f7cb6a5.txt", "001_d92cbe41fad504f3.txt", "004_2ded532425e893fb.txt"] {
            let output = try XCTUnwrap(outputs.first { $0.path.hasSuffix(name) })
            XCTAssertEqual(Set(output.passages.map(\.lang)), ["en"], name)
        }
    }

    /// The text output has a line a passage that shows what the JSON holds: its ordinal, its
    /// language, its byte offsets and its text (line breaks folded, cut at 97 characters).
    func testPlainTextOutput() throws {
        let name = "corpus/002_c79c31d9bc64ada6.txt"
        let result = try sandbox.run("inspect", name)
        XCTAssertTrue(result.exited(0), "\(result)")
        let json = try XCTUnwrap(try inspect(sandbox, [name]).first)
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(Array(lines.prefix(3)), [name, "  title: Osaka and Munich continue their successful partnership",
                                                "  format: text"], "\(result)")
        // No whole date in its text: the file's modification time dates it.
        XCTAssertEqual(lines.count > 3 ? lines[3] : "", "  date: \(json.date ?? "?") (file)", "\(result)")
        XCTAssertNotNil(json.date.flatMap { $0.wholeMatch(of: #/\d{4}-\d{2}-\d{2}/#) }, "\(json)")
        let passageLines = Array(lines.dropFirst(4).prefix { !$0.isEmpty })
        XCTAssertEqual(Array(lines.dropFirst(4 + passageLines.count)), ["", ""], "a blank line after the file: \(result)")
        XCTAssertEqual(passageLines.count, json.passages.count, "one line a passage: \(result)")
        var languages: [String] = []
        for (ordinal, (line, passage)) in zip(passageLines, json.passages).enumerated() {
            guard let match = line.wholeMatch(of: #/  \[(\d+)\] (\w+) +(\d+)-(\d+)  (.*)/#) else {
                XCTFail("not a passage line: \(line)")
                continue
            }
            let flat = String(passage.text.map { $0 == "\n" || $0 == "\t" ? " " : $0 })
            XCTAssertEqual(String(match.1), String(ordinal), line)
            XCTAssertEqual(String(match.2), passage.lang, "the passage's language: \(line)")
            XCTAssertEqual("\(match.3)-\(match.4)", "\(passage.start)-\(passage.end)", line)
            XCTAssertEqual(String(match.5), flat.count > 100 ? String(flat.prefix(97)) + "..." : flat, line)
            languages.append(String(match.2))
        }
        XCTAssertEqual(languages, ["en", "en", "en", "en", "de", "de", "de"], "the English release with its German \"Über die BioM\"")
    }

    func testMissingFile() throws {
        let result = try sandbox.run("inspect", "--json", "corpus/002_c79c31d9bc64ada6.txt", "corpus/none.txt")
        XCTAssertFalse(result.exited(0), "a missing file is an error: \(result)")
        XCTAssertTrue(result.exited(in: [3, 4]), "\(result)")
        XCTAssertEqual(result.stderrLines.count, 1, "\(result)")
        XCTAssertTrue(result.stderr.contains("none.txt"), "\(result)")
        assertMessagesArePresse(result)
        XCTAssertEqual(result.stdoutLines.count, 1, "the readable file is still inspected: \(result)")
    }
}
