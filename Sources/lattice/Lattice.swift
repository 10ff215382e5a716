import ArgumentParser

/// The `lattice` command: train, evaluate, watch, benchmark and list plugins.
@main
struct Lattice: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lattice",
        abstract: "CoordConv research in Swift: RL, GANs and supervised coordinate tasks on the CPU.",
        subcommands: [
            Train.self, ModelSummary.self, List.self,
            CheckEnvironment.self, Rollout.self,
            Bench.self,
        ])
}
