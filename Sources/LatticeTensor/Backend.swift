import CBLAS

/// The one seam between Lattice's ops and the machine: BLAS calls and the thread count. A GPU backend
/// would replace what is behind these functions without touching layers or trainers.
public enum Backend {
    /// Sets the number of threads OpenBLAS uses. Lattice sets it explicitly (default 1) and never leaves
    /// it to the library's own default.
    public static func setThreadCount(_ n: Int) {
        _ = defaultThreads
        openblas_set_num_threads(Int32(max(1, n)))
    }

    /// Lattice's default of one OpenBLAS thread, applied before the first BLAS call (OpenBLAS would
    /// otherwise start one thread per core, which competes with Lattice's own threads), together with the
    /// kernel-set correction of `selectCoreType()`.
    @usableFromInline static let defaultThreads: Void = {
        selectCoreType()
        openblas_set_num_threads(1)
    }()

    /// The number of threads OpenBLAS uses now.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// The CPU core type OpenBLAS detected.
    public static var coreName: String {
        _ = defaultThreads
        return String(cString: openblas_get_corename())
    }

    /// C = α·op(A)·op(B) + β·C, row-major; op(A) is m×k, op(B) is k×n, C is m×n.
    @inlinable
    public static func sgemm(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                             a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        _ = defaultThreads
        if k == 0 {
            if beta == 0 { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            return
        }
        let parts = kSplit(m: m, n: n, k: k)
        if parts > 1 {
            // Σ over k in `parts` slices, accumulating into C: each slice is small enough for OpenBLAS's
            // unpacked small-matrix kernels.
            for part in 0..<parts {
                let k0 = part * k / parts, k1 = (part + 1) * k / parts
                let aSlice = transposeA ? a + k0 * lda : a + k0
                let bSlice = transposeB ? b + k0 : b + k0 * ldb
                cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                            Int32(m), Int32(n), Int32(k1 - k0), alpha, aSlice, Int32(lda), bSlice, Int32(ldb),
                            part == 0 ? beta : 1, c, Int32(ldc))
            }
            return
        }
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }

    /// OpenBLAS (0.3.x) multiplies a product of at most 100³ multiply-adds with a few rows on small-matrix
    /// kernels that skip packing, and packs everything above — a policy's forward pass on 8 observations
    /// through a 1024 → 128 dense layer (8·128·1024 ≈ 1.05·10⁶) packs a 512 KB weight matrix to do 1 M
    /// multiply-adds, at half the speed. Such products (m ≤ 8 rows, up to 16·10⁶ multiply-adds) run as a
    /// few slices along k that each fit under the limit: 2× faster on this machine's 8 × 128 × 1024.
    /// Returns the number of slices (1 = one call).
    @usableFromInline static func kSplit(m: Int, n: Int, k: Int) -> Int {
        let work = m &* n &* k, limit = 1_000_000
        guard m <= 8, work > limit, work <= 16 &* limit else { return 1 }
        return Swift.min((work + limit - 1) / limit, k)
    }
}
