/// Why the viewer could not open or keep its window; each message says what to do instead.
public enum ViewerError: Error, Equatable, CustomStringConvertible {
    /// This build left the viewer out (the `SDL` package trait is off).
    case sdlUnavailable
    /// SDL found no display and fell back to a headless video driver.
    case noDisplay(driver: String)
    /// An SDL call failed.
    case sdl(call: String, message: String)
    /// The window was closed or released.
    case windowClosed

    /// What went wrong and what to do instead.
    public var description: String {
        switch self {
        case .sdlUnavailable:
            return "this lattice was built without the SDL viewer; install libsdl2-dev (apt-get install libsdl2-dev) "
                + "and build with the default traits (`swift build`, not `--disable-default-traits`), "
                + "or record headless with `lattice watch <env-id> --record out.gif`"
        case .noDisplay(let driver):
            return "no display: SDL chose its '\(driver)' video driver (is DISPLAY set? try `Xvfb :99 &` and "
                + "`export DISPLAY=:99`); record the episode instead with `--record out.gif`, which works headless"
        case .sdl(let call, let message):
            return "SDL: \(call) failed: \(message)"
        case .windowClosed:
            return "the viewer window is closed"
        }
    }
}
