import LatticeRuntime

/// Registers the GAN trainer by id.
public enum GANPlugin: PluginModule {
    public static func register(into registries: inout Registries) throws {}
}
