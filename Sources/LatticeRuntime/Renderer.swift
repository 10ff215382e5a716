import LatticeRL

/// Text and numbers drawn beside a frame (episode, step, return…), as the renderer chooses to show them,
/// and, when a policy acts, the action it took, its action probabilities and its value estimate.
public struct Overlay: Sendable, Equatable {
    /// A heading (the environment id), or empty.
    public var title: String
    /// Lines of text, top to bottom.
    public var lines: [String]
    /// A short name for every action (`NOOP`, `LEFT`…), or empty to show indices.
    public var actionNames: [String]
    /// The action taken last, if any.
    public var action: Int?
    /// `π(a|s)` for every action, drawn as bars, or `nil`.
    public var actionProbabilities: [Float]?
    /// The value estimate `V(s)`, or `nil`.
    public var value: Float?
    /// Key help, drawn at the bottom (`SPACE PAUSE`…).
    public var help: [String]

    /// Creates an overlay.
    public init(title: String = "", lines: [String] = [], actionNames: [String] = [], action: Int? = nil,
                actionProbabilities: [Float]? = nil, value: Float? = nil, help: [String] = []) {
        self.title = title
        self.lines = lines
        self.actionNames = actionNames
        self.action = action
        self.actionProbabilities = actionProbabilities
        self.value = value
        self.help = help
    }

    /// No overlay.
    public static let none = Overlay()

    /// The name of action `a`: `actionNames[a]` when given, else `A<a>`.
    public func name(ofAction a: Int) -> String {
        a >= 0 && a < actionNames.count ? actionNames[a] : "A\(a)"
    }
}

/// Shows frames to a person (an SDL window, a terminal) or records them. Environments never open
/// windows themselves: a renderer presents what `Environment.render()` returns.
public protocol Renderer: AnyObject {
    /// Shows `frame` with `overlay`; throws when the display is gone (window closed by the user).
    func present(_ frame: Frame, overlay: Overlay) throws
    /// Releases the window or device; further `present` calls throw.
    func close()
}
