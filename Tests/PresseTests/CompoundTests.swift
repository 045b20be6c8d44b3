import CXapian
import Foundation
import Testing

/// German compound splitting (compounds.cpp) through the bridge's cx_compound_parts: a
/// compound's parts, folded, without linking elements; nothing for a word that is no compound.
/// Needs Debian's wngerman word list, which scripts/install-deps installs.
struct CompoundTests {
    @Test func theWordListIsInstalled() {
        #expect(FileManager.default.fileExists(atPath: "/usr/share/dict/ngerman"),
                "install wngerman (scripts/install-deps): without it no compound splits")
    }

    @Test(arguments: [
        ("Firmengründung", ["firmen", "grundung"]),
        ("Firmengründungen", ["firmen", "grundungen"]),
        ("Biotechnologieunternehmen", ["biotechnologie", "unternehmen"]),
        ("Kooperationsvertrag", ["kooperation", "vertrag"]),  // linking -s-
        ("Kooperationsvertrages", ["kooperation", "vertrages"]),
        ("Forschungseinrichtungen", ["forschung", "einrichtungen"]),
        ("Lebensmittelindustrie", ["lebensmittel", "industrie"]),
        ("Partnerschaftsvertrag", ["partnerschaft", "vertrag"]),
        ("Datenbankverwaltung", ["datenbank", "verwaltung"]),
        ("Benutzeroberfläche", ["benutzer", "oberflache"]),
        ("Arbeitsplatz", ["arbeit", "platz"]),
        ("Tintenstrahldrucker", ["tinten", "strahl", "drucker"]),  // three parts
        ("Spieltisch", ["spiel", "tisch"]),
        ("FIRMENGRÜNDUNG", ["firmen", "grundung"]),  // folded and lowercased first
    ])
    func compoundsSplit(word: String, expected: [String]) throws {
        #expect(try compoundParts(word) == expected)
    }

    // Words that must stay whole, and why each is a trap:
    @Test(arguments: [
        "Verhandlung",     // no "verh" + "andlung": fragments are not words
        "Verhandlungen",
        "Beinhaltung",     // "beinhalten" + -ung, not "Bein" + "Haltung" (not listed itself)
        "Himbeere",        // "him" is no word; listed whole
        "Unternehmen",     // "unter" is a particle, never a first part
        "Unternehmens",
        "Bibliothek",
        "Zusammenarbeit",  // a particle verb's noun: "Arbeit" must not find every cooperation
        "Unterstützung",
        "Gesellschaft",    // "-schaft" is a suffix, never a head
        "Wissenschaft",
        "Partnerschaft",
        "möglicherweise",  // "-weise" likewise
        "thematische",     // an adjective: no "Thema" + "Tische"
        "amerikanischen",  // no "Amerika" + "Nischen"
        "vortragenden",    // a participle: no "Vortrag" + "Enden"
        "Generatoren",     // no "Genera" + "Toren"
        "Vereinbarung",
        "Entwicklung",
        "Haustür",         // 7 letters: short words never split
        "Übernahme",
        "München",
        "partnership",     // English: no parts in the German list
        "",
        "Firmen-Gründung", // not one word
    ])
    func wordsThatAreNoCompoundsStayWhole(word: String) throws {
        #expect(try compoundParts(word) == [])
    }

    @Test func aNullWordWithALengthIsAnInvalidArgument() {
        var out = cx_bytes(data: nil, length: 0)
        var error = cx_error(status: CX_OK, message: nil)
        defer { cx_bytes_free(&out); cx_error_clear(&error) }
        #expect(cx_compound_parts(nil, 3, &out, &error) == CX_INVALID_ARGUMENT)
        #expect(out.data == nil)
    }
}

/// cx_compound_parts' answer, split at its spaces.
private func compoundParts(_ word: String) throws -> [String] {
    var out = cx_bytes(data: nil, length: 0)
    var error = cx_error(status: CX_OK, message: nil)
    defer { cx_bytes_free(&out); cx_error_clear(&error) }
    let bytes = Array(word.utf8)
    let status = bytes.withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { chars in
            cx_compound_parts(chars.baseAddress, chars.count, &out, &error)
        }
    }
    try #require(status == CX_OK, "cx_compound_parts: \(error.message.map { String(cString: $0) } ?? "")")
    guard let data = out.data, out.length > 0 else { return [] }
    let joined = String(decoding: UnsafeRawBufferPointer(start: data, count: out.length), as: UTF8.self)
    return joined.split(separator: " ").map(String.init)
}
