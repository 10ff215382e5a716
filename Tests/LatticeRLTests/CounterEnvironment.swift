import LatticeRL
import LatticeTensor

/// A deterministic toy environment whose observations say where it is, for hand-checkable tests.
///
/// Observation `[t, episode, value]` (or that reshaped to `[3, 1, 1]`): `t` steps taken in this episode,
/// `episode` the number of resets before this one, `value` a number in 0..<100 drawn from the seeded
/// generator at each reset. Actions 0..<3; reward `(action + 1) · rewardScale`. The episode terminates
/// when `t` reaches `episodeLength` (or, with `randomLengths`, a length in 1...6 drawn at each reset).
/// `render()` draws a 4×2 frame: black, with pixel `(t mod 4, 0)` red and pixel `(episode mod 4, 1)` green.
/// `fault` breaks one rule on purpose, for the checker's tests.
final class CounterEnvironment: Environment {
    enum Fault { case none, nondeterministic, writesTooFew, writesTooMany, acceptsInvalidActions,
                 stepsAfterEnd, outOfBounds, renderSizeChanges, invalidActionAdvances }

    let id: String
    let episodeLength: Int
    let randomLengths: Bool
    let rewardScale: Float
    let fault: Fault
    let observationSpace: Space
    let actionSpace = Space.discrete(3)
    /// Extra busy work per step, to make the environment expensive (for the threading benchmark).
    let work: Int
    var rng = RandomGenerator(seed: 0)
    var t = 0, episode = -1, value = 0, length = 0
    var finished = false
    var sink: UInt64 = 0
    var systemRNG = SystemRandomNumberGenerator()

    init(id: String = "Test/Counter-v0", episodeLength: Int = 5, randomLengths: Bool = false, rewardScale: Float = 1,
         imageShaped: Bool = false, fault: Fault = .none, work: Int = 0) {
        self.id = id
        self.episodeLength = episodeLength
        self.randomLengths = randomLengths
        self.rewardScale = rewardScale
        self.fault = fault
        self.work = work
        observationSpace = .box(shape: imageShaped ? [3, 1, 1] : [3], low: 0, high: 100_000)
    }

    func write(_ o: UnsafeMutableBufferPointer<Float>) {
        var v = Float(value)
        if fault == .nondeterministic { v = Float(UInt64.random(in: 0..<100, using: &systemRNG)) }
        if fault == .outOfBounds && t == 2 { v = 1_000_000 }
        o[0] = Float(t)
        o[1] = Float(episode)
        if fault != .writesTooFew { o[2] = v }
        if fault == .writesTooMany { o.baseAddress![3] = 7 }
    }

    func reset(seed: UInt64?, into observation: UnsafeMutableBufferPointer<Float>) {
        if let seed { rng = RandomGenerator(seed: seed); episode = -1 }
        episode += 1
        t = 0
        value = rng.nextInt(below: 100)
        length = randomLengths ? 1 + rng.nextInt(below: 6) : episodeLength
        finished = false
        write(observation)
    }

    func step(_ action: Int, into observation: UnsafeMutableBufferPointer<Float>) throws -> Transition {
        guard episode >= 0 else { throw EnvironmentError.notReset(environment: id) }
        if fault == .invalidActionAdvances && !actionSpace.contains(action) { t += 1 }
        if fault != .acceptsInvalidActions {
            guard actionSpace.contains(action) else {
                throw EnvironmentError.invalidAction(environment: id, action: action, space: actionSpace)
            }
        }
        if fault != .stepsAfterEnd {
            guard !finished else { throw EnvironmentError.episodeFinished(environment: id) }
        }
        if work > 0 {
            var x = sink | 1
            for _ in 0..<work { x ^= x << 13; x ^= x >> 7; x ^= x << 17 }
            sink = x
        }
        t += 1
        finished = t >= length
        write(observation)
        return Transition(reward: Float(action + 1) * rewardScale, terminated: finished, truncated: false)
    }

    func render() -> Frame? {
        let width = fault == .renderSizeChanges && t == 3 ? 5 : 4
        var f = Frame(width: width, height: 2)
        let x = t % 4, y = ((episode % 4) + 4) % 4
        f.pixels[3 * x] = 255
        f.pixels[3 * (width + y) + 1] = 255
        return f
    }
}
