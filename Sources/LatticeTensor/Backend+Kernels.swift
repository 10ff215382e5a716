import CKernels

/// The element-wise C kernels (`Sources/CKernels`), built once per instruction set (AVX-512, AVX2, baseline)
/// and picked for the CPU when the program loads. Swift compiles its own SIMD loops for baseline x86-64 —
/// SSE2, and `squareRoot()` of a SIMD vector one lane at a time — so an Adam step over a 1600 × 128 layer took
/// 4× longer in Swift than here. Each kernel does the same IEEE operations in the same order on every
/// instruction set (no fused multiply-adds), so results do not depend on which build runs, nor on how a
/// range is cut into parts.
extension Backend {
    /// The coefficients of an Adam step (Kingma & Ba 2015, PyTorch's arithmetic):
    /// p ← p·shrink; g' = g·gradientScale + l2·p; m ← β₁m + (1 − β₁)g'; v ← β₂v + (1 − β₂)g'²;
    /// p ← p − stepSize · m / (√v / correction2Root + ε).
    public struct AdamCoefficients: Sendable {
        /// Multiplies the gradient first (global-norm clipping's factor; 1 for none).
        public var gradientScale: Float
        /// Multiplies the parameter first (decoupled weight decay, 1 − lr·λ; 1 for none).
        public var shrink: Float
        /// L2 penalty added to the gradient (coupled weight decay λ).
        public var l2: Float
        /// β₁ and β₂.
        public var beta1: Float, beta2: Float
        /// lr / (1 − β₁ᵗ).
        public var stepSize: Float
        /// √(1 − β₂ᵗ).
        public var correction2Root: Float
        /// ε.
        public var epsilon: Float

        /// Coefficients from their values.
        public init(gradientScale: Float, shrink: Float, l2: Float, beta1: Float, beta2: Float, stepSize: Float,
                    correction2Root: Float, epsilon: Float) {
            self.gradientScale = gradientScale
            self.shrink = shrink
            self.l2 = l2
            self.beta1 = beta1
            self.beta2 = beta2
            self.stepSize = stepSize
            self.correction2Root = correction2Root
            self.epsilon = epsilon
        }
    }

    /// One Adam step over `count` parameters `p` with gradients `g` and moments `m`, `v`, all in place;
    /// large tensors in element ranges on the worker pool (element-wise, so the bits do not depend on the cut).
    public static func adamStep(_ p: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>,
                                firstMoments m: UnsafeMutablePointer<Float>, secondMoments v: UnsafeMutablePointer<Float>,
                                count: Int, _ c: AdamCoefficients) {
        ParallelLoops.forEachRange(count) { r in
            let i = r.lowerBound
            lattice_adam_step(p + i, g + i, m + i, v + i, r.count, c.gradientScale, c.shrink, c.l2, c.beta1, 1 - c.beta1,
                              c.beta2, 1 - c.beta2, c.stepSize, c.correction2Root, c.epsilon)
        }
    }

    /// The coefficients of an RMSprop step (Hinton's lecture 6e, PyTorch's arithmetic):
    /// g' = g·gradientScale + λp; v ← αv + (1 − α)g'²; s = √v + ε, or centred: ḡ ← αḡ + (1 − α)g',
    /// s = √max(v − ḡ², 0) + ε; then with momentum b ← μb + g'/s, p ← p − lr·b, else p ← p − lr·g'/s.
    public struct RMSpropCoefficients: Sendable {
        /// Multiplies the gradient first (global-norm clipping's factor; 1 for none).
        public var gradientScale: Float
        /// L2 penalty added to the gradient (λ).
        public var weightDecay: Float
        /// The smoothing constant α.
        public var alpha: Float
        /// ε, added after the square root.
        public var epsilon: Float
        /// μ (used only with a momentum buffer).
        public var momentum: Float
        /// The learning rate.
        public var learningRate: Float

        /// Coefficients from their values.
        public init(gradientScale: Float, weightDecay: Float, alpha: Float, epsilon: Float, momentum: Float, learningRate: Float) {
            self.gradientScale = gradientScale
            self.weightDecay = weightDecay
            self.alpha = alpha
            self.epsilon = epsilon
            self.momentum = momentum
            self.learningRate = learningRate
        }
    }

    /// One RMSprop step over `count` parameters `p` with gradients `g` and mean squares `v`, all in place;
    /// `mean` (the centred variant's mean gradient) and `buffer` (momentum) are used when given. Large
    /// tensors run in element ranges on the worker pool, as `adamStep`.
    public static func rmspropStep(_ p: UnsafeMutablePointer<Float>, gradients g: UnsafePointer<Float>,
                                   meanSquares v: UnsafeMutablePointer<Float>, mean: UnsafeMutablePointer<Float>?,
                                   momentumBuffer buffer: UnsafeMutablePointer<Float>?, count: Int, _ c: RMSpropCoefficients) {
        ParallelLoops.forEachRange(count) { r in
            let i = r.lowerBound
            lattice_rmsprop_step(p + i, g + i, v + i, mean.map { $0 + i }, buffer.map { $0 + i }, r.count, c.gradientScale,
                                 c.weightDecay, c.alpha, 1 - c.alpha, c.epsilon, c.momentum, c.learningRate)
        }
    }

    /// Σ xᵢ² over `count` scalars, accumulated in double precision in a fixed order.
    public static func sumOfSquares(_ x: UnsafePointer<Float>, count: Int) -> Double {
        lattice_sum_of_squares(x, count)
    }
}
