import XCTest
import LatticeNN
import LatticeTensor
@testable import LatticeRL

/// A stand-in orthogonal initializer for the tests: Gram–Schmidt on normal rows of the matrix
/// `[shape[0], product of the rest]` (rows ≤ columns here), times `gain`, so W·Wᵀ = gain²·I.
func standInOrthogonal(_ shape: [Int], _ gain: Float, _ rng: inout RandomGenerator) -> Tensor {
    let rows = shape[0], cols = Tensor.count(of: shape) / shape[0]
    precondition(rows <= cols, "stand-in handles rows ≤ columns only")
    var m = [[Double]]()
    for _ in 0..<rows {
        var v = (0..<cols).map { _ in Double(rng.nextNormal()) }
        for u in m {
            let dot = zip(u, v).reduce(0) { $0 + $1.0 * $1.1 }
            for k in 0..<cols { v[k] -= dot * u[k] }
        }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        m.append(v.map { $0 / norm })
    }
    return Tensor(shape: shape, scalars: m.flatMap { $0.map { Float($0) * gain } })
}

final class ActorCriticTests: XCTestCase {
    func testMinAtarNetworkNamesAndShapes() throws {
        var rng = RandomGenerator(seed: 0)
        let model = ActorCritic.minAtar(observationShape: [4, 10, 10], actionCount: 6, rng: &rng)
        let shapes = model.namedParameters().map { "\($0.0) \($0.1.shape)" }
        // conv 4→16 3×3 ⇒ 16×8×8 = 1024 features ⇒ dense 1024→128.
        XCTAssertEqual(shapes, [
            "trunk.0.weight [16, 4, 3, 3]", "trunk.0.bias [16]", "trunk.3.weight [128, 1024]", "trunk.3.bias [128]",
            "policyHead.weight [6, 128]", "policyHead.bias [6]", "valueHead.weight [1, 128]", "valueHead.bias [1]",
        ])
        XCTAssertEqual(model.parameterCount, 16 * 36 + 16 + 128 * 1024 + 128 + 6 * 128 + 6 + 128 + 1)
        let x = Tensor.uniform([2, 4, 10, 10], using: &rng)
        let (logits, values) = model(x)
        XCTAssertEqual(logits.shape, [2, 6])
        XCTAssertEqual(values.shape, [2])
        let joined: Tensor = model(x)
        XCTAssertEqual(joined.shape, [2, 7])
        XCTAssertEqual(joined.scalars, [logits.scalars[0..<6] + [values.scalars[0]], logits.scalars[6..<12] + [values.scalars[1]]].flatMap { Array($0) })
        XCTAssertEqual(try model.outputShape(for: [2, 4, 10, 10]), [2, 7])
        XCTAssertEqual(model.values(x).scalars, values.scalars)
        XCTAssertThrowsError(try model.outputShape(for: [2, 3, 10, 10]))
    }

    func testPPOInitializationGainsAndZeroBiases() {
        var rng = RandomGenerator(seed: 1)
        let model = ActorCritic.minAtar(observationShape: [2, 5, 5], actionCount: 3, hidden: 32, rng: &rng)
        var calls: [([Int], Float)] = []
        var initRNG = RandomGenerator(seed: 2)
        model.initializeForPPO(using: { shape, gain, r in
            calls.append((shape, gain))
            return standInOrthogonal(shape, gain, &r)
        }, rng: &initRNG)
        XCTAssertEqual(calls.map(\.0), [[16, 2, 3, 3], [32, 144], [3, 32], [1, 32]])
        XCTAssertEqual(calls.map(\.1), [Float(2).squareRoot(), Float(2).squareRoot(), 0.01, 1])
        for (name, p) in model.namedParameters() where name.hasSuffix("bias") {
            XCTAssertTrue(p.value.scalars.allSatisfy { $0 == 0 }, name)
        }
        // Rows of the policy head are orthogonal with norm 0.01: W·Wᵀ = 1e-4·I.
        let w = (model.policyHead as! Dense).weight.value
        let wwt = matmul(w, w, transposeB: true).scalars
        for i in 0..<3 { for j in 0..<3 { XCTAssertEqual(wwt[i * 3 + j], i == j ? 1e-4 : 0, accuracy: 1e-8) } }
        // Near-uniform first policy: logits are tiny.
        let (logits, _) = model(Tensor.uniform([4, 2, 5, 5], using: &rng))
        XCTAssertTrue(logits.scalars.allSatisfy { abs($0) < 0.1 }, "\(logits)")
        // The same seeds give the same parameters.
        var rngB = RandomGenerator(seed: 1)
        let twin = ActorCritic.minAtar(observationShape: [2, 5, 5], actionCount: 3, hidden: 32, rng: &rngB)
        var initB = RandomGenerator(seed: 2)
        twin.initializeForPPO(using: standInOrthogonal, rng: &initB)
        for (a, b) in zip(model.namedParameters(), twin.namedParameters()) { XCTAssertEqual(a.1.value, b.1.value, a.0) }
    }

    func testGradientsReachEveryPart() {
        var rng = RandomGenerator(seed: 3)
        let model = ActorCritic(trunk: Sequential([Dense(inputs: 3, outputs: 4, rng: &rng), Activation(.tanh)]),
                                policyHead: Dense(inputs: 4, outputs: 2, rng: &rng),
                                valueHead: Dense(inputs: 4, outputs: 1, rng: &rng))
        XCTAssertEqual(model.namedParameters().map(\.0),
                       ["trunk.0.weight", "trunk.0.bias", "policyHead.weight", "policyHead.bias", "valueHead.weight", "valueHead.bias"])
        let (logits, values) = model(Tensor.normal([5, 3], using: &rng))
        let loss = Categorical(logits: logits).logProbability(of: [0, 1, 0, 1, 1]).sum() + values.sum()
        let grads = gradients(of: loss, wrt: model.parameters.map(\.value))
        for (g, name) in zip(grads, model.namedParameters().map(\.0)) {
            XCTAssertTrue(g.scalars.contains { $0 != 0 }, "\(name) got no gradient")
        }
    }
}
