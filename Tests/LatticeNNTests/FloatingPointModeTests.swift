import XCTest
import LatticeTensor

/// `FloatingPointMode`: flush-to-zero and denormals-are-zero on the calling thread.
final class FloatingPointModeTests: XCTestCase {
    /// 10⁻³⁸·scale·10⁻⁶: a denormal unless flushed (`scale` is opaque to the optimiser).
    func tinyProduct(_ scale: Float) -> Float { Float(1e-38) * scale * Float(1e-6) }

    func testFlushingTurnsDenormalResultsIntoZero() throws {
        #if arch(x86_64) && os(Linux)
        let scale = Float(CommandLine.arguments.count > 0 ? 1 : 2)
        FloatingPointMode.setFlushingDenormals(false)
        XCTAssertFalse(FloatingPointMode.isFlushingDenormals)
        XCTAssertGreaterThan(tinyProduct(scale), 0)
        FloatingPointMode.setFlushingDenormals(true)
        defer { FloatingPointMode.setFlushingDenormals(false) }
        XCTAssertTrue(FloatingPointMode.isFlushingDenormals)
        XCTAssertEqual(tinyProduct(scale), 0)
        // Normal values are untouched.
        XCTAssertEqual(Float(1e-30) * scale * 2, 2e-30)
        // Image-parallel workers take the caller's mode: a two-thread pointwise convolution of denormal
        // inputs gives exact zeros.
        let previous = Backend.threadCount
        Backend.setThreadCount(2)
        defer { Backend.setThreadCount(previous) }
        let x = Tensor(repeating: 1e-39, shape: [4, 1, 16, 16])
        let y = conv2d(x, filter: Tensor(repeating: 0.5, shape: [1, 1, 1, 1]))
        XCTAssertEqual(y.scalars.max(), 0)
        #else
        throw XCTSkip("FloatingPointMode acts on x86-64 Linux only")
        #endif
    }
}
