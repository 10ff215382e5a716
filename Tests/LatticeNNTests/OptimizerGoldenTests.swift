import XCTest
import LatticeTensor
@testable import LatticeNN

/// Golden optimizer steps. A parameter p₀ = [1, −2, 0.5] takes three steps with the fixed gradients
/// g₁ = [0.1, −0.2, 0.3], g₂ = [−0.5, 0.4, 0], g₃ = [0.2, 0.2, −0.1].
///
/// The expected values come from `Fixtures/optimizer_golden.py`, a float64 numpy transcription of the
/// update rules documented for torch.optim (SGD, Adam, AdamW, RMSprop). The first steps were also
/// worked by hand, as noted beside them.
final class OptimizerGoldenTests: XCTestCase {
    static let initial: [Float] = [1, -2, 0.5]
    static let gradients: [[Float]] = [[0.1, -0.2, 0.3], [-0.5, 0.4, 0], [0.2, 0.2, -0.1]]

    /// Runs the three steps and returns the parameter after each.
    func run(_ optimizer: Optimizer) -> [[Float]] {
        let p = Parameter(Tensor(Self.initial))
        return Self.gradients.map { g in
            optimizer.update([p], along: [Tensor(g)])
            return p.value.scalars
        }
    }

    func assertSteps(_ actual: [[Float]], _ expected: [[Float]], accuracy: Float = 2e-6,
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.count, expected.count, file: file, line: line)
        for (step, (a, e)) in zip(actual, expected).enumerated() {
            for (x, y) in zip(a, e) {
                XCTAssertEqual(x, y, accuracy: accuracy, "step \(step + 1): got \(a), expected \(e)", file: file, line: line)
            }
        }
    }

    func testSGDPlain() {
        // By hand: p − 0.1·g at each step.
        assertSteps(run(SGD(learningRate: 0.1)), [[0.99, -1.98, 0.47], [1.04, -2.02, 0.47], [1.02, -2.04, 0.48]])
    }

    func testSGDMomentum() {
        // By hand: b₁ = g₁ → [0.99, −1.98, 0.47]; b₂ = 0.9·g₁ + g₂ = [−0.41, 0.22, 0.27] → [1.031, −2.002, 0.443].
        assertSteps(run(SGD(learningRate: 0.1, momentum: 0.9)),
                    [[0.99, -1.98, 0.47], [1.031, -2.002, 0.443], [1.0479, -2.0418, 0.4287]])
    }

    func testSGDDampening() {
        // The first buffer is g₁ itself (not (1 − dampening)·g₁), as in PyTorch.
        assertSteps(run(SGD(learningRate: 0.1, momentum: 0.9, dampening: 0.5)),
                    [[0.99, -1.98, 0.47], [1.006, -1.982, 0.443], [1.0104, -1.9938, 0.4237]])
    }

    func testSGDNesterovWithWeightDecay() {
        // By hand, first scalar: g = 0.1 + 0.01·1 = 0.11, b = 0.11, d = 0.11 + 0.9·0.11 = 0.209 → 1 − 0.0209.
        assertSteps(run(SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true)),
                    [[0.9791, -1.9582, 0.44205],
                     [1.06332971, -2.01265942, 0.416505105],
                     [1.05499731, -2.06161123, 0.412121185]])
    }

    func testAdam() {
        // By hand, step 1: m̂ = g, v̂ = g², so p − 0.1·g/|g| = p − 0.1·sign(g).
        assertSteps(run(Adam(learningRate: 0.1)),
                    [[0.90000001, -1.9, 0.400000003],
                     [0.959835427, -1.93661036, 0.332994181],
                     [0.979554919, -1.98853444, 0.304080646]])
    }

    func testAdamL2WeightDecay() {
        assertSteps(run(Adam(learningRate: 0.1, weightDecay: 0.1)),
                    [[0.900000005, -1.9, 0.400000003],
                     [0.937522035, -1.87528317, 0.324974365],
                     [0.927303799, -1.85794868, 0.280051171]])
    }

    func testAdamWDecoupledWeightDecay() {
        // By hand, step 1: p·(1 − 0.1·0.1) − 0.1·sign(g) = [0.89, −1.88, 0.395].
        assertSteps(run(Adam(learningRate: 0.1, weightDecay: 0.1, decoupledWeightDecay: true)),
                    [[0.89000001, -1.88, 0.395000003],
                     [0.940935426, -1.89781036, 0.324044181],
                     [0.951245565, -1.93075633, 0.291890205]])
    }

    func testRMSprop() {
        // By hand, step 1: v = 0.01·g², √v = 0.1·|g|, so p − 0.01·10·sign(g) = p − 0.1·sign(g).
        assertSteps(run(RMSprop(learningRate: 0.01)),
                    [[0.9000001, -1.90000005, 0.400000033],
                     [0.998077011, -1.98953233, 0.400000033],
                     [0.961396808, -2.03056247, 0.431909843]])
    }

    func testRMSpropCentered() {
        // By hand, step 1: √(0.01·g² − 0.0001·g²) = 0.0995·|g| → step 0.01/0.0995 = 0.100504.
        assertSteps(run(RMSprop(learningRate: 0.01, centered: true)),
                    [[0.899496319, -1.89949627, 0.399496252],
                     [0.997878048, -1.9891202, 0.399496252],
                     [0.961173883, -2.03028918, 0.4314674]])
    }

    func testRMSpropCenteredMomentumWeightDecay() {
        assertSteps(run(RMSprop(learningRate: 0.01, momentum: 0.9, centered: true, weightDecay: 0.1)),
                    [[0.899496269, -1.89949624, 0.399496247],
                     [0.899105869, -1.85575817, 0.297576039],
                     [0.84488678, -1.8196159, 0.225667831]])
    }

    /// Adam and RMSprop update eight lanes at a time and the tail one by one: a 27-scalar parameter
    /// made of nine copies of p₀ (three 8-lane blocks and a 3-scalar tail) must follow, copy by copy,
    /// exactly the trajectory of the 3-scalar run (which only takes the tail path).
    func testVectorAndTailPathsAgreeBitForBit() {
        let makers: [() -> Optimizer] = [
            { SGD(learningRate: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov: true) },
            { Adam(learningRate: 0.1, weightDecay: 0.1) },
            { Adam(learningRate: 0.1, weightDecay: 0.1, decoupledWeightDecay: true) },
            { RMSprop(learningRate: 0.01) },
            { RMSprop(learningRate: 0.01, momentum: 0.9, centered: true, weightDecay: 0.1) },
        ]
        for make in makers {
            let expected = run(make())
            let optimizer = make()
            let p = Parameter(Tensor(Array([[Float]](repeating: Self.initial, count: 9).joined())))
            for (step, g) in Self.gradients.enumerated() {
                optimizer.update([p], along: [Tensor(Array([[Float]](repeating: g, count: 9).joined()))])
                let scalars = p.value.scalars
                for copy in 0..<9 {
                    XCTAssertEqual(Array(scalars[(3 * copy)..<(3 * copy + 3)]), expected[step],
                                   "\(type(of: optimizer)) step \(step + 1) copy \(copy)")
                }
            }
        }
    }

    /// State is per parameter: two parameters updated together follow their own trajectories.
    func testStateIsKeptPerParameter() {
        let adam = Adam(learningRate: 0.1)
        let a = Parameter(Tensor(Self.initial))
        let b = Parameter(Tensor(shape: [2, 2], scalars: [3, 3, 3, 3]))
        var trajectory: [[Float]] = []
        for g in Self.gradients {
            adam.update([a, b], along: [Tensor(g), Tensor(shape: [2, 2], scalars: [1, 1, 1, 1])])
            trajectory.append(a.value.scalars)
        }
        assertSteps(trajectory, run(Adam(learningRate: 0.1)), accuracy: 0)
        // b: constant gradient 1 → m̂ = 1, v̂ = 1 at every step, so b moves by 0.1 per step.
        for x in b.value.scalars { XCTAssertEqual(x, 2.7, accuracy: 1e-6) }
    }

    func testLearningRateIsReadAtEachStep() {
        let sgd = SGD(learningRate: 0.1)
        let p = Parameter(Tensor([1]))
        sgd.update([p], along: [Tensor([1])])
        sgd.learningRate = 0.5
        sgd.update([p], along: [Tensor([1])])
        XCTAssertEqual(p.value.scalars[0], 1 - 0.1 - 0.5, accuracy: 1e-7)
    }

    func testShapeMismatchNamesBothShapes() {
        let p = Parameter(Tensor(zeros: [2, 3]))
        XCTAssertThrowsError(try validateGradients([Tensor(zeros: [3, 2])], for: [p])) { error in
            XCTAssertEqual(error as? OptimizerError, .shapeMismatch(index: 0, parameterShape: [2, 3], gradientShape: [3, 2]))
            let message = "\(error)"
            XCTAssertTrue(message.contains("[2, 3]") && message.contains("[3, 2]"), message)
        }
        XCTAssertThrowsError(try validateGradients([], for: [p])) { error in
            XCTAssertEqual(error as? OptimizerError, .countMismatch(parameters: 1, gradients: 0))
        }
        XCTAssertNoThrow(try validateGradients([Tensor(zeros: [2, 3])], for: [p]))
    }
}
