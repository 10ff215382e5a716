import XCTest
import LatticeNN
import LatticeTensor
@testable import LatticeRL

final class ShardedGradientTests: XCTestCase {
    func testRangesCoverTheBatchInNearlyEqualParts() {
        XCTAssertEqual(DataParallel.ranges(count: 10, shards: 3), [0..<3, 3..<6, 6..<10])
        XCTAssertEqual(DataParallel.ranges(count: 256, shards: 2), [0..<128, 128..<256])
        XCTAssertEqual(DataParallel.ranges(count: 2, shards: 5), [0..<1, 1..<2])
        XCTAssertEqual(DataParallel.shardCount(batchSize: 40, threads: 2), 1)    // shards keep ≥ 64 samples
        XCTAssertEqual(DataParallel.shardCount(batchSize: 256, threads: 2), 2)
        XCTAssertEqual(DataParallel.shardCount(batchSize: 256, threads: 1), 1)
    }

    func testMapRunsEveryIndexOnceInOrder() {
        XCTAssertEqual(DataParallel.map(7) { $0 * $0 }, [0, 1, 4, 9, 16, 25, 36])
        XCTAssertEqual(DataParallel.map(0) { $0 }, [])
    }

    /// A minibatch of `b` random transitions for a network with 3 actions over [2, 6, 6] observations.
    func randomBatch(_ b: Int, rng: inout RandomGenerator) -> RolloutBuffer.Minibatch {
        RolloutBuffer.Minibatch(indices: Array(0..<b), observations: Tensor.uniform([b, 2, 6, 6], using: &rng),
                                actions: (0..<b).map { _ in rng.nextInt(below: 3) },
                                oldLogProbabilities: Tensor((0..<b).map { _ in -1 - rng.nextUniform() }),
                                advantages: Tensor((0..<b).map { _ in rng.nextNormal() }),
                                returns: Tensor((0..<b).map { _ in rng.nextNormal() }),
                                oldValues: Tensor((0..<b).map { _ in rng.nextNormal() }))
    }

    /// A mean loss over samples with the parts a PPO/A2C loss has: log-probabilities weighted by
    /// advantages, a squared value error and the entropy.
    func loss(_ batch: RolloutBuffer.Minibatch, _ logits: Tensor, _ values: Tensor) -> (total: Tensor, terms: Float) {
        let d = Categorical(logits: logits)
        let policy = -(batch.advantages * d.logProbability(of: batch.actions)).mean()
        let value = ((values - batch.returns) * (values - batch.returns)).mean()
        let total = policy + 0.5 * value - 0.01 * d.entropy().mean()
        return (total, value.scalar)
    }

    /// Two and three shards give the one-shard gradients (the whole batch's) up to float rounding, and
    /// their weighted terms add up to the whole batch's term.
    func testShardedGradientsEqualTheWholeBatchGradients() {
        var rng = RandomGenerator(seed: 3)
        let model = ActorCritic.minAtar(observationShape: [2, 6, 6], actionCount: 3, hidden: 32, rng: &rng)
        let batch = randomBatch(150, rng: &rng)
        let tensors = model.parameters.map(\.value)
        let (whole, wholeParts) = model.shardedGradients(on: batch, shards: 1, wrt: tensors, loss: loss)
        XCTAssertEqual(wholeParts.count, 1)
        let direct = gradients(of: { let (l, v) = model(batch.observations); return loss(batch, l, v).total }(), wrt: tensors)
        for (a, b) in zip(whole, direct) { XCTAssertEqual(a.scalars, b.scalars) }   // one shard: exactly the plain call
        for shards in [2, 3] {
            let (g, parts) = model.shardedGradients(on: batch, shards: shards, wrt: tensors, loss: loss)
            XCTAssertEqual(parts.count, shards)
            XCTAssertEqual(parts.reduce(0) { $0 + $1.weight }, 1, accuracy: 1e-6)
            XCTAssertEqual(parts.reduce(0) { $0 + $1.weight * $1.terms }, wholeParts[0].terms, accuracy: 1e-4)
            for (a, b) in zip(g, whole) {
                let scale = max(b.scalars.map(abs).max() ?? 0, 1e-3)
                for (x, y) in zip(a.scalars, b.scalars) { XCTAssertEqual(x, y, accuracy: 2e-4 * scale) }
            }
            // Deterministic: the same shards give the same bits again.
            let again = model.shardedGradients(on: batch, shards: shards, wrt: tensors, loss: loss).gradients
            for (a, b) in zip(g, again) { XCTAssertEqual(a.scalars, b.scalars) }
        }
    }

    /// A model with BatchNorm (batch statistics) is never sharded.
    func testBatchDependentModelsRunAsOneShard() {
        var rng = RandomGenerator(seed: 4)
        let trunk = Sequential([Conv2D(filter: Tensor.uniform([4, 2, 3, 3], using: &rng), bias: nil), BatchNorm2D(channels: 4), Flatten()])
        let model = ActorCritic(trunk: trunk, policyHead: Dense(weight: Tensor.uniform([3, 64], using: &rng), bias: nil),
                                valueHead: Dense(weight: Tensor.uniform([1, 64], using: &rng), bias: nil))
        XCTAssertFalse(DataParallel.canShard(model))
        let batch = randomBatch(128, rng: &rng)
        let (_, parts) = model.shardedGradients(on: batch, shards: 2, wrt: model.parameters.map(\.value), loss: loss)
        XCTAssertEqual(parts.count, 1)
    }

    /// The rollout's sharded forward pass gives the rows of one call (up to float rounding: BLAS sums in a
    /// different order for a different row count), the same bits every time, and no graph.
    func testShardedInferenceEqualsOneCall() {
        var rng = RandomGenerator(seed: 6)
        let model = ActorCritic.minAtar(observationShape: [2, 6, 6], actionCount: 3, hidden: 32, rng: &rng)
        let x = Tensor.uniform([70, 2, 6, 6], using: &rng)
        let whole = withoutGradients { model.evaluate(x) }
        let sharded = model.shardedInference(x, shards: 2)
        XCTAssertEqual(sharded.logits.shape, [70, 3])
        for (a, b) in zip(sharded.logits.scalars + sharded.values.scalars, whole.logits.scalars + whole.values.scalars) {
            XCTAssertEqual(a, b, accuracy: 1e-6)
        }
        XCTAssertEqual(model.shardedInference(x, shards: 2).logits.scalars, sharded.logits.scalars)
        XCTAssertFalse(sharded.logits.isTracked)   // no graph
    }
}
