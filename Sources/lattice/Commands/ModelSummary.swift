import ArgumentParser
import Foundation
import LatticeNN
import LatticeRuntime
import LatticeTensor

/// `lattice model <config>`: builds each network of a config and prints its layer table.
struct ModelSummary: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "Print the layer table (output shapes, parameters) of a config's model.")

    @Argument(help: "The experiment config (YAML).")
    var config: String

    @Argument(help: "Overrides: key.path=value, +key=value, ~key.")
    var overrides: [String] = []

    @Option(help: "Input shape without the batch axis, e.g. 4,10,10 (default: from the dataset or environment).")
    var input: String?

    func run() throws {
        try CommandErrors.run {
            let registries = try Catalog.registries()
            let experiment = try ExperimentConfig(contentsOf: URL(fileURLWithPath: config), overrides: overrides)
            var shape: [Int]
            if let input {
                shape = input.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            } else if let d = experiment.dataset {
                shape = try registries.datasets.make(d.id, config: d.config, registries: registries).split("train").inputShape
            } else if let e = experiment.environment {
                shape = try registries.environments.make(e.id, config: e.config, registries: registries).observationSpace.shape
            } else {
                throw ValidationError("give --input")
            }
            var rng = RandomGenerator(seed: experiment.seed)
            var total = 0
            var lastTrunkShape: [Int]? = nil
            for (name, specs) in experiment.model.networks {
                let networkInput = name == "policyHead" || name == "valueHead" ? nil : shape
                guard let start = networkInput ?? lastTrunkShape else { continue }
                let built = try ModelBuilder.build(specs, inputShape: [1] + start, registries: registries, rng: &rng)
                print("\(name)  (input \(start))")
                print(pad("#", 4) + pad("layer", 22) + pad("output shape", 22) + "parameters")
                var s = [1] + start
                var count = 0
                for (i, (spec, layer)) in zip(specs, built.layers).enumerated() {
                    s = try layer.outputShape(for: s)
                    count += layer.parameterCount
                    print(pad("\(i)", 4) + pad(spec.id, 22) + pad("\(Array(s.dropFirst()))", 22) + "\(layer.parameterCount)")
                }
                print("total \(count) parameters\n")
                total += count
                if name == "trunk" { lastTrunkShape = Array(built.outputShape.dropFirst()) }
            }
            if let e = experiment.environment, experiment.model["trunk"] != nil,
               experiment.model.networks.allSatisfy({ ActorCriticBuilder.networkNames.contains($0.name) }) {
                // RL trainers append the output layers for the environment's action count (ActorCriticBuilder).
                let environment = try registries.environments.make(e.id, config: e.config, registries: registries)
                if case .discrete(let actions) = environment.actionSpace {
                    var rng = RandomGenerator(seed: experiment.seed)
                    let model = try ActorCriticBuilder.build(experiment.model, observationShape: shape, actionCount: actions,
                                                             registries: registries, rng: &rng)
                    let appended = model.parameterCount - total
                    print("actor-critic: output layers appended by the trainer for \(actions) actions and the value: \(appended) parameters")
                    total = model.parameterCount
                }
            }
            print("model: \(total) parameters")
        }
    }

    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
}
