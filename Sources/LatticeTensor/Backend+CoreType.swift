import Foundation
import CBLAS

extension Backend {
    /// Cores OpenBLAS falls back to when it does not recognise a CPU (its `get_coretype()` maps unknown
    /// models of a known vendor to an old generic core).
    static let fallbackCores: Set<String> = ["Prescott", "Core2", "Penryn", "Dunnington", "Nehalem", "Sandybridge", "Katmai", "Northwood", "Banias"]

    /// The OpenBLAS kernel set this CPU can run, from its feature flags: `SkylakeX` with AVX-512 (F, BW,
    /// VL, DQ), `Haswell` with AVX2 and FMA, else `nil` (keep OpenBLAS's choice).
    static func bestCoreType(flags: Set<String>) -> String? {
        if flags.isSuperset(of: ["avx512f", "avx512bw", "avx512vl", "avx512dq"]) { return "SkylakeX" }
        if flags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    /// The CPU feature flags of the first processor in `/proc/cpuinfo` (empty where there is none).
    static func cpuFlags() -> Set<String> {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
              let colon = line.firstIndex(of: ":") else { return [] }
        return Set(line[line.index(after: colon)...].split(separator: " ").map(String.init))
    }

    /// Corrects OpenBLAS's kernel choice on CPUs newer than the library (Debian 12's OpenBLAS 0.3.21 takes
    /// a Sapphire Rapids Xeon for a "Prescott" and runs SSE3 kernels, 4–8× slower for sgemm): when the
    /// detected core is a generic fallback, the CPU has AVX2 or AVX-512, and the user did not set
    /// `OPENBLAS_CORETYPE`, sets that variable to the matching kernel set and re-runs OpenBLAS's dynamic
    /// kernel selection (`gotoblas_dynamic_quit` + `gotoblas_dynamic_init`, looked up with `dlsym`, so a
    /// build of OpenBLAS without DYNAMIC_ARCH is left alone). Runs once, before the first BLAS call.
    static func selectCoreType() {
        guard getenv("OPENBLAS_CORETYPE") == nil,
              fallbackCores.contains(String(cString: openblas_get_corename())),
              let core = bestCoreType(flags: cpuFlags()),
              let quit = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "gotoblas_dynamic_quit"),
              let initialize = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "gotoblas_dynamic_init") else { return }
        typealias Hook = @convention(c) () -> Void
        setenv("OPENBLAS_CORETYPE", core, 1)
        unsafeBitCast(quit, to: Hook.self)()
        unsafeBitCast(initialize, to: Hook.self)()
    }
}
