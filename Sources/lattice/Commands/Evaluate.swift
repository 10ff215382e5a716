import ArgumentParser
import Foundation
import LatticeRL
import LatticeRuntime
import LatticeTensor

/// `lattice eval <run-dir> [--episodes N] [--sample] [--record out.gif]`: plays episodes with a trained
/// policy from the run's latest checkpoint and prints the mean return ± its standard error.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a trained RL policy from a run directory: mean ± standard error of the return.",
        discussion: """
        Actions are the argmax of π (deterministic) unless --sample is given. Episode k starts from reset(seed: seed + k).
        The environment is the run's, with its options; extra key=value overrides change the config first
        (e.g. environment.heldOutQuadrant=…). --record writes the played episodes as an animated GIF.
        """)

    @Argument(help: "The run directory (holds config.yaml and checkpoints/).")
    var runDirectory: String

    @Argument(help: "Config overrides (key.path=value) applied before building the environment.")
    var overrides: [String] = []

    @Option(help: "Episodes to play.")
    var episodes = 10

    @Option(help: "Seed of the first episode's reset (and of sampling).")
    var seed: UInt64 = 1_000_000

    @Flag(help: "Sample actions from π instead of taking the argmax.")
    var sample = false

    @Option(help: "A checkpoint file to load instead of the latest.")
    var checkpoint: String?

    @Option(help: "Write the episodes' frames to this animated GIF.")
    var record: String?

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    func run() throws {
        try CommandErrors.run {
            guard episodes >= 1 else { throw ValidationError("--episodes must be at least 1") }
            let registries = try Catalog.registries()
            let directory = RunDirectory(url: URL(fileURLWithPath: runDirectory))
            guard FileManager.default.fileExists(atPath: directory.configURL.path) else {
                throw ValidationError("\(runDirectory) is not a run directory (no config.yaml)")
            }
            let experiment = try ExperimentConfig(contentsOf: directory.configURL, overrides: overrides)
            guard let spec = experiment.environment else {
                throw ValidationError("\(runDirectory) is not an RL run (its config has no environment)")
            }
            let environment = try registries.environments.make(spec.id, config: spec.config, registries: registries)
            let policy = try ActorCriticPolicy.load(run: directory, environment: environment, registries: registries,
                                                    checkpoint: checkpoint.map { URL(fileURLWithPath: $0) },
                                                    deterministic: !sample, seed: seed)
            var frames: [Frame] = []
            let result = try PolicyEvaluation.run(policy, on: environment, episodes: episodes, seed: seed,
                                                  onFrame: record == nil ? nil : { frames.append($0) })
            if let record {
                try Data(GIFEncoder.encode(frames: frames, delay: 8)).write(to: URL(fileURLWithPath: record))
            }
            let mode = sample ? "sampled" : "deterministic"
            if json {
                let object: [String: Any] = ["run": runDirectory, "environment": spec.id, "policy": policy.name, "mode": mode,
                                             "episodes": episodes, "meanReturn": result.mean, "standardError": result.standardError,
                                             "returns": result.episodes.map(\.episodeReturn), "lengths": result.episodes.map(\.length)]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            } else {
                let meanLength = Double(result.episodes.map(\.length).reduce(0, +)) / Double(episodes)
                print("\(spec.id), \(policy.name), \(mode), \(episodes) episodes: return \(String(format: "%.3f ± %.3f", result.mean, result.standardError)) (mean ± s.e.), mean length \(String(format: "%.1f", meanLength))")
                if let record { print("recorded \(frames.count) frames to \(record)") }
            }
        }
    }
}
