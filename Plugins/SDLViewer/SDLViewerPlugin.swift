import LatticeRuntime

/// Registers the SDL2 window renderer (only in builds with the `SDL` trait).
public enum SDLViewerPlugin: PluginModule {
    public static func register(into registries: inout Registries) throws {}
}
