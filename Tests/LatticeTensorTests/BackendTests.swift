import XCTest
@testable import LatticeTensor

final class BackendTests: XCTestCase {
    func testCoreTypeFromCPUFlags() {
        XCTAssertEqual(Backend.bestCoreType(flags: ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl", "avx512dq"]), "SkylakeX")
        XCTAssertEqual(Backend.bestCoreType(flags: ["avx", "avx2", "fma", "avx512f"]), "Haswell")
        XCTAssertNil(Backend.bestCoreType(flags: ["sse4_2", "avx"]))
    }

    /// After the first BLAS call, OpenBLAS runs a kernel set this CPU supports and not a generic fallback
    /// when the CPU has AVX2 (unless the user chose one with OPENBLAS_CORETYPE).
    func testOpenBLASDoesNotRunAFallbackCoreOnAModernCPU() throws {
        guard let best = Backend.bestCoreType(flags: Backend.cpuFlags()) else { throw XCTSkip("no AVX2 here") }
        // Lattice itself sets the variable (to `best`) when it corrects the choice; another value is the user's.
        if let chosen = getenv("OPENBLAS_CORETYPE").map({ String(cString: $0) }), chosen != best {
            throw XCTSkip("OPENBLAS_CORETYPE=\(chosen) was set by the user")
        }
        XCTAssertFalse(Backend.fallbackCores.contains(Backend.coreName), Backend.coreName)
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        XCTAssertEqual(matmul(a, a).scalars, [7, 10, 15, 22])
    }
}

final class SmallProductSplitTests: XCTestCase {
    /// A naive row-major product with double accumulation, op(A)·op(B).
    func reference(_ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, ta: Bool, tb: Bool) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var s = 0.0
                for p in 0..<k {
                    let x = ta ? a[p * m + i] : a[i * k + p]
                    let y = tb ? b[j * k + p] : b[p * n + j]
                    s += Double(x) * Double(y)
                }
                c[i * n + j] = Float(s)
            }
        }
        return c
    }

    func testSlicingRule() {
        XCTAssertTrue(Backend.slicing(m: 8, n: 128, k: 1024) == (.k, 512))       // rollout forward pass
        XCTAssertTrue(Backend.slicing(m: 16, n: 36, k: 8192) == (.k, 1024))      // conv filter gradient
        XCTAssertTrue(Backend.slicing(m: 16, n: 8192, k: 36) == (.n, 1024))      // conv forward
        XCTAssertTrue(Backend.slicing(m: 8192, n: 16, k: 36) == (.m, 1024))
        XCTAssertTrue(Backend.slicing(m: 8, n: 128, k: 512) == (.none, 0))       // under the limit already
        XCTAssertTrue(Backend.slicing(m: 64, n: 128, k: 1024) == (.none, 0))     // no thin side
        XCTAssertTrue(Backend.slicing(m: 8, n: 4096, k: 4096) == (.none, 0))     // large: packing pays
        XCTAssertTrue(Backend.slicing(m: 32, n: 8192, k: 256) == (.none, 0))     // long k: packing pays
    }

    /// Products sliced along k, n and m equal the reference for every transpose combination, with β = 0
    /// and β = 1 (odd sizes: the last slice is short).
    func testSlicedProductsMatchTheReference() {
        for (m, n, k, axis) in [(8, 130, 1031, Backend.SliceAxis.k), (16, 2100, 37, .n), (2100, 16, 37, .m)] {
            XCTAssertTrue(Backend.slicing(m: m, n: n, k: k).0 == axis, "\(m)×\(n)×\(k)")
            checkProducts(m: m, n: n, k: k)
        }
    }

    func checkProducts(m: Int, n: Int, k: Int) {
        var rng = RandomGenerator(seed: 5)
        let a = (0..<(m * k)).map { _ in rng.nextUniform() - 0.5 }
        let b = (0..<(k * n)).map { _ in rng.nextUniform() - 0.5 }
        for ta in [false, true] {
            for tb in [false, true] {
                let expected = reference(a, b, m: m, n: n, k: k, ta: ta, tb: tb)
                for beta: Float in [0, 1] {
                    var c = [Float](repeating: beta == 0 ? .nan : 1, count: m * n)
                    a.withUnsafeBufferPointer { ap in
                        b.withUnsafeBufferPointer { bp in
                            Backend.sgemm(transposeA: ta, transposeB: tb, m: m, n: n, k: k, a: ap.baseAddress!, lda: ta ? m : k,
                                          b: bp.baseAddress!, ldb: tb ? k : n, beta: beta, c: &c, ldc: n)
                        }
                    }
                    for i in 0..<(m * n) {
                        XCTAssertEqual(c[i], expected[i] + beta, accuracy: 1e-3, "\(m)×\(n)×\(k) ta \(ta) tb \(tb) β \(beta) at \(i)")
                    }
                }
            }
        }
    }
}
