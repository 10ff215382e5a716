import A2C
import Foundation
import LatticeRL
import LatticeRuntime
import LatticeTensor
import PPO

/// `lattice bench rl`: training steps per second (environment steps, updates included) of PPO and A2C on
/// MinAtar Breakout (`-v1`, 1000-step cap, no sticky actions) with MinAtar's standard network
/// (conv 16 3×3 → relu → flatten → dense 128 → relu; heads dense to 3 actions and to 1 value); OpenBLAS on one thread per call, the update sharded over the cores.
///
/// Cases (the shapes): `ppo-8x128` (8 copies × 128 steps, 4 epochs, minibatches of 256),
/// `ppo-64x128` (64 × 128, 4 epochs, 8 minibatches), `a2c-8x5` (8 × 5, one RMSprop step per rollout).
/// A repetition is a fixed number of whole iterations (collect a rollout → GAE → update); the value is the
/// median of the repetitions' environment steps per second after one warm-up repetition. The detail
/// column splits a repetition's time into collecting (environment stepping and the policy's forward pass,
/// with the environment's own share measured separately with random actions) and the update (forward,
/// backward and optimizer over the epochs), and gives the rate per CPU-second of all the process's threads
/// (the update runs minibatch shards on every core: `updateThreads`), which other processes on a shared
/// machine disturb less than the wall-clock rate.
struct RLBenchmark {
    let repetitions: Int
    let report: BenchmarkReport
    /// A case-name prefix: run only the matching cases (`nil` = all).
    var only: String? = nil

    /// One measured configuration.
    struct Case {
        var name: String
        var trainer: String
        var environments: Int
        var steps: Int
        /// Iterations per timed repetition.
        var iterations: Int
    }

    static let cases = [
        Case(name: "ppo-8x128", trainer: "{id: ppo, environments: 8, rolloutSteps: 128, epochs: 4, minibatches: 4}",
             environments: 8, steps: 128, iterations: 4),
        Case(name: "ppo-64x128", trainer: "{id: ppo, environments: 64, rolloutSteps: 128, epochs: 4, minibatches: 8}",
             environments: 64, steps: 128, iterations: 1),
        Case(name: "a2c-8x5", trainer: "{id: a2c, environments: 8, rolloutSteps: 5}", environments: 8, steps: 5, iterations: 200),
    ]

    /// The experiment config of a case.
    static func yaml(_ c: Case) -> String {
        """
        name: bench-\(c.name)
        seed: 1
        environment: {id: MinAtar/Breakout-v1, maxEpisodeSteps: 1000}
        model:
          trunk:
            - conv2d: {filters: 16, kernel: 3}
            - relu
            - flatten
            - dense: {units: 128}
            - relu
        trainer: \(c.trainer)
        budget: {steps: 1000000000}
        logging: {console: false, csv: false, tensorboard: false}
        """
    }

    func run() throws {
        let registries = try Catalog.registries()
        for c in Self.cases where only.map({ c.name.hasPrefix($0) }) ?? true {
            let experiment = try ExperimentConfig(yaml: Self.yaml(c))
            let trainer = try TrainingSession(experiment: experiment, registries: registries, runDirectory: nil).makeTrainer()
            let runner: OnPolicyRunner
            let update: (RolloutBuffer) -> Void
            if let ppo = trainer as? PPOTrainer {
                runner = ppo.runner
                update = { _ = ppo.update($0, progress: 0) }
            } else if let a2c = trainer as? A2CTrainer {
                runner = a2c.runner
                update = { _ = a2c.update($0, progress: 0) }
            } else { continue }
            runner.collector.reset(seed: 1)
            let estimator = runner.settings.advantageEstimation
            var collectTime = 0.0, updateTime = 0.0, cpuTime = 0.0
            var rates: [Double] = []
            for repetition in 0...max(1, repetitions) {
                var collect = 0.0, learn = 0.0
                let cpuStart = BenchmarkReport.processCPUSeconds()
                for _ in 0..<c.iterations {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    try runner.collector.collect()
                    estimator.compute(runner.collector.buffer)
                    let t1 = DispatchTime.now().uptimeNanoseconds
                    update(runner.collector.buffer)
                    let t2 = DispatchTime.now().uptimeNanoseconds
                    collect += Double(t1 - t0) / 1e9
                    learn += Double(t2 - t1) / 1e9
                }
                guard repetition > 0 else { continue }   // warm-up
                cpuTime += BenchmarkReport.processCPUSeconds() - cpuStart
                rates.append(Double(c.iterations * c.environments * c.steps) / (collect + learn))
                collectTime += collect
                updateTime += learn
            }
            let median = BenchmarkReport.median(of: rates)
            let environmentShare = try environmentSeconds(copies: c.environments, steps: c.steps * c.iterations * max(1, repetitions),
                                                          registries: registries) / (collectTime + updateTime)
            let total = collectTime + updateTime
            let cpuRate = Double(c.iterations * c.environments * c.steps * max(1, repetitions)) / cpuTime
            report.add(c.name, value: median, unit: "steps/s",
                       detail: String(format: "collect %.0f%% (environment %.0f%%), update %.0f%%; %.0f steps per CPU-second (all threads)",
                                      100 * collectTime / total, 100 * environmentShare, 100 * updateTime / total, cpuRate))
        }
    }

    /// Seconds a vector of `copies` Breakout copies takes for `steps` random-action vector steps.
    func environmentSeconds(copies: Int, steps: Int, registries: Registries) throws -> Double {
        let config = ConfigNode(.mapping([ConfigEntry(key: "maxEpisodeSteps", value: .scalar(.int(1000)))]))
        let environment = try VectorEnvironment((0..<copies).map { _ in
            try registries.environments.make("MinAtar/Breakout-v1", config: config, registries: registries)
        })
        environment.reset(seed: 1)
        var rng = RandomGenerator(seed: 2)
        var actions = [Int](repeating: 0, count: copies)
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<steps {
            for i in 0..<copies { actions[i] = rng.nextInt(below: 3) }
            try environment.step(actions)
        }
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
