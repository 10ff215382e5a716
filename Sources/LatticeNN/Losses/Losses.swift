import LatticeTensor

/// Loss functions, each a mean over the batch and numerically stable for large logits.
public enum Loss {
    /// Mean squared error: mean((ŷ − y)²).
    public static func meanSquaredError(_ predictions: Tensor, _ targets: Tensor) -> Tensor {
        guard predictions.shape == targets.shape else {
            fatalError("meanSquaredError: predictions \(predictions.shape) and targets \(targets.shape) differ")
        }
        let d = predictions - targets
        return (d * d).mean()
    }

    /// Softmax cross-entropy from logits `[N, K]` and integer labels: mean over N of
    /// −log softmax(z)[label] = logSumExp(z) − z[label].
    public static func softmaxCrossEntropy(logits: Tensor, labels: [Int]) -> Tensor {
        guard logits.rank == 2, logits.shape[0] == labels.count else {
            fatalError("softmaxCrossEntropy: logits \(logits.shape) do not fit \(labels.count) labels")
        }
        let picked = logits.logSoftmax(alongAxis: 1).gathering(labels, alongAxis: 1)
        return -picked.mean()
    }

    /// Softmax cross-entropy from logits `[N, K]` and target distributions (one-hot or soft) `[N, K]`:
    /// mean over N of −Σₖ yₖ·log softmax(z)ₖ.
    public static func softmaxCrossEntropy(logits: Tensor, probabilities targets: Tensor) -> Tensor {
        guard logits.shape == targets.shape, logits.rank == 2 else {
            fatalError("softmaxCrossEntropy: logits \(logits.shape) and targets \(targets.shape) differ")
        }
        return -(targets * logits.logSoftmax(alongAxis: 1)).sum(alongAxis: 1).mean()
    }

    /// Sigmoid binary cross-entropy from logits, mean over all elements:
    /// max(z, 0) − z·y + log(1 + e^−|z|), stable for any |z|.
    public static func sigmoidCrossEntropy(logits: Tensor, labels: Tensor) -> Tensor {
        guard logits.shape == labels.shape else {
            fatalError("sigmoidCrossEntropy: logits \(logits.shape) and labels \(labels.shape) differ")
        }
        return (relu(logits) - logits * labels + softplus(-abs(logits))).mean()
    }
}
