import XCTest
@testable import Presse

/// What `date:`, --since and --until accept (DateQuery.bounds, over the bridge's one parser).
final class DateQueryTests: XCTestCase {
    func testYearsMonthsDaysAndRanges() throws {
        func bounds(_ spec: String) throws -> [String?] {
            let b = try DateQuery.bounds(spec, what: "date:\(spec)")
            return [b.low, b.high]
        }
        XCTAssertEqual(try bounds("2022"), ["20220101", "20221231"])
        XCTAssertEqual(try bounds("2022-02"), ["20220201", "20220228"])
        XCTAssertEqual(try bounds("2024-02"), ["20240201", "20240229"], "a leap year")
        XCTAssertEqual(try bounds("2000-02-29"), ["20000229", "20000229"])
        XCTAssertEqual(try bounds("2022-03..2022-11"), ["20220301", "20221130"])
        XCTAssertEqual(try bounds("..2021"), [nil, "20211231"])
        XCTAssertEqual(try bounds("2023-05.."), ["20230501", nil])
    }

    func testWhatIsNotADate() {
        for spec in ["", "..", "22", "2022-13", "2022-00", "2022-1", "1900-02-29", "2023-02-29", "2022-04-31",
                     "2022/03/01", "20220301", "2022-03-01x", "soon", "2023..2021", "2022-03-01..2022-02-28"] {
            XCTAssertThrowsError(try DateQuery.bounds(spec, what: "date:\(spec)"), spec) { error in
                let error = error as? PresseError
                XCTAssertEqual(error?.kind, .invalidArgument, spec)
                XCTAssertTrue(error?.message.hasPrefix("bad date date:\(spec)") ?? false, "\(spec): \(String(describing: error))")
            }
        }
    }
}
