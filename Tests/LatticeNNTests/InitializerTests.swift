import XCTest
import LatticeTensor
@testable import LatticeNN

/// Initializers: fans as PyTorch, orthogonality, the Haar sign convention, and sample statistics.
final class InitializerTests: XCTestCase {
    /// The rows × cols matrix product MᵀM (`gramOfColumns`) or MMᵀ, in double precision.
    func gram(_ w: Tensor, rows: Int, cols: Int, ofColumns: Bool) -> [[Double]] {
        let s = w.scalars.map(Double.init)
        let k = ofColumns ? cols : rows
        var g = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for i in 0..<k {
            for j in 0..<k {
                var sum = 0.0
                if ofColumns { for r in 0..<rows { sum += s[r * cols + i] * s[r * cols + j] } }
                else { for c in 0..<cols { sum += s[i * cols + c] * s[j * cols + c] } }
                g[i][j] = sum
            }
        }
        return g
    }

    func assertScaledIdentity(_ g: [[Double]], _ scale: Double, file: StaticString = #filePath, line: UInt = #line) {
        for i in g.indices {
            for j in g.indices {
                XCTAssertEqual(g[i][j], i == j ? scale : 0, accuracy: 1e-5, "entry (\(i), \(j))", file: file, line: line)
            }
        }
    }

    func testFansFollowPyTorch() {
        XCTAssertEqual(WeightFans([10, 20]), WeightFans(fanIn: 20, fanOut: 10))
        // conv [out 16, in 3, 5, 5]: receptive field 25.
        XCTAssertEqual(WeightFans([16, 3, 5, 5]), WeightFans(fanIn: 75, fanOut: 400))
        XCTAssertEqual(Initializer.leakyReLUGain(negativeSlope: 0), Float(2).squareRoot())
        XCTAssertEqual(Initializer.leakyReLUGain(negativeSlope: 1), 1)
    }

    func testOrthogonalSquareTallWideAndConv() {
        var rng = RandomGenerator(seed: 7)
        let square = Initializer.orthogonal(gain: 2).make([8, 8], using: &rng)
        assertScaledIdentity(gram(square, rows: 8, cols: 8, ofColumns: true), 4)
        assertScaledIdentity(gram(square, rows: 8, cols: 8, ofColumns: false), 4)

        let tall = Initializer.orthogonal(gain: 1.5).make([10, 4], using: &rng)
        assertScaledIdentity(gram(tall, rows: 10, cols: 4, ofColumns: true), 2.25)

        let wide = Initializer.orthogonal().make([3, 7], using: &rng)
        assertScaledIdentity(gram(wide, rows: 3, cols: 7, ofColumns: false), 1)

        // conv [4, 2, 3, 3] is viewed as 4 × 18 (wide): its rows are orthonormal.
        let conv = Initializer.orthogonal().make([4, 2, 3, 3], using: &rng)
        XCTAssertEqual(conv.shape, [4, 2, 3, 3])
        assertScaledIdentity(gram(conv, rows: 4, cols: 18, ofColumns: false), 1)
    }

    /// With the sign correction R has a positive diagonal, so Q's first column is the first column of
    /// the normal draw divided by its (positive) norm; for a wide shape, the first row. This pins both
    /// the draw order (row-major, as PyTorch) and the sign convention that makes Q Haar-distributed.
    func testOrthogonalFirstVectorIsTheNormalisedDraw() {
        for (shape, wide) in [([5, 3], false), ([2, 6], true)] {
            let rows = shape[0], cols = shape[1]
            var drawRNG = RandomGenerator(seed: 99)
            let a = (0..<(rows * cols)).map { _ in Double(drawRNG.nextNormal()) }
            var rng = RandomGenerator(seed: 99)
            let w = Initializer.orthogonal(gain: 3).make(shape, using: &rng).scalars.map(Double.init)
            let v = wide ? Array(a[0..<cols]) : (0..<rows).map { a[$0 * cols] }
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let first = wide ? Array(w[0..<cols]) : (0..<rows).map { w[$0 * cols] }
            for (x, y) in zip(first, v) { XCTAssertEqual(x, 3 * y / norm, accuracy: 1e-5, "shape \(shape)") }
        }
    }

    /// Householder QR against Gram–Schmidt worked by hand: A = [[3, 1], [4, 0], [0, 1]] has
    /// q₁ = (0.6, 0.8, 0), and a₂ − (a₂·q₁)q₁ = (0.64, −0.48, 1) with norm √1.64, so
    /// q₂ = (0.499756, −0.374817, 0.780869).
    func testHouseholderQAgainstHandWorkedGramSchmidt() {
        var a: [Double] = [3, 4, 0, 1, 0, 1]   // column-major 3 × 2
        let q = Initializer.householderQ(&a, rows: 3, cols: 2)
        let expected = [0.6, 0.8, 0, 0.64 / 1.64.squareRoot(), -0.48 / 1.64.squareRoot(), 1 / 1.64.squareRoot()]
        for (x, y) in zip(q, expected) { XCTAssertEqual(x, y, accuracy: 1e-12) }
        // R's diagonal as left in `a` (up to sign): |R₀₀| = 5, |R₁₁| = √1.64.
        XCTAssertEqual(Swift.abs(a[0]), 5, accuracy: 1e-12)
        XCTAssertEqual(Swift.abs(a[4]), 1.64.squareRoot(), accuracy: 1e-12)
    }

