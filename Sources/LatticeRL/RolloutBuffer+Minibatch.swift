import LatticeTensor

extension RolloutBuffer {
    /// The transitions of one minibatch as tensors, ready for a PPO/A2C loss.
    public struct Minibatch {
        /// The buffer indices gathered, in order.
        public var indices: [Int]
        /// sₜ, `[B] + observationShape`.
        public var observations: Tensor
        /// aₜ.
        public var actions: [Int]
        /// log π_old(aₜ|sₜ), `[B]`.
        public var oldLogProbabilities: Tensor
        /// Aₜ (not normalised; PPO normalises per minibatch), `[B]`.
        public var advantages: Tensor
        /// Aₜ + V_old(sₜ), `[B]`.
        public var returns: Tensor
        /// V_old(sₜ), `[B]` (for the clipped value loss).
        public var oldValues: Tensor

        /// A minibatch from its parts (tests and custom trainers).
        public init(indices: [Int], observations: Tensor, actions: [Int], oldLogProbabilities: Tensor,
                    advantages: Tensor, returns: Tensor, oldValues: Tensor) {
            self.indices = indices
            self.observations = observations
            self.actions = actions
            self.oldLogProbabilities = oldLogProbabilities
            self.advantages = advantages
            self.returns = returns
            self.oldValues = oldValues
        }

        /// The transitions at positions `range` of this minibatch (a shard for data-parallel gradients).
        public func slice(_ range: Range<Int>) -> Minibatch {
            func part(_ t: Tensor) -> Tensor { t.slice(alongAxis: 0, from: range.lowerBound, to: range.upperBound) }
            return Minibatch(indices: Array(indices[range]), observations: part(observations), actions: Array(actions[range]),
                             oldLogProbabilities: part(oldLogProbabilities), advantages: part(advantages),
                             returns: part(returns), oldValues: part(oldValues))
        }
    }

    /// Gathers the transitions at `indices` (from `minibatches(count:rng:)`, or `Array(0..<count)` for
    /// the whole batch) into constant tensors, copying each observation with one pointer copy.
    public func minibatch(_ indices: [Int]) -> Minibatch {
        let b = indices.count
        let n = observationSize
        let total = count
        for i in indices where i < 0 || i >= total {
            preconditionFailure("RolloutBuffer: index \(i) is outside 0..<\(total)")
        }
        let obs = observations.withUnsafeBufferPointer { src in
            Tensor(shape: [b] + observationShape) { dst in
                let s = src.baseAddress!, d = dst.baseAddress!
                for (k, i) in indices.enumerated() {
                    (d + k &* n).update(from: s + i &* n, count: n)
                }
            }
        }
        func gather(_ array: [Float]) -> Tensor {
            array.withUnsafeBufferPointer { src in
                Tensor(shape: [b]) { dst in
                    for (k, i) in indices.enumerated() { dst[k] = src[i] }
                }
            }
        }
        var actionsOut = [Int](repeating: 0, count: b)
        for (k, i) in indices.enumerated() { actionsOut[k] = actions[i] }
        return Minibatch(indices: indices, observations: obs, actions: actionsOut,
                         oldLogProbabilities: gather(logProbabilities), advantages: gather(advantages),
                         returns: gather(returns), oldValues: gather(values))
    }
}
