import Foundation
import XCTest

/// Issue 4: a folder of releases with bad files among them is indexed, the bad ones skipped
/// and named, the odd-but-readable ones (Latin-1, one huge line) indexed properly.
final class BadInputTests: XCTestCase {
    private var sandbox: Sandbox!

    override func tearDown() {
        sandbox?.remove()
        sandbox = nil
    }

    /// A French release in ISO-8859-1.
    static let latin1Text = """
        Coopération régionale à Montréal

        La coopération régionale à Montréal a été renforcée cet été par un accord entre les entreprises \
        de la région, les universités et les hôpitaux du Québec. Les partenaires se réuniront à nouveau \
        à la fin de l'été pour préparer les premières missions communes en Europe.

        """

    static let bigMarker = "hippopotamusbigfile"

    /// About 6 MB of words separated by spaces: no newline, no sentence punctuation; words
    /// none of the other releases' queries match.
    static func bigLine() throws -> Data {
        let words = ["river", "stone", "window", "garden", "bright", "quiet", "morning", "table", "yellow", "music",
                     "bicycle", "lantern", "meadow", "pepper", "harvest", "silver", "tunnel", "orchard", "candle", "violet",
                     "Fluss", "Stein", "Fenster", "Garten", "Brücke", "rivière", "pierre", "fenêtre", "jardin", "été"]
        var random = SeededRandom(seed: 4)
        var bytes = [UInt8]()
        bytes.reserveCapacity(6_400_000)
        var count = 0
        while bytes.count < 6 * 1_048_576 {
            if !bytes.isEmpty { bytes.append(0x20) }
            count += 1
            let word = count == 300_000 ? bigMarker : words[Int(random.next() % UInt64(words.count))]
            bytes.append(contentsOf: word.utf8)
        }
        return Data(bytes)
    }

