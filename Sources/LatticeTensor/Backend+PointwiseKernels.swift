import CKernels
import Foundation

/// Hand-written kernels for pointwise (1×1) convolutions with few channels (`Sources/CKernels`), where
/// OpenBLAS spends as long packing the thin operands (k = 32 or 64 channels against thousands of
/// positions) as multiplying them. Operands are row-major slices of one image: x `[C, P]`, w `[F, C]`,
/// y `[F, P]`. Used only where `hasPointwiseKernels` (x86-64 with AVX-512F); elsewhere BLAS runs.
extension Backend {
    /// Whether this CPU runs the pointwise kernels (and the environment variable `LATTICE_NO_KERNELS` is
    /// unset: set it to time or test the BLAS path on the same machine).
    public static let hasPointwiseKernels: Bool = lattice_pointwise_kernels_available() != 0 && getenv("LATTICE_NO_KERNELS") == nil

    /// y[f, p] = act(bias[f] + Σ_c w[f, c]·x[c, p]), act = max(·, 0) when `relu`; `bias` may be nil.
    /// Requires `hasPointwiseKernels`.
    @inlinable
    public static func pointwiseForward(weights w: UnsafePointer<Float>, bias: UnsafePointer<Float>?,
                                        input x: UnsafePointer<Float>, output y: UnsafeMutablePointer<Float>,
                                        channels c: Int, filters f: Int, positions p: Int, relu: Bool) {
        precondition(hasPointwiseKernels, "pointwiseForward needs AVX-512F")
        lattice_pointwise_forward(w, bias, x, y, Int64(c), Int64(f), Int64(p), relu ? 1 : 0)
    }

    /// dw[f, c] += Σ_p g[f, p]·x[c, p]. Requires `hasPointwiseKernels`.
    @inlinable
    public static func pointwiseFilterGradient(outputGradient g: UnsafePointer<Float>, input x: UnsafePointer<Float>,
                                               into dw: UnsafeMutablePointer<Float>,
                                               channels c: Int, filters f: Int, positions p: Int) {
        precondition(hasPointwiseKernels, "pointwiseFilterGradient needs AVX-512F")
        lattice_pointwise_filter_gradient(g, x, dw, Int64(c), Int64(f), Int64(p))
    }
}
