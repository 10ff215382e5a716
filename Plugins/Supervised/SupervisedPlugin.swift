import LatticeRuntime

/// Registers the supervised trainer by id.
public enum SupervisedPlugin: PluginModule {
    public static func register(into registries: inout Registries) throws {}
}
