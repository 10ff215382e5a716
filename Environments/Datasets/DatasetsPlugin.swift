import LatticeRuntime

/// Registers the datasets by id.
public enum DatasetsPlugin: PluginModule {
    public static func register(into registries: inout Registries) throws {}
}
