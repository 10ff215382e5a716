import XCTest
import LatticeTensor
@testable import LatticeNN

/// Export and import of optimizer state: an optimizer rebuilt from saved state continues exactly
/// where the original would have.
final class OptimizerStateTests: XCTestCase {
    let gradients: [[Float]] = OptimizerGoldenTests.gradients

    /// Takes two steps with `make()`, saves, restores into a new optimizer and parameter, takes the
    /// third step on both and checks they agree bit for bit.
    func checkResume(_ make: () -> Optimizer, slots: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let original = make()
        let p = Parameter(Tensor(OptimizerGoldenTests.initial))
        for g in gradients.prefix(2) { original.update([p], along: [Tensor(g)]) }
        let saved = original.stateTensors(for: [("layer.weight", p)])
        XCTAssertEqual(saved.map(\.0), slots.map { "layer.weight.\($0)" }, file: file, line: line)

        let resumed = make()
        let q = Parameter(p.value)
        try resumed.loadState(Dictionary(uniqueKeysWithValues: saved), for: [("layer.weight", q)])
        original.update([p], along: [Tensor(gradients[2])])
        resumed.update([q], along: [Tensor(gradients[2])])
        XCTAssertEqual(p.value.scalars, q.value.scalars, file: file, line: line)
    }

    func testResumeSGDMomentum() throws {
        try checkResume({ SGD(learningRate: 0.1, momentum: 0.9, nesterov: true) }, slots: ["momentum_buffer"])
    }

    func testResumeAdam() throws {
        try checkResume({ Adam(learningRate: 0.1, weightDecay: 0.1, decoupledWeightDecay: true) },
                        slots: ["step", "exp_avg", "exp_avg_sq"])
    }

    func testResumeRMSprop() throws {
        try checkResume({ RMSprop(learningRate: 0.01, momentum: 0.9, centered: true) },
                        slots: ["step", "square_avg", "grad_avg", "momentum_buffer"])
    }

    func testExportedAdamStateHasHandWorkedValues() {
        let adam = Adam(learningRate: 0.1)
        let p = Parameter(Tensor([1, 2]))
        adam.update([p], along: [Tensor([0.5, -1])])
        let state = Dictionary(uniqueKeysWithValues: adam.stateTensors(for: [("w", p)]))
        XCTAssertEqual(state["w.step"]?.scalars, [1])
        // m = 0.1·g, v = 0.001·g² (within float32 rounding of 1 − β: 1 − Float(0.999) = 0.00099998713).
        XCTAssertEqual(state["w.exp_avg"]!.scalars[0], 0.05, accuracy: 1e-7)
        XCTAssertEqual(state["w.exp_avg"]!.scalars[1], -0.1, accuracy: 1e-7)
        XCTAssertEqual(state["w.exp_avg_sq"]!.scalars[0], 0.00025, accuracy: 1e-8)
        XCTAssertEqual(state["w.exp_avg_sq"]!.scalars[1], 0.001, accuracy: 3e-8)
    }

    func testPlainSGDHasNoState() {
        let sgd = SGD(learningRate: 0.1)
        let p = Parameter(Tensor([1]))
        sgd.update([p], along: [Tensor([1])])
        XCTAssertTrue(sgd.stateTensors(for: [("w", p)]).isEmpty)
    }

    func testLoadRefusesBadState() {
        let adam = Adam()
        let p = Parameter(Tensor(zeros: [2]))
        let named = [("w", p)]
        let good: [String: Tensor] = ["w.step": Tensor(3), "w.exp_avg": Tensor(zeros: [2]), "w.exp_avg_sq": Tensor(zeros: [2])]

        var unknown = good
        unknown["v.exp_avg"] = Tensor(zeros: [2])
        XCTAssertThrowsError(try adam.loadState(unknown, for: named)) { error in
            guard case let .unknownStateTensor(name, known)? = error as? OptimizerError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "v.exp_avg")
            XCTAssertEqual(known, ["w.step", "w.exp_avg", "w.exp_avg_sq"])
        }

        var partial = good
        partial["w.exp_avg_sq"] = nil
        XCTAssertThrowsError(try adam.loadState(partial, for: named)) { error in
            XCTAssertEqual(error as? OptimizerError, .missingStateTensor(name: "w.exp_avg_sq"))
        }

        var wrongShape = good
        wrongShape["w.exp_avg"] = Tensor(zeros: [3])
        XCTAssertThrowsError(try adam.loadState(wrongShape, for: named)) { error in
            XCTAssertEqual(error as? OptimizerError, .stateShapeMismatch(name: "w.exp_avg", expected: [2], found: [3]))
        }

        for bad: Float in [.nan, -1, 2.5, .infinity] {
            var badStep = good
            badStep["w.step"] = Tensor(bad)
            XCTAssertThrowsError(try adam.loadState(badStep, for: named)) { error in
                guard case .invalidStep(name: "w.step", _)? = error as? OptimizerError else { return XCTFail("\(error)") }
            }
        }

        // A refused load changes nothing: the optimizer still has no state for p.
        XCTAssertTrue(adam.stateTensors(for: named).isEmpty)
        XCTAssertNoThrow(try adam.loadState(good, for: named))
        XCTAssertEqual(adam.stateTensors(for: named).first?.1.scalars, [3])
    }

    func testResetStateForgetsEverything() {
        let sgd = SGD(learningRate: 0.1, momentum: 0.9)
        let p = Parameter(Tensor([0]))
        sgd.update([p], along: [Tensor([1])])   // b = 1, p = −0.1
        sgd.resetState()
        sgd.update([p], along: [Tensor([1])])   // fresh: b = 1 again, p = −0.2 (not −0.29)
        XCTAssertEqual(p.value.scalars[0], -0.2, accuracy: 1e-7)
    }
}
