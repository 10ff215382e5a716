import LatticeRuntime

/// Registers the PPO trainer by id.
public enum PPOPlugin: PluginModule {
    public static func register(into registries: inout Registries) throws {}
}
