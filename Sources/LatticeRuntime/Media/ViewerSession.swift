import Foundation
import LatticeRL
import LatticeTensor

/// Plays one environment for the viewer — with a policy (`watch`) or with actions given from outside
/// (`play`) — and keeps what the panel shows: episode, step, return, the last decision.
///
/// Frames are counted as states shown: frame 1 is the state after the first reset (seeded with `seed`),
/// and every `advance` makes one more — a step, or, after an episode ended, the reset that starts the
/// next one (later resets continue the environment's stream). So the same seed, policy and number of
/// frames give the same picture in the window, in `--record` and in the tests.
public final class ViewerSession {
    /// The environment played.
    public let environment: any Environment
    /// The acting policy, or `nil` when a person acts.
    public let policy: (any Policy)?
    /// Display names of the actions.
    public let actionNames: [String]
    /// The number of actions.
    public let actionCount: Int
    /// Seed of the first reset.
    public let seed: UInt64
    /// The 1-based number of the current episode (0 before the first reset).
    public private(set) var episode = 0
    /// Steps taken in the current episode.
    public private(set) var step = 0
    /// Sum of the rewards of the current episode.
    public private(set) var episodeReturn = 0.0
    /// The return of the last finished episode, if any.
    public private(set) var lastReturn: Double?
    /// The current episode has ended (terminated or truncated); the next `advance` resets.
    public private(set) var episodeOver = false
    /// The last action taken in this episode, and the policy's decision for it.
    public private(set) var lastAction: Int?
    /// The policy's last decision (probabilities and value), if a policy acts.
    public private(set) var lastDecision: PolicyDecision?
    /// States shown so far (see the type's description).
    public private(set) var frameCount = 0
    private var observation: Tensor

    /// A session over `environment` (discrete actions) acting with `policy` (or `nil` for a person).
    public init(environment: any Environment, policy: (any Policy)?, seed: UInt64, actionNames: [String]) throws {
        guard case .discrete(let n) = environment.actionSpace, n >= 1 else {
            throw EnvironmentError.invalidOption(environment: environment.id, message:
                "the viewer needs a discrete action space, got \(environment.actionSpace)")
        }
        self.environment = environment
        self.policy = policy
        self.actionNames = actionNames
        actionCount = n
        self.seed = seed
        observation = Tensor(zeros: environment.observationSpace.shape)
    }

    /// Starts a new episode (the first one seeded with `seed`) and counts a frame.
    public func reset() {
        if episode > 0, !episodeOver, step > 0 { lastReturn = episodeReturn }
        observation = environment.reset(seed: episode == 0 ? seed : nil)
        episode += 1
        step = 0
        episodeReturn = 0
        episodeOver = false
        lastAction = nil
        lastDecision = nil
        frameCount += 1
    }

    /// Shows the next state: resets when no episode runs or the last one ended; otherwise steps with
    /// `action` when given, else with the policy's choice (no-op 0 without a policy).
    @discardableResult
    public func advance(action: Int? = nil) throws -> Transition? {
        if episode == 0 || episodeOver { reset(); return nil }
        var chosen = action ?? 0
        if action == nil, let policy {
            let decision = policy.act(observation)
            lastDecision = decision
            chosen = decision.action
        } else {
            lastDecision = nil
        }
        let result = try environment.step(chosen)
        observation = result.observation
        step += 1
        episodeReturn += Double(result.reward)
        lastAction = chosen
        frameCount += 1
        if result.terminated || result.truncated {
            episodeOver = true
            lastReturn = episodeReturn
        }
        return Transition(reward: result.reward, terminated: result.terminated, truncated: result.truncated)
    }

    /// The current frame (a black 1 × 1 frame for an environment that cannot draw itself).
    public func frame() -> Frame { environment.render() ?? Frame(width: 1, height: 1) }

    /// The panel for the current state: title = environment id; lines `EPISODE e`, `STEP t`, `RETURN r`,
    /// `LAST RETURN r` (once an episode ended), `DONE` when it just ended, the `status` line (speed or
    /// pause) and the actor (`POLICY <name>` or `HUMAN`); action, probabilities and value from the last
    /// decision; `help` at the bottom.
    public func overlay(status: String, help: [String]) -> Overlay {
        var lines = ["EPISODE \(episode)", "STEP \(step)", String(format: "RETURN %.2f", episodeReturn)]
        lines.append(lastReturn.map { String(format: "LAST RETURN %.2f", $0) } ?? "LAST RETURN -")
        lines.append(episodeOver ? "DONE" : "")
        lines.append(status)
        lines.append(policy.map { "POLICY \($0.name)" } ?? "HUMAN")
        return Overlay(title: environment.id, lines: lines, actionNames: actionNames, action: lastAction,
                       actionProbabilities: policy == nil ? nil : (lastDecision?.probabilities
                           ?? [Float](repeating: 0, count: actionCount)),
                       value: lastDecision?.value, help: help)
    }
}
