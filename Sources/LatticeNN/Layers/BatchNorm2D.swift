import LatticeTensor

/// Batch normalisation over the channels of NCHW images (Ioffe & Szegedy, 2015):
/// y = γ·(x − μ)/√(σ² + ε) + β, with μ, σ² the batch statistics over N, H, W while training and the
/// running statistics in evaluation. Running statistics follow PyTorch: r ← (1 − m)·r + m·batch, with the
/// unbiased batch variance, momentum m = 0.1 by default. Also accepts `[N, C]` (BatchNorm1d).
public final class BatchNorm2D: Layer {
    /// γ, `[C]`.
    public let scale: Parameter
    /// β, `[C]`.
    public let offset: Parameter
    /// Running mean, `[C]` (a buffer, saved in checkpoints).
    public let runningMean: Parameter
    /// Running (unbiased) variance, `[C]`.
    public let runningVariance: Parameter
    public let momentum: Float
    public let epsilon: Float
    /// Batch statistics (training) or running statistics (evaluation).
    public private(set) var isTraining = true

    public init(channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) {
        scale = Parameter(Tensor(ones: [channels]))
        offset = Parameter(Tensor(zeros: [channels]))
        runningMean = Parameter(Tensor(zeros: [channels]))
        runningVariance = Parameter(Tensor(ones: [channels]))
        self.momentum = momentum
        self.epsilon = epsilon
    }

    public var channels: Int { scale.shape[0] }

    public func setTraining(_ training: Bool) { isTraining = training }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        guard (x.rank == 4 || x.rank == 2), x.shape[1] == channels else {
            fatalError("BatchNorm2D(\(channels)): input shape \(x.shape) does not have \(channels) channels on axis 1")
        }
        if isTraining { return normalizedWithBatchStatistics(x, activationSlope: nil) }
        let statShape = x.rank == 4 ? [1, channels, 1, 1] : [1, channels]
        let gamma = scale.value.reshaped(statShape), beta = offset.value.reshaped(statShape)
        let mean = runningMean.value.detached.reshaped(statShape)
        let variance = runningVariance.value.detached.reshaped(statShape)
        return (x - mean) / sqrt(variance + epsilon) * gamma + beta
    }

    /// The training-mode output through the fused op (one pass per statistic, one VJP; see
    /// `batchNormalized`), with the leaky ReLU of `activationSlope` fused when given; updates the running
    /// statistics.
    func normalizedWithBatchStatistics(_ x: Tensor, activationSlope: Float?) -> Tensor {
        let (y, mean, variance) = batchNormalized(x, scale: scale.value, offset: offset.value, epsilon: epsilon,
                                                  activationSlope: activationSlope)
        updateRunning(mean: mean, variance: variance, count: Float(x.scalarCount / channels))
        return y
    }

    private func updateRunning(mean: [Float], variance: [Float], count: Float) {
        let m = momentum
        let correction = count > 1 ? count / (count - 1) : 1
        runningMean.update { r in for c in r.indices { r[c] = (1 - m) * r[c] + m * mean[c] } }
        runningVariance.update { r in for c in r.indices { r[c] = (1 - m) * r[c] + m * variance[c] * correction } }
    }

    public func namedParameters() -> [(String, Parameter)] { [("weight", scale), ("bias", offset)] }

    public func namedBuffers() -> [(String, Parameter)] { [("runningMean", runningMean), ("runningVariance", runningVariance)] }

    public func outputShape(for s: [Int]) throws -> [Int] {
        guard (s.count == 4 || s.count == 2), s[1] == channels else {
            throw ShapeError(layer: "batchNorm2d", inputShape: s, reason: "needs \(channels) channels on axis 1")
        }
        return s
    }
}
