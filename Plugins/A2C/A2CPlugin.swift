import LatticeRuntime

/// Registers the A2C trainer by id.
public enum A2CPlugin: PluginModule {
    public static func register(into registries: inout Registries) throws {}
}
