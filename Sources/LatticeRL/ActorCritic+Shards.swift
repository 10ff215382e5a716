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
}
