import XCTest
@testable import LatticeTensor

/// Central-difference gradient checking: compares `gradients(of:wrt:)` of L = Σ f(x)⊙R (R fixed random
/// weights, so every output element matters differently) with (L(x + h) − L(x − h)) / 2h per scalar,
/// accumulating L in Double.
func checkGradients(_ inputs: [Tensor], step h: Float = 1e-2, tolerance: Double = 2e-2,
                    file: StaticString = #filePath, line: UInt = #line, _ f: ([Tensor]) -> Tensor) {
    var rng = RandomGenerator(seed: 99)
    let tracked = inputs.map { $0.trackingGradients() }
    let out = f(tracked)
    let weights = Tensor.uniform(out.shape, low: -1, high: 1, using: &rng)
    let loss = (out * weights).sum()
    let analytic = gradients(of: loss, wrt: tracked)
    func lossValue(_ xs: [Tensor]) -> Double {
        let y = withoutGradients { f(xs) }
        var acc = 0.0
        for (a, b) in zip(y.scalars, weights.scalars) { acc += Double(a) * Double(b) }
        return acc
    }
    for (which, x) in inputs.enumerated() {
        XCTAssertEqual(analytic[which].shape, x.shape, "gradient shape for input \(which)", file: file, line: line)
        for i in 0..<x.scalarCount {
            var plus = inputs, minus = inputs
            plus[which].withUnsafeMutableBufferPointer { $0[i] += h }
            minus[which].withUnsafeMutableBufferPointer { $0[i] -= h }
            let numeric = (lossValue(plus) - lossValue(minus)) / (2 * Double(h))
            let got = Double(analytic[which].scalars[i])
            let scale = max(1, abs(numeric), abs(got))
            if abs(numeric - got) / scale > tolerance {
                XCTFail("input \(which) scalar \(i): analytic \(got) vs numeric \(numeric)", file: file, line: line)
                return
            }
        }
    }
}

/// Random values in [low, high).
func randomTensor(_ shape: [Int], seed: UInt64, low: Float = -1, high: Float = 1) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    return Tensor.uniform(shape, low: low, high: high, using: &rng)
}

/// Random values whose magnitudes lie in [0.2, 1) — away from the kinks of relu, abs and max.
func awayFromZero(_ shape: [Int], seed: UInt64) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    return Tensor(shape: shape) { p in
        for i in p.indices { p[i] = rng.nextUniform(0.2, 1) * (rng.nextBernoulli(0.5) ? 1 : -1) }
    }
}

/// Distinct values spaced at least 0.05 apart in random order, so a ±0.01 probe never changes which
/// element is a maximum (max, min and max-pool gradients are checked away from ties).
func distinctValues(_ shape: [Int], seed: UInt64) -> Tensor {
    var rng = RandomGenerator(seed: seed)
    let n = Tensor.count(of: shape)
    var values = (0..<n).map { Float($0) * 0.05 - Float(n) * 0.025 }
    for i in stride(from: n - 1, to: 0, by: -1) { values.swapAt(i, rng.nextInt(below: i + 1)) }
    return Tensor(shape: shape, scalars: values)
}

func assertClose(_ a: Tensor, _ b: Tensor, tolerance: Float = 1e-4, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.shape, b.shape, file: file, line: line)
    guard a.shape == b.shape else { return }
    for (i, (x, y)) in zip(a.scalars, b.scalars).enumerated() where abs(x - y) > tolerance * max(1, abs(y)) {
        XCTFail("scalar \(i): \(x) vs \(y)", file: file, line: line)
        return
    }
}
