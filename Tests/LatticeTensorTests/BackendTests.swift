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