    func testOrthogonalOneByOneIsTheSignOfTheDraw() {
        var positives = 0
        for seed in 0..<200 as Range<UInt64> {
            var drawRNG = RandomGenerator(seed: seed)
            let x = drawRNG.nextNormal()
            var rng = RandomGenerator(seed: seed)
            let w = Initializer.orthogonal().make([1, 1], using: &rng).scalars[0]
            XCTAssertEqual(w, x > 0 ? 1 : -1)
            if w > 0 { positives += 1 }
        }
        XCTAssertTrue((70...130).contains(positives), "\(positives) of 200 positive")
    }

    func mean(_ x: [Float]) -> Double { x.reduce(0.0) { $0 + Double($1) } / Double(x.count) }
    func std(_ x: [Float]) -> Double {
        let m = mean(x)
        return (x.reduce(0.0) { $0 + (Double($1) - m) * (Double($1) - m) } / Double(x.count)).squareRoot()
    }

    func testHeNormalStandardDeviation() {
        // [512, 64, 3, 3]: fanIn = 576, σ = √(2/576) = 0.0589256; 294 912 draws, so the sample σ is
        // within 0.5 % with overwhelming probability (its standard error is σ/√(2n) ≈ 0.13 %).
        var rng = RandomGenerator(seed: 1)
        let w = Initializer.heNormal().make([512, 64, 3, 3], using: &rng).scalars
        XCTAssertEqual(std(w), (2.0 / 576).squareRoot(), accuracy: 0.005 * (2.0 / 576).squareRoot())
        XCTAssertEqual(mean(w), 0, accuracy: 0.001)
    }

    func testHeNormalLeakySlopeAndFanOut() {
        // [64, 128, 3, 3], slope 0.2, fanOut = 576: σ = √(2/1.04)/√576 = 0.0577813.
        var rng = RandomGenerator(seed: 2)
        let w = Initializer.heNormal(negativeSlope: 0.2, mode: .fanOut).make([64, 128, 3, 3], using: &rng).scalars
        XCTAssertEqual(std(w), 0.0577813, accuracy: 0.005 * 0.0577813)
    }

    func testHeUniformBoundsAndVariance() {
        // [300, 200]: fanIn 200, bound = √3·√2/√200 = √(6/200) = 0.173205; variance bound²/3 = 0.01.
        var rng = RandomGenerator(seed: 3)
        let w = Initializer.heUniform().make([300, 200], using: &rng).scalars
        let bound = Float((6.0 / 200).squareRoot())
        XCTAssertTrue(w.allSatisfy { Swift.abs($0) <= bound })
        XCTAssertGreaterThan(w.max()!, 0.99 * bound)
        XCTAssertLessThan(w.min()!, -0.99 * bound)
        XCTAssertEqual(std(w) * std(w), 0.01, accuracy: 0.0002)
    }

    func testGlorotUniformBounds() {
        // [300, 200]: bound = √(6/500) = 0.109545; variance bound²/3 = 0.004.
        var rng = RandomGenerator(seed: 4)
        let w = Initializer.glorotUniform().make([300, 200], using: &rng).scalars
        let bound = Float((6.0 / 500).squareRoot())
        XCTAssertTrue(w.allSatisfy { Swift.abs($0) <= bound })
        XCTAssertGreaterThan(w.max()!, 0.99 * bound)
        XCTAssertEqual(std(w) * std(w), 0.004, accuracy: 0.0001)
    }

    func testGlorotNormalStandardDeviation() {
        var rng = RandomGenerator(seed: 5)
        let w = Initializer.glorotNormal(gain: 2).make([300, 200], using: &rng).scalars
        // σ = 2·√(2/500) = 0.126491
        XCTAssertEqual(std(w), 0.126491, accuracy: 0.01 * 0.126491)
    }

    func testZerosConstantAndDeterminism() {
        var rng = RandomGenerator(seed: 0)
        XCTAssertEqual(Initializer.zeros.make([2, 3], using: &rng), Tensor(zeros: [2, 3]))
        XCTAssertEqual(Initializer.constant(0.5).make([4], using: &rng).scalars, [0.5, 0.5, 0.5, 0.5])
        var a = RandomGenerator(seed: 11), b = RandomGenerator(seed: 11)
        XCTAssertEqual(Initializer.heUniform().make([5, 5], using: &a), Initializer.heUniform().make([5, 5], using: &b))
        let p = Parameter(Tensor(zeros: [3, 3]))
        Initializer.orthogonal().initialize(p, using: &a)
        assertScaledIdentity(gram(p.value, rows: 3, cols: 3, ofColumns: true), 1)
    }
}
