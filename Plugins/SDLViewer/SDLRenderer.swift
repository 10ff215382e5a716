#if SDL
import LatticeRL
import LatticeRuntime

/// The `sdl` renderer: presents frames with their overlay in an `SDLWindow` (opened at the first frame,
/// sized for it) composed by `ViewerCanvas`; throws `ViewerError.windowClosed` once the user closed it.
public final class SDLRenderer: Renderer {
    /// Screen pixels per frame pixel (0: `ViewerCanvas.defaultScale`).
    public let scale: Int
    /// The window title.
    public let title: String
    private var window: SDLWindow?
    private var canvas: ViewerCanvas?
    private var closed = false

    /// A renderer opening its window at the first `present`.
    public init(scale: Int = 0, title: String = "lattice") {
        self.scale = scale
        self.title = title
    }

    /// Shows `frame` beside `overlay`; throws when the window was closed.
    public func present(_ frame: Frame, overlay: Overlay) throws {
        guard !closed else { throw ViewerError.windowClosed }
        if canvas?.frameWidth != frame.width || canvas?.frameHeight != frame.height {
            canvas = ViewerCanvas(frameWidth: frame.width, frameHeight: frame.height,
                                  scale: scale > 0 ? scale : ViewerCanvas.defaultScale(frameHeight: frame.height))
        }
        let image = canvas!.compose(frame, overlay: overlay)
        if window == nil { window = try SDLWindow(title: title, width: image.width, height: image.height) }
        let events = window!.pollEvents()
        if events.contains(.closed) || events.contains(.keyDown(.escape, isRepeat: false)) {
            close()
            throw ViewerError.windowClosed
        }
        try window!.show(image)
    }

    /// Closes the window.
    public func close() {
        window?.close()
        window = nil
        closed = true
    }
}
#endif
