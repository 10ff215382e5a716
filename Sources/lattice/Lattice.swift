import ArgumentParser
import Foundation

/// The `lattice` command: train, evaluate, watch, benchmark and list plugins.
///
/// Exit codes: 0 success, 1 runtime failure, 2 bad usage or config.
@main
struct Lattice: ParsableCommand {
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                if !message.isEmpty { print(message) }
                Foundation.exit(0)
            }
            if !message.isEmpty { FileHandle.standardError.write(Data((message + "\n").utf8)) }
            // ArgumentParser reports usage errors as 64 (EX_USAGE); Lattice's contract says 2.
            Foundation.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }

    static let configuration = CommandConfiguration(
        commandName: "lattice",
        abstract: "CoordConv research in Swift: RL, GANs and supervised coordinate tasks on the CPU.",
        subcommands: [
            Train.self, ModelSummary.self, List.self,
            CheckEnvironment.self, Rollout.self,
            Bench.self, Watch.self, Play.self, Reproduce.self,
            Evaluate.self, Compare.self,
        ])
}
