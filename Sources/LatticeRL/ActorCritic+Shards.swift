import LatticeNN
import LatticeTensor

extension ActorCritic {
    /// One shard's share of a data-parallel loss: its weight (shard size / batch size), the value of its
    /// unweighted loss, and the loss's parts as numbers.
    public struct ShardResult<Terms> {
        /// Shard size / batch size.
        public var weight: Float
        /// The shard's own (unweighted) total loss.
        public var total: Float
        /// The shard's loss terms (policy, value, …).
        public var terms: Terms
    }

    /// The whole batch's loss and terms from its shards': their size-weighted sums.
    public static func combined(_ parts: [ShardResult<[Float]>]) -> (total: Float, terms: [Float]) {
        let total = parts.reduce(Float(0)) { $0 + $1.weight * $1.total }
        let count = parts.first?.terms.count ?? 0
        return (total, (0..<count).map { j in parts.reduce(Float(0)) { $0 + $1.weight * $1.terms[j] } })
    }

    /// The gradients of a per-sample-mean loss over `batch`, computed in `shards` contiguous shards on
    /// parallel threads (`DataParallel`) and summed: each shard's loss is weighted by its share of the
    /// batch, so the sum is the whole batch's gradient up to float rounding. With one shard it is exactly
    /// `gradients(of: loss(batch), wrt: parameters)`.
    ///
    /// `loss` gets a shard and this network's logits and values on it, and returns the differentiable mean
    /// loss and its terms. Anything that needs batch-wide statistics (advantage normalisation) must be
    /// applied to `batch` before the call. Models with batch-dependent layers always run as one shard.
    public func shardedGradients<Terms>(on batch: RolloutBuffer.Minibatch, shards: Int, wrt parameters: [Tensor],
                                        loss: (RolloutBuffer.Minibatch, Tensor, Tensor) -> (total: Tensor, terms: Terms))
        -> (gradients: [Tensor], shards: [ShardResult<Terms>]) {
        let size = batch.actions.count
        let ranges = DataParallel.ranges(count: size, shards: DataParallel.canShard(self) ? shards : 1)
        let results = DataParallel.map(ranges.count) { s -> ([Tensor], ShardResult<Terms>) in
            let part = ranges.count == 1 ? batch : batch.slice(ranges[s])
            let (logits, values) = evaluate(part.observations)
            let (total, terms) = loss(part, logits, values)
            let weight = Float(ranges[s].count) / Float(max(size, 1))
            let weighted = ranges.count == 1 ? total : total * weight
            return (gradients(of: weighted, wrt: parameters), ShardResult(weight: weight, total: total.scalar, terms: terms))
        }
        return (DataParallel.sum(results.map(\.0)), results.map(\.1))
    }

    /// The logits and values of a batch of observations without recording gradients, computed in up to
    /// `shards` row blocks of at least `minimumShard` observations on parallel threads and joined in order
    /// (the rollout's forward pass over many environment copies). Rows equal one call's up to float
    /// rounding (BLAS may sum in another order for another row count), and the same every time; models
    /// with batch-dependent layers run as one block.
    public func shardedInference(_ observations: Tensor, shards: Int, minimumShard: Int = 32) -> (logits: Tensor, values: Tensor) {
        let size = observations.shape[0]
        let count = DataParallel.canShard(self) ? max(1, min(shards, size / max(1, minimumShard))) : 1
        if count == 1 { return withoutGradients { evaluate(observations) } }
        let ranges = DataParallel.ranges(count: size, shards: count)
        let parts = DataParallel.map(count) { s in
            withoutGradients { evaluate(observations.slice(alongAxis: 0, from: ranges[s].lowerBound, to: ranges[s].upperBound)) }
        }
        return withoutGradients {
            (Tensor.concat(parts.map(\.logits), alongAxis: 0), Tensor.concat(parts.map(\.values), alongAxis: 0))
        }
    }
}
