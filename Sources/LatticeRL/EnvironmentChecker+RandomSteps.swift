import LatticeTensor

extension CheckSession {
    /// Runs `steps` random actions with resets, checking every observation, reward and frame, and that the
    /// first finished episode refuses another step.
    mutating func checkRandomSteps() {
        guard let env = fresh() else { return }
        var rng = RandomGenerator(seed: seed ^ 0x5A4D_0000)
        var probe = ObservationProbe(count: observationSpace.scalarCount)
        var badObservations = 0, badRewards = 0, episodes = 0
        var frameSize: (Int, Int)? = nil
        var nilFrames = 0, frameChecks = 0, frameMismatch: String? = nil
        var endChecked = false, endProblem: String? = nil
        var stepError: String? = nil
        var firstProblem: String? = nil
        let space = observationSpace

        func look(_ when: String) {
            if let p = probe.problem(in: space) {
                if firstProblem == nil { firstProblem = "\(when): \(p)" }
                badObservations += 1
            }
        }
        func frame(_ when: String) {
            frameChecks += 1
            guard let f = env.render() else { nilFrames += 1; return }
            if let (w, h) = frameSize {
                if (f.width, f.height) != (w, h), frameMismatch == nil {
                    frameMismatch = "\(when): render() gave \(f.width)×\(f.height) after \(w)×\(h); keep one frame size"
                }
            } else {
                frameSize = (f.width, f.height)
            }
        }

        probe.fill { env.reset(seed: seed, into: $0) }
        look("after reset(seed: \(seed))")
        frame("after reset")
        for t in 0..<steps {
            let a = rng.nextInt(below: actionCount)
            let tr: Transition
            do { tr = try probe.fill { try env.step(a, into: $0) } } catch {
                stepError = "step \(t) (episode \(episodes), action \(a)) threw \(error) for a valid action"
                break
            }
            look("after step \(t) (episode \(episodes))")
            if !tr.reward.isFinite {
                if firstProblem == nil { firstProblem = "step \(t): reward \(tr.reward) is not finite" }
                badRewards += 1
            }
            if t < 200 || t % 50 == 0 || tr.isDone { frame("step \(t)") }
            if tr.isDone {
                episodes += 1
                if !endChecked {
                    endChecked = true
                    do {
                        _ = try probe.fill { try env.step(a, into: $0) }
                        endProblem = "step after the episode ended (step \(t)) was accepted; throw EnvironmentError.episodeFinished until reset()"
                    } catch let error as EnvironmentError {
                        if case .episodeFinished = error {} else {
                            endProblem = "step after the end threw \(error); throw EnvironmentError.episodeFinished"
                        }
                    } catch {
                        endProblem = "step after the end threw \(error); throw EnvironmentError.episodeFinished"
                    }
                }
                probe.fill { env.reset(seed: nil, into: $0) }
                look("after the reset following step \(t)")
                frame("after reset (episode \(episodes))")
            }
        }

        if badObservations == 0 && badRewards == 0 {
            pass("observations: every observation fills \(observationSpace) exactly and lies in bounds; rewards finite")
        } else if let firstProblem {
            fail("observations", "\(firstProblem) (\(badObservations) bad observation\(badObservations == 1 ? "" : "s") and \(badRewards) non-finite reward\(badRewards == 1 ? "" : "s") in all)")
        }
        if let stepError { fail("random steps", stepError) } else {
            pass("random steps: \(steps) random actions over \(episodes) finished episode\(episodes == 1 ? "" : "s") without an error")
        }
        if let endProblem { fail("episode end", endProblem) }
        else if endChecked { pass("episode end: step after the end is refused with EnvironmentError.episodeFinished") }
        else if stepError == nil {
            warn("no episode ended in \(steps) random steps, so refusing a step after the end was not checked; add a time limit (TimeLimit) or check termination")
        }
        if let frameMismatch { fail("render", frameMismatch) }
        else if nilFrames == frameChecks { warn("render() returned nil: the environment cannot be watched or recorded") }
        else if nilFrames > 0 { fail("render", "render() returned nil \(nilFrames) times out of \(frameChecks) but a frame otherwise; return a frame every time (or never)") }
        else if let (w, h) = frameSize { pass("render: \(frameChecks) frames, all \(w)×\(h)") }
    }
}
