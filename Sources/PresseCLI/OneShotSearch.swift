import Presse

/// The lean start-up path of `presse search WORDS` typed at a terminal. ArgumentParser finds
/// a command's options by reflection (Mirror, protocol conformance lookups), which took about
/// 1.4 ms of a 6 ms one-shot search. Plain arguments are read here instead: --index DIR,
/// --lang L, --from L, --limit N (-l N), --json, --all-passages, --no-translate and words. Anything else (--help,
/// --batch, --opt=value, a value out of range, a word starting with "-", an option given
/// twice) returns nil and goes through ArgumentParser as before, so its messages, checks and
/// help stay the only ones.
enum OneShotSearch {
    static func arguments(_ argv: [String]) -> SearchArguments? {
        guard argv.count >= 3, argv[1] == "search" else { return nil }
        var parsed = SearchArguments()
        // An array, not a Set: a Set<String> costs a generic-metadata lookup at start-up.
        var seen: [String] = []
        var rest = argv[2...]
        while let argument = rest.popFirst() {
            guard argument.hasPrefix("-") else {
                parsed.query.append(argument)
                continue
            }
            let option = argument == "-l" ? "--limit" : argument
            guard !seen.contains(option) else { return nil }
            seen.append(option)
            switch argument {
            case "--json": parsed.json = true
            case "--all-passages": parsed.allPassages = true
            case "--no-translate":
                guard parsed.from == nil else { return nil }  // ArgumentParser's message
                parsed.translate = false
            case "--index", "--lang", "--from", "--limit", "-l":
                guard let value = rest.popFirst(), !value.hasPrefix("-") else { return nil }
                switch argument {
                case "--index": parsed.index = value
                case "--lang":
                    guard Language(userValue: value) != nil else { return nil }
                    parsed.lang = value
                case "--from":
                    guard let from = Language(userValue: value), from != .unknown, parsed.translate else { return nil }
                    parsed.from = value
                default:
                    guard let limit = Int(value), (0...100_000).contains(limit) else { return nil }
                    parsed.limit = limit
                }
            default: return nil
            }
        }
        guard parsed.query.contains(where: { !$0.allSatisfy(\.isWhitespace) }) else { return nil }
        return parsed
    }
}
