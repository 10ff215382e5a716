import LatticeRL

/// Text and numbers drawn over a frame (episode, step, return…), as the renderer chooses to show them.
public struct Overlay: Sendable, Equatable {
    /// Lines of text, top to bottom.
    public var lines: [String]
    /// Creates an overlay.
    public init(lines: [String] = []) { self.lines = lines }
    /// No overlay.
    public static let none = Overlay()
}

/// Shows frames to a person (an SDL window, a terminal) or records them. Environments never open
/// windows themselves: a renderer presents what `Environment.render()` returns.
public protocol Renderer: AnyObject {
    /// Shows `frame` with `overlay`; throws when the display is gone (window closed by the user).
    func present(_ frame: Frame, overlay: Overlay) throws
    /// Releases the window or device; further `present` calls throw.
    func close()
}
