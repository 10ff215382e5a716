#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The SSE floating-point mode of the calling thread: flush-to-zero and denormals-are-zero.
///
/// Training drives softmax probabilities and their gradients far below `Float.leastNormalMagnitude`
/// (a sharp softmax over 4096 pixels gives e⁻¹⁰⁰ ≈ 10⁻⁴⁴); once such denormal values flow through the
/// backward pass, every multiply that touches one takes a microcode assist, and the CoordConv classifier's
/// steps became about six times slower (in CPU time) late in training. TensorFlow, which the CoordConv
/// reference code runs on, sets both flags by default. Values below 1.2·10⁻³⁸ then read and compute as 0.
/// The flags are per thread: `forEachImageChunk` copies the caller's mode to its workers.
public enum FloatingPointMode {
    /// The MXCSR bits: FTZ (bit 15) and DAZ (bit 6).
    static let flushBits: UInt32 = 0x8040

    /// Turns flush-to-zero and denormals-are-zero on (or off) for the calling thread (x86-64; elsewhere
    /// nothing happens).
    public static func setFlushingDenormals(_ on: Bool) {
        #if arch(x86_64) && os(Linux)
        var env = fenv_t()
        fegetenv(&env)
        if on { env.__mxcsr |= flushBits } else { env.__mxcsr &= ~flushBits }
        fesetenv(&env)
        #endif
    }

    /// Whether the calling thread flushes denormals (false where the mode is not available).
    public static var isFlushingDenormals: Bool {
        #if arch(x86_64) && os(Linux)
        var env = fenv_t()
        fegetenv(&env)
        return env.__mxcsr & flushBits == flushBits
        #else
        return false
        #endif
    }
}
