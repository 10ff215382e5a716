import Foundation
import XCTest
@testable import LatticeNN

/// Learning-rate schedules, against values worked by hand.
final class ScheduleTests: XCTestCase {
    func testConstant() {
        let s = StandardSchedule.constant(3e-4)
        XCTAssertEqual(s.rate(at: 0), 3e-4)
        XCTAssertEqual(s.rate(at: 1_000_000), 3e-4)
    }

    func testLinear() {
        let s = StandardSchedule.linear(start: 1, end: 0, steps: 4)
        XCTAssertEqual((0...6).map { s.rate(at: $0) }, [1, 0.75, 0.5, 0.25, 0, 0, 0])
        XCTAssertEqual(s.rate(at: -3), 1)
        let up = StandardSchedule.linear(start: 0.1, end: 0.3, steps: 2)
        XCTAssertEqual(up.rate(at: 1), 0.2, accuracy: 1e-7)
        XCTAssertEqual(up.rate(at: 2), 0.3)
    }

    func testStep() {
        // 0.1 · 0.5^⌊t/3⌋
        let s = StandardSchedule.step(initial: 0.1, gamma: 0.5, every: 3)
        XCTAssertEqual([0, 2, 3, 5, 6, 9].map { s.rate(at: $0) }, [0.1, 0.1, 0.05, 0.05, 0.025, 0.0125])
    }

    func testCosine() {
        // min + (max − min)(1 + cos(πt/N))/2 with max 1, min 0.1, N = 4:
        // t = 0 → 1; t = 1 → 0.1 + 0.9·(1 + √½)/2 = 0.868198; t = 2 → 0.55; t = 3 → 0.231802; t ≥ 4 → 0.1.
        let s = StandardSchedule.cosine(initial: 1, minimum: 0.1, steps: 4)
        let expected: [Float] = [1, 0.8681981, 0.55, 0.2318019, 0.1, 0.1]
        for (t, e) in expected.enumerated() { XCTAssertEqual(s.rate(at: t), e, accuracy: 1e-6, "t = \(t)") }
    }

    func testSchedulesAreCodable() throws {
        let s = StandardSchedule.cosine(initial: 1, minimum: 0, steps: 10)
        let decoded = try JSONDecoder().decode(StandardSchedule.self, from: JSONEncoder().encode(s))
        XCTAssertEqual(decoded, s)
    }
}
