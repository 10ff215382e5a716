import CBLAS
import Foundation

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
    /// otherwise start one thread per core, which competes with Lattice's own threads).
    @usableFromInline static let defaultThreads: Void = {
        selectKernelsForUnrecognisedCPU()
        openblas_set_num_threads(1)
    }()

    /// OpenBLAS 0.3.21 (Debian 12) does not recognise recent Intel cores (Sapphire Rapids) and falls back
    /// to its generic `Prescott` SSE3 kernels, 2–3× slower than the AVX-512 ones on the same GEMMs.
    /// When the detected core is `Prescott` but the CPU has AVX-512 (or AVX2) and `OPENBLAS_CORETYPE`
    /// is not set, this selects `SkylakeX` (or `Haswell`) kernels by re-running OpenBLAS's dynamic-arch
    /// initialisation, before any BLAS call. `OPENBLAS_CORETYPE`, when set, is always left to OpenBLAS.
    static func selectKernelsForUnrecognisedCPU() {
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil, coreName == "Prescott",
              let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") })?.split(separator: " ") else { return }
        let core: String
        if flags.contains("avx512f") && flags.contains("avx512bw") && flags.contains("avx512vl") { core = "SkylakeX" }
        else if flags.contains("avx2") && flags.contains("fma") { core = "Haswell" }
        else { return }
        guard let handle = dlopen(nil, RTLD_NOW),
              let quit = dlsym(handle, "gotoblas_dynamic_quit"), let initialise = dlsym(handle, "gotoblas_dynamic_init") else { return }
        typealias Entry = @convention(c) () -> Void
        setenv("OPENBLAS_CORETYPE", core, 1)
        unsafeBitCast(quit, to: Entry.self)()
        unsafeBitCast(initialise, to: Entry.self)()
        unsetenv("OPENBLAS_CORETYPE")
    }

    /// The number of threads OpenBLAS uses now.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// The CPU core type OpenBLAS detected.
    public static var coreName: String { String(cString: openblas_get_corename()) }

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
        cblas_sgemm(CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
