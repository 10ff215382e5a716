import ArgumentParser
import Foundation
import LatticeRL
import LatticeRuntime
import LatticeTensor

/// `lattice rollout <env-id> [key=value …] --policy random --episodes N --seed S [--json]`: plays N episodes
/// and prints the mean and standard error of the episode return and length.
///
/// The random policy draws each action uniformly from the action space with a `RandomGenerator` seeded
/// with `S`; the first episode resets the environment with seed `S`, later ones continue its stream, so a
/// run is reproducible bit for bit. Standard error = sample standard deviation (n − 1) / √n (0 for n = 1).
/// With `--json`: one JSON object per episode (`episode`, `return`, `length`, `truncated`) and a summary.
struct Rollout: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Play episodes with a fixed policy and print episode return and length (mean ± standard error).",
        discussion: """
            Options of the environment follow the id as key=value, e.g.
              lattice rollout MinAtar/Breakout-v1 stickyActionProbability=0 --episodes 100 --seed 1
            Exit status: 0 ok, 1 the environment failed, 2 unknown id, policy or bad option.
            """)

    /// The policies `--policy` accepts.
    static let policies = ["random"]

    @Argument(help: "The environment id, e.g. MinAtar/Breakout-v1 (without -vN: the newest version).")
    var id: String

    @Argument(help: "Environment options as key=value (see `lattice list`).")
    var options: [String] = []

    @Option(help: "The policy: random (uniform over the action space).")
    var policy = "random"

    @Option(help: "Episodes to play.")
    var episodes = 10

    @Option(help: "Seed for the environment's first reset and the policy.")
    var seed: UInt64 = 0

    @Option(help: "Stop an episode after this many steps (counted as truncated), so a policy that never finishes cannot hang.")
    var maxSteps = 1_000_000

    @Flag(help: "Print one JSON object per episode and a summary object instead of text.")
    var json = false

    func validate() throws {
        guard episodes >= 1 else { throw ValidationError("--episodes must be at least 1, got \(episodes)") }
        guard maxSteps >= 1 else { throw ValidationError("--max-steps must be at least 1, got \(maxSteps)") }
    }

    func run() throws {
        let environment: any Environment
        do {
            guard Rollout.policies.contains(policy) else {
                throw ConfigError(.invalidValue, at: nil, path: "",
                                  "unknown policy '\(policy)'; known: \(Rollout.policies.joined(separator: ", "))")
            }
            let arguments = try EnvironmentArguments(id: id, options: options)
            let made = try arguments.make(with: try Catalog.registries())
            if let note = made.note { CommandFailure.note(note) }
            environment = made.environment
        } catch {
            throw CommandFailure.exitCode(for: error)
        }
        guard case .discrete(let actionCount) = environment.actionSpace, actionCount > 0 else {
            throw CommandFailure.exitCode(for: RolloutError.unsupportedActionSpace(environment.actionSpace))
        }

        var rng = RandomGenerator(seed: seed)
        var observation = [Float](repeating: 0, count: environment.observationSpace.scalarCount)
        var returns: [Double] = [], lengths: [Double] = []
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            try observation.withUnsafeMutableBufferPointer { buffer in
                for episode in 0..<episodes {
                    environment.reset(seed: episode == 0 ? seed : nil, into: buffer)
                    var total = 0.0, length = 0, cutOff = false
                    while true {
                        let transition = try environment.step(rng.nextInt(below: actionCount), into: buffer)
                        total += Double(transition.reward)
                        length += 1
                        if transition.isDone { cutOff = transition.truncated; break }
                        if length >= maxSteps { cutOff = true; break }
                    }
                    returns.append(total)
                    lengths.append(Double(length))
                    if json { printJSON(["episode": episode, "return": total, "length": length, "truncated": cutOff]) }
                }
            }
        } catch {
            throw CommandFailure.exitCode(for: error)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let (meanReturn, errorReturn) = Rollout.meanAndStandardError(returns)
        let (meanLength, errorLength) = Rollout.meanAndStandardError(lengths)
        let steps = lengths.reduce(0, +)
        if json {
            printJSON(["summary": true, "environment": environment.id, "policy": policy, "seed": Int(truncatingIfNeeded: seed),
                       "episodes": episodes, "meanReturn": meanReturn, "standardErrorReturn": errorReturn,
                       "meanLength": meanLength, "standardErrorLength": errorLength, "steps": Int(steps)])
        } else {
            print("rollout \(environment.id), policy \(policy), seed \(seed), \(episodes) episode\(episodes == 1 ? "" : "s")")
            print(String(format: "  return  %10.3f ± %.3f (standard error)", meanReturn, errorReturn))
            print(String(format: "  length  %10.1f ± %.1f steps", meanLength, errorLength))
            print(String(format: "  %d steps in %.2f s (%.0f steps/s, policy included)", Int(steps), seconds,
                         steps / max(seconds, 1e-9)))
        }
    }

    /// The mean and the standard error of the mean, `s/√n` with the sample deviation `s` (n − 1); 0 when n = 1.
    static func meanAndStandardError(_ values: [Double]) -> (mean: Double, standardError: Double) {
        let n = Double(values.count)
        guard n > 0 else { return (0, 0) }
        let mean = values.reduce(0, +) / n
        guard n > 1 else { return (mean, 0) }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)
        return (mean, (variance / n).squareRoot())
    }

    private func printJSON(_ object: [String: Any]) {
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        print(String(decoding: data, as: UTF8.self))
    }
}

/// Why `rollout` cannot play an environment.
enum RolloutError: Error, CustomStringConvertible {
    /// The random policy needs a non-empty discrete action space.
    case unsupportedActionSpace(Space)

    var description: String {
        switch self {
        case .unsupportedActionSpace(let space):
            return "the random policy needs a discrete action space with at least one action, got \(space)"
        }
    }
}
