import LatticeRuntime

/// What happened to the viewer window since the last poll.
public enum WindowEvent: Sendable, Equatable {
    /// The user closed the window (or the application was asked to quit).
    case closed
    /// The window was resized or uncovered: draw again.
    case exposed
    /// A key went down (`isRepeat` for auto-repeat).
    case keyDown(ViewerKey, isRepeat: Bool)
    /// A key went up.
    case keyUp(ViewerKey)
}
