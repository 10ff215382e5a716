#if SDL
import CSDL2
import Foundation
import LatticeRL
import LatticeRuntime

/// One resizable SDL2 window with a software renderer showing an RGBA canvas through a streaming
/// `SDL_PIXELFORMAT_RGBA32` texture. The canvas keeps its aspect when the window is resized
/// (`SDL_RenderSetLogicalSize` letterboxes) and is scaled with nearest-neighbour sampling.
///
/// SDL is initialised by the first window (`SDL_SetMainReady`, then `SDL_Init(SDL_INIT_VIDEO)`) and shut
/// down by `close()`. With no display SDL 2.26 silently picks the `offscreen` driver: unless
/// `SDL_VIDEODRIVER` asked for a headless driver, that is refused with `ViewerError.noDisplay`.
public final class SDLWindow {
    /// The video driver SDL is using (`x11`, `wayland`, `dummy`, `offscreen`…).
    public let videoDriver: String
    private var window: OpaquePointer?
    private var renderer: OpaquePointer?
    private var texture: OpaquePointer?
    private var textureWidth = 0, textureHeight = 0
    /// The last canvas shown.
    public private(set) var lastImage: RGBAImage?

    /// Video drivers that show nothing to a person.
    public static let headlessDrivers: Set<String> = ["offscreen", "dummy", "evdev", "KMSDRM"]

