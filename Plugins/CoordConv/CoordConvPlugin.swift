import LatticeRuntime

/// Registers the CoordConv layers by id.
public enum CoordConvPlugin: PluginModule {
    public static func register(into registries: inout Registries) throws {}
}
