import LatticeRuntime

/// Registers the MinAtar environments by id.
public enum MinAtarPlugin: PluginModule {
    public static func register(into registries: inout Registries) throws {}
}
