import ArgumentParser
import LatticeRL
import LatticeRuntime

/// `lattice check-env <id> [key=value …] [--steps N] [--seed S]`: runs the `EnvironmentChecker` on a
/// registered environment and prints its report.
///
/// Exit codes: 0 when every check passes, 1 when one fails (or the environment throws at run time),
/// 2 for an unknown id (the message lists the known ids) or a bad option.
struct CheckEnvironment: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-env",
        abstract: "Check that an environment keeps the Environment contract (spaces, determinism, episode end, …).",
        discussion: """
            Options of the environment follow the id as key=value (values read as YAML), e.g.
              lattice check-env MinAtar/Breakout-v1 stickyActionProbability=0 maxEpisodeSteps=500
            Exit status: 0 all checks pass, 1 a check fails, 2 unknown id or bad option.
            """)

    @Argument(help: "The environment id, e.g. MinAtar/Breakout-v1 (without -vN: the newest version).")
    var id: String

    @Argument(help: "Environment options as key=value (see `lattice list`).")
    var options: [String] = []

    @Option(help: "Random steps in the crash test.")
    var steps = 10_000

    @Option(help: "Seed for the checker's resets and random actions.")
    var seed: UInt64 = 0

    func validate() throws {
        guard steps >= 1 else { throw ValidationError("--steps must be at least 1, got \(steps)") }
    }

    func run() throws {
        let arguments: EnvironmentArguments
        let registries: Registries
        do {
            registries = try Catalog.registries()
            arguments = try EnvironmentArguments(id: id, options: options)
            // Build once up front so an unknown id or a bad option is a usage error, not a failed check.
            let (_, note) = try arguments.make(with: registries)
            if let note { CommandFailure.note(note) }
        } catch {
            throw CommandFailure.exitCode(for: error)
        }
        let report = EnvironmentChecker.run(makeEnvironment: { try arguments.make(with: registries).environment },
                                            steps: steps, seed: seed)
        print(report)
        if !report.isPassing { throw ExitCode(1) }
    }
}
