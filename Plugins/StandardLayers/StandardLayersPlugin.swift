import LatticeRuntime

/// Registers the core layers of LatticeNN by id.
public enum StandardLayersPlugin: PluginModule {
    public static func register(into registries: inout Registries) throws {}
}
