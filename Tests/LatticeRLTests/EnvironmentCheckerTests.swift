import XCTest
import LatticeRL

final class EnvironmentCheckerTests: XCTestCase {
    func failures(_ fault: CounterEnvironment.Fault, steps: Int = 2000) -> [CheckFailure] {
        EnvironmentChecker.check(makeEnvironment: { CounterEnvironment(randomLengths: true, fault: fault) }, steps: steps)
    }

    func testGoodEnvironmentPasses() {
        let report = EnvironmentChecker.run(makeEnvironment: { CounterEnvironment(randomLengths: true) }, steps: 10_000)
        XCTAssertEqual(report.failures, [], report.description)
        XCTAssertEqual(report.warnings, [], report.description)
        XCTAssertTrue(report.isPassing)
        XCTAssertEqual(report.id, "Test/Counter-v0")
        let text = report.description
        for check in ["spaces", "determinism", "invalid actions", "observations", "random steps", "episode end", "render"] {
            XCTAssertTrue(text.contains("✓ \(check)"), "missing pass line for \(check):\n\(text)")
        }
        XCTAssertTrue(text.hasPrefix("check-env Test/Counter-v0: 8 passed, 0 failed, 0 warnings"), text)
    }

    func testWrappedGoodEnvironmentPasses() {
        let failures = EnvironmentChecker.check(makeEnvironment: {
            try FrameStack(StickyActions(TimeLimit(CounterEnvironment(episodeLength: 1_000_000), maxSteps: 7),
                                         probability: 0.3, seed: 5), k: 2)
        }, steps: 3000)
        XCTAssertEqual(failures, [])
    }

    func testCatchesNondeterminism() {
        let f = failures(.nondeterministic)
        XCTAssertEqual(Set(f.map(\.check)), ["determinism"], "\(f)")
        XCTAssertTrue(f[0].message.contains("diverge"), f[0].message)
    }

    func testCatchesWrongObservationShapeBothWays() {
        let few = failures(.writesTooFew)
        XCTAssertEqual(few.first?.check, "observations", "\(few)")
        XCTAssertTrue(few.first?.message.contains("1 of the 3 observation scalars were left unwritten") ?? false, "\(few)")
        let many = failures(.writesTooMany)
        XCTAssertEqual(many.first?.check, "observations", "\(many)")
        XCTAssertTrue(many.first?.message.contains("wrote 1 scalar outside the 3") ?? false, "\(many)")
    }

    func testCatchesAcceptedInvalidAction() {
        let f = failures(.acceptsInvalidActions)
        XCTAssertTrue(f.contains { $0.check == "invalid actions" && $0.message.contains("step(-1) was accepted") }, "\(f)")
        XCTAssertTrue(f.contains { $0.check == "invalid actions" && $0.message.contains("step(3) was accepted") }, "\(f)")
    }

    func testCatchesRefusedActionThatChangesState() {
        let f = failures(.invalidActionAdvances)
        XCTAssertEqual(f.map(\.check), ["invalid actions"], "\(f)")
        XCTAssertTrue(f[0].message.contains("changed the state"), f[0].message)
    }

    func testCatchesStepAfterEnd() {
        let f = failures(.stepsAfterEnd)
        XCTAssertEqual(f.map(\.check), ["episode end"], "\(f)")
    }

    func testCatchesOutOfBoundsObservation() {
        let f = failures(.outOfBounds)
        XCTAssertEqual(f.map(\.check), ["observations"], "\(f)")
        XCTAssertTrue(f[0].message.contains("observation scalar 2 is 1000000.0, outside [0.0, 100000.0]"), f[0].message)
    }

    func testCatchesChangingFrameSize() {
        let f = failures(.renderSizeChanges)
        XCTAssertEqual(f.map(\.check), ["render"], "\(f)")
        XCTAssertTrue(f[0].message.contains("render() gave 5×2 after 4×2"), f[0].message)
    }

    func testWarnsWithoutVersionOrEpisodeEnd() {
        let report = EnvironmentChecker.run(makeEnvironment: { CounterEnvironment(id: "Counter", episodeLength: 1_000_000) }, steps: 500)
        XCTAssertTrue(report.isPassing, report.description)
        XCTAssertEqual(report.warnings.count, 2, report.description)
        XCTAssertTrue(report.warnings.contains { $0.contains("-v0") })
        XCTAssertTrue(report.warnings.contains { $0.contains("no episode ended in 500 random steps") })
    }

    func testConstructionFailureIsReported() {
        struct Boom: Error {}
        let f = EnvironmentChecker.check(makeEnvironment: { throw Boom() })
        XCTAssertEqual(f.map(\.check), ["construction"])
    }
}
