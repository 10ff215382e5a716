import LatticeRL
import LatticeRuntime

/// Registers the SDL2 window renderer `sdl` (only in builds with the `SDL` trait).
public enum SDLViewerPlugin: PluginModule {
    public static func register(into registries: inout Registries) throws {
        #if SDL
        try registries.renderers.register(
            "sdl", summary: "An SDL2 window: the frame scaled up beside a panel with the overlay",
            parameters: [ParameterInfo("scale", "int", default: "0", "screen pixels per frame pixel (0: the largest whole scale up to 512 px tall)"),
                         ParameterInfo("title", "string", default: "lattice", "the window title")]
        ) { config, _ in
            var reader = try ConfigSectionReader(config)
            let scale: Int = try reader.read("scale", default: 0)
            let title: String = try reader.read("title", default: "lattice")
            try reader.finish()
            return SDLRenderer(scale: scale, title: title)
        }
        #endif
    }
}
