import Dispatch
import Foundation
import Synchronization

/// Turns Ctrl-C (SIGINT) into a stop request: the first SIGINT sets a flag that `callback` turns into
/// `.stop`, so the trainer finishes its step, writes a final checkpoint and flushes its logs; a second
/// SIGINT exits at once (the last checkpoint on disk stays intact — files are written atomically).
public final class InterruptFlag: @unchecked Sendable {  // the source is set once in init
    private let raised = Atomic<Int>(0)
    private let source: DispatchSourceSignal?

    /// A flag; with `installHandler`, SIGINT sets it.
    public init(installHandler: Bool) {
        guard installHandler else { source = nil; return }
        signal(SIGINT, SIG_IGN)
        let s = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source = s
        s.setEventHandler { [weak self] in
            guard let self else { return }
            let count = self.raised.add(1, ordering: .relaxed).newValue
            if count >= 2 {
                FileHandle.standardError.write(Data("\nsecond Ctrl-C: exiting now\n".utf8))
                exit(130)
            }
        }
        s.resume()
    }

    /// Raises the flag by hand (tests).
    public func raise() { raised.add(1, ordering: .relaxed) }

    /// Whether SIGINT has arrived.
    public var isRaised: Bool { raised.load(ordering: .relaxed) > 0 }

    /// A callback that asks training to stop once the flag is raised.
    public var callback: any TrainingCallback {
        ClosureCallback { [self] _ in isRaised ? .stop("interrupted (Ctrl-C)") : .proceed }
    }

    deinit { source?.cancel() }
}
