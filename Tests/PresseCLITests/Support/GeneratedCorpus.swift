// A generated corpus for the concurrency tests: thousands of small releases in English,
// French and German, built from the sample releases' sentences, each with a token of its own.
import Foundation

struct GeneratedCorpus {
    /// The folder of releases.
    let folder: URL
    let count: Int
    /// A word every generated release holds once.
    static let commonToken = "presseprobe"

    /// The word only release `number` holds: digits inside, so that no stemmer can make two
    /// of them one ("qzaaaps" and "qzaaape" both stem to "qzaaap" in English).
    static func token(_ number: Int) -> String {
        "qz" + String(format: "%05d", number) + "k"
    }

    func file(_ number: Int) -> URL { folder.appendingPathComponent(String(format: "release-%05d.txt", number)) }

    /// Writes `count` releases into `folder` (made if missing).
    static func make(in folder: URL, count: Int, seed: UInt64 = 7) throws -> GeneratedCorpus {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let pools = try sentencePools()
        let corpus = GeneratedCorpus(folder: folder, count: count)
        var random = SeededRandom(seed: seed)
        let names = ["en", "fr", "de"]
        for number in 0..<count {
            let language = names[number % 3]
            let pool = pools[language]!
            var body = ""
            while body.utf8.count < 500 {
                body += (body.isEmpty ? "" : " ") + pool[Int(random.next() % UInt64(pool.count))]
            }
            let text = """
                Release \(number): \(token(number))

                \(body) \(commonToken) \(token(number)).

                """
            try Data(text.utf8).write(to: corpus.file(number))
        }
        return corpus
    }

    /// Sentences of the sample releases by language.
    static func sentencePools() throws -> [String: [String]] {
        func text(_ name: String) throws -> String {
            try String(contentsOf: PresseCLI.corpusFolder.appendingPathComponent(name), encoding: .utf8)
        }
        func sentences(_ text: String) -> [String] {
            text.split(separator: "\n").flatMap { $0.components(separatedBy: ". ") }
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.count >= 40 && $0.count <= 400 }
                .map { $0.hasSuffix(".") || $0.hasSuffix("!") || $0.hasSuffix("?") ? $0 : $0 + "." }
        }
        let munich = try text("002_c79c31d9bc64ada6.txt")
        guard let german = munich.range(of: "Über die BioM") else { throw SandboxError("002 has no German part") }
        let pools = [
            "en": try ["000_f5fcedb73f7cb6a5.txt", "001_d92cbe41fad504f3.txt", "004_2ded532425e893fb.txt"].flatMap { sentences(try text($0)) }
                + sentences(String(munich[..<german.lowerBound])),
            "fr": sentences(try text("003_e2dcaa9c9b2fc9a4.txt")),
            "de": sentences(String(munich[german.lowerBound...])),
        ]
        for (language, pool) in pools where pool.count < 3 {
            throw SandboxError("too few \(language) sentences in the samples: \(pool.count)")
        }
        return pools
    }
}
