import LatticeRuntime

/// Registers the grid-world environments by id.
public enum GridWorldPlugin: PluginModule {
    public static func register(into registries: inout Registries) throws {}
}