    /// PNG-like bytes: the signature, NULs, and noise.
    static func binaryBytes() -> Data {
        var bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52]
        var random = SeededRandom(seed: 9)
        for index in 0..<4_000 { bytes.append(index % 7 == 0 ? 0 : UInt8(truncatingIfNeeded: random.next())) }
        return Data(bytes)
    }

    private func makeFolder() throws {
        sandbox = try Sandbox("presse-badinput")
        try sandbox.copySamples(to: "corpus")
        try sandbox.write("corpus/latin1.txt", try XCTUnwrap(Self.latin1Text.data(using: .isoLatin1)))
        try sandbox.write("corpus/image.txt", Self.binaryBytes())
        try sandbox.write("corpus/empty.txt", Data())
        try sandbox.write("corpus/blank.txt", " \n\n\t  \r\n   \n")
        try sandbox.write("corpus/big.txt", try Self.bigLine())
        try sandbox.folder("corpus/dir")
        try FileManager.default.createSymbolicLink(atPath: sandbox.url("corpus/dir/loop").path, withDestinationPath: "..")
    }

    func testFolderWithBadFiles() throws {
        try makeFolder()
        let result = try sandbox.run("index", "--index", sandbox.index.path, "corpus")
        XCTAssertTrue(result.exited(4), "some files skipped: exit 4 (\(result))")
        assertMessagesArePresse(result)
        let skipped = result.stderrLines.filter { $0.hasPrefix("presse: skipped ") }
        for name in ["image.txt", "empty.txt", "blank.txt"] {
            XCTAssertTrue(skipped.contains { $0.contains("corpus/\(name):") }, "\(name) is named as skipped: \(result.stderr)")
        }
        for name in PresseCLI.sampleNames + ["latin1.txt", "big.txt"] {
            XCTAssertFalse(skipped.contains { $0.contains(name) }, "\(name) is not skipped: \(result.stderr)")
        }
        let counts = summaryCounts(result)
        XCTAssertEqual(counts["added"], 7, "5 samples, the Latin-1 release and the big file: \(result)")
        XCTAssertEqual(counts["skipped"], skipped.count, "the summary counts the skipped files it names")
        XCTAssertEqual(try stats(sandbox).releases, 7, "each release once, the symbolic-link loop notwithstanding")

        // The Latin-1 release, with and without accents, shown as proper text.
        for query in ["régionale", "regionale"] {
            let (found, output) = try searchJSON(sandbox, [query])
            XCTAssertTrue(found.exited(0), "\(query): \(found)")
            let hit = try XCTUnwrap(output.hits.first)
            XCTAssertEqual(sandbox.absolute(hit.path), sandbox.url("corpus/latin1.txt").path)
            XCTAssertEqual(hit.title, "Coopération régionale à Montréal", "the title decoded from Latin-1")
            XCTAssertTrue(hit.passage.contains("a été renforcée cet été"), "the passage decoded from Latin-1: \(hit.passage)")
            XCTAssertEqual(hit.lang, "fr")
            let words = hit.highlightedWords.compactMap { $0 }
            XCTAssertTrue(words.contains("régionale"), "highlights \(words)")
        }

        // Every sample release is there.
        let distinctive = ["BioEurope": "000_f5fcedb73f7cb6a5.txt", "Emilia": "001_d92cbe41fad504f3.txt",
                           "Domdey": "002_c79c31d9bc64ada6.txt", "Lyonbiopôle": "003_e2dcaa9c9b2fc9a4.txt",
                           "MedCity": "004_2ded532425e893fb.txt"]
        for (word, name) in distinctive {
            let (found, output) = try searchJSON(sandbox, [word])
            XCTAssertTrue(found.exited(0), "\(word): \(found)")
            XCTAssertEqual(output.hits.map { URL(fileURLWithPath: $0.path).lastPathComponent }, [name], word)
        }

        // The 6 MB line: indexed, found, cut into passages of at most 1,500 bytes (README, "How
        // it works"), each cut at the last space before that limit rather than in small pieces.
        let maximum = 1_500
        let (foundBig, bigOutput) = try searchJSON(sandbox, [Self.bigMarker])
        XCTAssertTrue(foundBig.exited(0), "a word in the middle of the 6 MB line is found: \(foundBig)")
        XCTAssertEqual(bigOutput.hits.first.map { sandbox.absolute($0.path) }, sandbox.url("corpus/big.txt").path)
        if let hit = bigOutput.hits.first {
            XCTAssertLessThanOrEqual(hit.passage.utf8.count, maximum, "a hit in the big file shows a bounded passage")
            XCTAssertTrue(hit.passage.contains(Self.bigMarker), "the hit is the passage that holds the word")
        }
        let inspected = try XCTUnwrap(try inspect(sandbox, ["corpus/big.txt"]).first)
        XCTAssertGreaterThan(inspected.passages.count, 6 * 1_048_576 / maximum)
        let longest = inspected.passages.map { $0.text.utf8.count }.max() ?? 0
        XCTAssertLessThanOrEqual(longest, maximum, "every passage of the big file is at most \(maximum) bytes")
        for passage in inspected.passages.dropLast() where passage.end - passage.start < maximum - 40 {
            XCTFail("passage \(passage.start)..<\(passage.end) was cut \(passage.end - passage.start) bytes long, not at the last space before \(maximum)")
            break
        }
        let covered = inspected.passages.reduce(0) { $0 + $1.text.utf8.count }
        XCTAssertGreaterThan(covered, 6_000_000, "the passages cover the whole line, bar the spaces between them")
    }

    func testLatin1ReleaseInspected() throws {
        sandbox = try Sandbox("presse-badinput")
        try sandbox.write("latin1.txt", try XCTUnwrap(Self.latin1Text.data(using: .isoLatin1)))
        let output = try XCTUnwrap(try inspect(sandbox, ["latin1.txt"]).first)
        XCTAssertEqual(output.title, "Coopération régionale à Montréal")
        XCTAssertEqual(Set(output.passages.map(\.lang)), ["fr"])
        XCTAssertTrue(output.passages.contains { $0.text.contains("hôpitaux du Québec") }, "\(output.passages.map(\.text))")
    }

    func testBadFilesGivenToAdd() throws {
        sandbox = try Sandbox("presse-badinput")
        let good = try sandbox.copySamples(to: "corpus", only: ["002_c79c31d9bc64ada6.txt"])
        try sandbox.write("image.txt", Self.binaryBytes())
        try sandbox.write("empty.txt", Data())
        try sandbox.folder("folder")
        let result = try sandbox.run(["add", "--index", sandbox.index.path, "image.txt", "empty.txt", "folder"] + good.map(\.path))
        XCTAssertTrue(result.exited(4), "\(result)")
        assertMessagesArePresse(result)
        for name in ["image.txt", "empty.txt", "folder"] {
            XCTAssertTrue(result.stderrLines.contains { $0.hasPrefix("presse: skipped ") && $0.contains(name) }, "\(name): \(result)")
        }
        assertSummary(result, added: 1, replaced: 0, removed: 0, unchanged: 0, skipped: 3)
        XCTAssertEqual(try stats(sandbox).releases, 1)

        let inspected = try sandbox.run("inspect", "--json", "image.txt")
        XCTAssertTrue(inspected.exited(4), "inspect skips a binary file: \(inspected)")
        XCTAssertEqual(inspected.stdout, "")
        XCTAssertEqual(inspected.stderrLines.count, 1, "\(inspected)")
        assertMessagesArePresse(inspected)
    }

    func testOversizedFileIsSkipped() throws {
        // A sparse file over the 256 MB a release may have: skipped and named, the rest indexed.
        sandbox = try Sandbox("presse-badinput")
        try sandbox.copySamples(to: "corpus", only: ["002_c79c31d9bc64ada6.txt"])
        let huge = sandbox.url("corpus/huge.txt")
        FileManager.default.createFile(atPath: huge.path, contents: Data("Osaka ".utf8))
        XCTAssertEqual(truncate(huge.path, off_t(257) << 20), 0)
        let result = try sandbox.run(["index", "--index", sandbox.index.path, "corpus"], timeout: 120)
        XCTAssertTrue(result.exited(4), "\(result)")
        XCTAssertTrue(result.stderrLines.contains { $0.hasPrefix("presse: skipped ") && $0.contains("huge.txt") }, "\(result)")
        assertMessagesArePresse(result)
        XCTAssertEqual(try stats(sandbox).releases, 1)
    }

    func testSkippedFileWithLineBreakInItsName() throws {
        // "Every error is one line": a file name holding a line break must not split it.
        sandbox = try Sandbox("presse-badinput")
        try sandbox.copySamples(to: "corpus", only: ["002_c79c31d9bc64ada6.txt"])
        try sandbox.write("corpus/bad\nname.txt", Self.binaryBytes())
        let result = try sandbox.run("index", "--index", sandbox.index.path, "corpus")
        XCTAssertTrue(result.exited(4), "\(result)")
        XCTAssertEqual(result.stderrLines.count, 1, "one skipped file, one line: \(result)")
        assertMessagesArePresse(result)
    }

    func testUnreadableFile() throws {
        try XCTSkipIf(getuid() == 0, "root reads every file: an unreadable file cannot be made")
        sandbox = try Sandbox("presse-badinput")
        try sandbox.copySamples(to: "corpus")
        let secret = try sandbox.write("corpus/secret.txt", "A release nobody may read, about Osaka.\n")
        XCTAssertEqual(chmod(secret.path, 0), 0)
        let result = try sandbox.run("index", "--index", sandbox.index.path, "corpus")
        XCTAssertTrue(result.exited(4), "\(result)")
        XCTAssertTrue(result.stderrLines.contains { $0.hasPrefix("presse: skipped ") && $0.contains("secret.txt") }, "\(result)")
        assertMessagesArePresse(result)
        XCTAssertEqual(try stats(sandbox).releases, 5)
    }
}

/// SplitMix64: a small deterministic generator, so fixtures and fuzz runs repeat exactly.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
