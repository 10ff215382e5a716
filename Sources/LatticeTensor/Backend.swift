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
        let (axis, chunk) = slicing(m: m, n: n, k: k)
        let ta = transposeA ? CblasTrans : CblasNoTrans, tb = transposeB ? CblasTrans : CblasNoTrans
        switch axis {
        case .none:
            cblas_sgemm(CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb),
                        beta, c, Int32(ldc))
        case .k:
            // Σ over slices of k, accumulating into C after the first.
            for k0 in stride(from: 0, to: k, by: chunk) {
                let w = Swift.min(chunk, k - k0)
                cblas_sgemm(CblasRowMajor, ta, tb, Int32(m), Int32(n), Int32(w), alpha,
                            transposeA ? a + k0 * lda : a + k0, Int32(lda), transposeB ? b + k0 : b + k0 * ldb, Int32(ldb),
                            k0 == 0 ? beta : 1, c, Int32(ldc))
            }
        case .n:
            for j0 in stride(from: 0, to: n, by: chunk) {
                let w = Swift.min(chunk, n - j0)
                cblas_sgemm(CblasRowMajor, ta, tb, Int32(m), Int32(w), Int32(k), alpha, a, Int32(lda),
                            transposeB ? b + j0 * ldb : b + j0, Int32(ldb), beta, c + j0, Int32(ldc))
            }
        case .m:
            for i0 in stride(from: 0, to: m, by: chunk) {
                let h = Swift.min(chunk, m - i0)
                cblas_sgemm(CblasRowMajor, ta, tb, Int32(h), Int32(n), Int32(k), alpha,
                            transposeA ? a + i0 : a + i0 * lda, Int32(lda), b, Int32(ldb), beta, c + i0 * ldc, Int32(ldc))
            }
        }
    }

    /// The axis a product is cut along, if any (see `slicing(m:n:k:)`).
    @usableFromInline enum SliceAxis: Sendable { case none, m, n, k }

    /// OpenBLAS (0.3.x, x86-64) runs products of at most 10⁶ multiply-adds with a thin side on small-matrix
    /// kernels that read the operands in place, and packs (copies) both operands of anything larger. For
    /// long, thin products packing costs as much as the arithmetic: a policy's forward pass on 8 observations
    /// through a 1024 → 128 layer (8·128·1024 ≈ 1.05·10⁶) packs a 512 KB weight to do 1 M multiply-adds,
    /// and a small convolution's filter gradient (16 × 36 over k = N·64) copies both long operands. Such
    /// products — one side of C at most 32, at most 64·10⁶ multiply-adds — run as slices of at most 1024
    /// along their long axis (k when C itself is small, else the long side of C when k ≤ 128), each under
    /// the limit:
    /// 2× on the 8-row forward pass, 1.6× on the filter gradient, 1.25× on the convolution itself here.
    /// Returns the axis and the slice length (`.none`: one call).
    @usableFromInline static func slicing(m: Int, n: Int, k: Int) -> (SliceAxis, Int) {
        let work = m &* n &* k, limit = 1_000_000
        guard Swift.min(m, n) <= 32, work > limit, work <= 64 &* limit else { return (.none, 0) }
        func chunk(_ perUnit: Int) -> Int {
            var c = 1024
            while c > 1, c &* perUnit > limit { c >>= 1 }
            return c
        }
        if m &* n <= 4096 { return (.k, chunk(m &* n)) }
        // Cutting C pays only when k is short (packing dominates); slices stay at least 128 wide.
        guard k <= 128 else { return (.none, 0) }
        let c = chunk(Swift.min(m, n) &* k)
        return c < 128 ? (.none, 0) : (m <= n ? .n : .m, c)
    }
}
