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

extension Backend {
    /// Positions per tile of the pointwise-stack kernels.
    public static let pointwiseStackTile = Int(LATTICE_STACK_TILE)

    /// One image through a stack of pointwise convolutions: `outputs[l]` `[channels[l+1], P]` receives
    /// layer l's output (see `lattice_pointwise_stack_forward`). Requires `hasPointwiseKernels`.
    public static func pointwiseStackForward(channels: UnsafePointer<Int64>, weights: UnsafePointer<UnsafePointer<Float>?>,
                                             biases: UnsafePointer<UnsafePointer<Float>?>, relu: UnsafePointer<Int32>,
                                             layers: Int, input: UnsafePointer<Float>,
                                             outputs: UnsafePointer<UnsafeMutablePointer<Float>?>, positions: Int) {
        precondition(hasPointwiseKernels, "pointwiseStackForward needs AVX-512F")
        lattice_pointwise_stack_forward(Int64(layers), channels, weights, biases, relu, input, outputs, Int64(positions))
    }

    /// One image's gradients through a stack of pointwise convolutions (see
    /// `lattice_pointwise_stack_backward`): 16-lane partial sums of the filter and bias gradients
    /// accumulate into `filterSums` and `biasSums`; `inputGradient` (when given) receives dx.
    public static func pointwiseStackBackward(channels: UnsafePointer<Int64>, transposedWeights: UnsafePointer<UnsafePointer<Float>?>,
                                              relu: UnsafePointer<Int32>, layers: Int, input: UnsafePointer<Float>,
                                              outputs: UnsafePointer<UnsafePointer<Float>?>, outputGradient: UnsafePointer<Float>,
                                              inputGradient: UnsafeMutablePointer<Float>?,
                                              filterSums: UnsafePointer<UnsafeMutablePointer<Float>?>,
                                              biasSums: UnsafePointer<UnsafeMutablePointer<Float>?>,
                                              scratch: UnsafeMutablePointer<Float>, positions: Int) {
        precondition(hasPointwiseKernels, "pointwiseStackBackward needs AVX-512F")
        lattice_pointwise_stack_backward(Int64(layers), channels, transposedWeights, relu, input, outputs, outputGradient,
                                         inputGradient, filterSums, biasSums, scratch, Int64(positions))
    }

    /// out[k] = the sum of the 16 lanes `sums[16k ..< 16k + 16]`, in a fixed order.
    public static func laneSums(_ sums: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, count: Int) {
        lattice_lane_sums(sums, out, Int64(count))
    }
}