    /// Opens a `width × height` window titled `title`.
    public init(title: String, width: Int, height: Int) throws {
        SDL_SetMainReady()
        _ = SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "0")
        _ = SDL_SetHint(SDL_HINT_VIDEO_X11_NET_WM_BYPASS_COMPOSITOR, "0")
        guard SDL_Init(SDL_INIT_VIDEO) == 0 else {
            throw ViewerError.sdl(call: "SDL_Init(VIDEO)", message: SDLWindow.lastError()
                + "; with no display, record instead with --record out.gif")
        }
        videoDriver = SDL_GetCurrentVideoDriver().map { String(cString: $0) } ?? "none"
        let requested = ProcessInfo.processInfo.environment["SDL_VIDEODRIVER"] ?? ""
        if SDLWindow.headlessDrivers.contains(videoDriver), requested.isEmpty {
            SDL_Quit()
            throw ViewerError.noDisplay(driver: videoDriver)
        }
        let centered = Int32(bitPattern: UInt32(SDL_WINDOWPOS_CENTERED_MASK))
        let flags = SDL_WINDOW_SHOWN.rawValue | SDL_WINDOW_RESIZABLE.rawValue
        guard let w = SDL_CreateWindow(title, centered, centered, Int32(width), Int32(height), flags) else {
            let message = SDLWindow.lastError()
            SDL_Quit()
            throw ViewerError.sdl(call: "SDL_CreateWindow", message: message)
        }
        window = w
        guard let r = SDL_CreateRenderer(w, -1, SDL_RENDERER_SOFTWARE.rawValue) else {
            let message = SDLWindow.lastError()
            SDL_DestroyWindow(w)
            SDL_Quit()
            throw ViewerError.sdl(call: "SDL_CreateRenderer(software)", message: message)
        }
        renderer = r
    }

    deinit { close() }

    /// SDL's last error text.
    static func lastError() -> String { SDL_GetError().map { String(cString: $0) } ?? "unknown error" }

    /// Shows `image`, letterboxed to the window's current size.
    public func show(_ image: RGBAImage) throws {
        guard let renderer else { throw ViewerError.windowClosed }
        try draw(image, on: renderer)
        SDL_RenderPresent(renderer)
        lastImage = image
    }

    /// Clears the back buffer and copies `image` into it (through the streaming texture).
    private func draw(_ image: RGBAImage, on renderer: OpaquePointer) throws {
        if texture == nil || textureWidth != image.width || textureHeight != image.height {
            if let texture { SDL_DestroyTexture(texture) }
            texture = SDL_CreateTexture(renderer, UInt32(SDL_PIXELFORMAT_RGBA32.rawValue),
                                        Int32(SDL_TEXTUREACCESS_STREAMING.rawValue), Int32(image.width), Int32(image.height))
            guard texture != nil else { throw ViewerError.sdl(call: "SDL_CreateTexture", message: SDLWindow.lastError()) }
            textureWidth = image.width
            textureHeight = image.height
            SDL_RenderSetLogicalSize(renderer, Int32(image.width), Int32(image.height))
        }
        let status = image.pixels.withUnsafeBytes {
            SDL_UpdateTexture(texture, nil, $0.baseAddress, Int32(image.width * 4))
        }
        guard status == 0 else { throw ViewerError.sdl(call: "SDL_UpdateTexture", message: SDLWindow.lastError()) }
        SDL_SetRenderDrawColor(renderer, 0, 0, 0, 255)
        SDL_RenderClear(renderer)
        SDL_RenderCopy(renderer, texture, nil, nil)
    }

    /// The window's pixels as they are shown now (letterbox included), read back with
    /// `SDL_RenderReadPixels` after drawing the last canvas again.
    public func readPixels() throws -> RGBAImage {
        guard let renderer else { throw ViewerError.windowClosed }
        guard let image = lastImage else { throw ViewerError.sdl(call: "readPixels", message: "nothing shown yet") }
        try draw(image, on: renderer)
        var w: Int32 = 0, h: Int32 = 0
        guard SDL_GetRendererOutputSize(renderer, &w, &h) == 0, w > 0, h > 0 else {
            throw ViewerError.sdl(call: "SDL_GetRendererOutputSize", message: SDLWindow.lastError())
        }
        // Read the whole output, not the logical viewport: drop the logical size while reading.
        SDL_RenderSetLogicalSize(renderer, 0, 0)
        SDL_RenderSetViewport(renderer, nil)
        defer { SDL_RenderSetLogicalSize(renderer, Int32(image.width), Int32(image.height)) }
        var pixels = [UInt8](repeating: 0, count: Int(w) * Int(h) * 4)
        let status = pixels.withUnsafeMutableBytes {
            SDL_RenderReadPixels(renderer, nil, UInt32(SDL_PIXELFORMAT_RGBA32.rawValue), $0.baseAddress, w * 4)
        }
        guard status == 0 else { throw ViewerError.sdl(call: "SDL_RenderReadPixels", message: SDLWindow.lastError()) }
        SDL_RenderPresent(renderer)
        for i in stride(from: 3, to: pixels.count, by: 4) { pixels[i] = 255 }
        return RGBAImage(width: Int(w), height: Int(h), pixels: pixels)
    }

    /// The window's output size in pixels.
    public var outputSize: (width: Int, height: Int) {
        guard let renderer else { return (0, 0) }
        var w: Int32 = 0, h: Int32 = 0
        SDL_GetRendererOutputSize(renderer, &w, &h)
        return (Int(w), Int(h))
    }

    /// Resizes the window (as a user dragging its border would).
    public func resize(width: Int, height: Int) {
        guard let window else { return }
        SDL_SetWindowSize(window, Int32(width), Int32(height))
    }

    /// Pending events, translated; `nil` entries are dropped.
    public func pollEvents() -> [WindowEvent] {
        var events: [WindowEvent] = []
        var event = SDL_Event()
        while SDL_PollEvent(&event) != 0 {
            switch event.type {
            case SDL_QUIT.rawValue:
                events.append(.closed)
            case SDL_WINDOWEVENT.rawValue:
                let kind = UInt32(event.window.event)
                if kind == SDL_WINDOWEVENT_CLOSE.rawValue { events.append(.closed) }
                if kind == SDL_WINDOWEVENT_SIZE_CHANGED.rawValue || kind == SDL_WINDOWEVENT_EXPOSED.rawValue {
                    events.append(.exposed)
                }
            case SDL_KEYDOWN.rawValue:
                if let key = SDLWindow.key(for: event.key.keysym.sym) {
                    events.append(.keyDown(key, isRepeat: event.key.repeat != 0))
                }
            case SDL_KEYUP.rawValue:
                if let key = SDLWindow.key(for: event.key.keysym.sym) { events.append(.keyUp(key)) }
            default:
                break
            }
        }
        return events
    }

    /// The viewer key for an SDL key code.
    static func key(for code: SDL_Keycode) -> ViewerKey? {
        switch Int(code) {
        case Int(SDLK_LEFT.rawValue): return .left
        case Int(SDLK_RIGHT.rawValue): return .right
        case Int(SDLK_UP.rawValue): return .up
        case Int(SDLK_DOWN.rawValue): return .down
        case Int(SDLK_SPACE.rawValue): return .space
        case Int(SDLK_RETURN.rawValue), Int(SDLK_KP_ENTER.rawValue): return .enter
        case Int(SDLK_ESCAPE.rawValue): return .escape
        case Int(SDLK_PLUS.rawValue), Int(SDLK_EQUALS.rawValue), Int(SDLK_KP_PLUS.rawValue): return .plus
        case Int(SDLK_MINUS.rawValue), Int(SDLK_KP_MINUS.rawValue): return .minus
        case 48...57, 97...122: return .character(Character(Unicode.Scalar(UInt8(code))))
        default: return nil
        }
    }

    /// Closes the window and shuts SDL down; later calls do nothing.
    public func close() {
        if let texture { SDL_DestroyTexture(texture) }
        if let renderer { SDL_DestroyRenderer(renderer) }
        if let window {
            SDL_DestroyWindow(window)
            SDL_Quit()
        }
        texture = nil
        renderer = nil
        window = nil
    }
}
#endif
