import LatticeRuntime

/// Registers the `gan` trainer.
public enum GANPlugin: PluginModule {
    public static func register(into registries: inout Registries) throws {
        try registries.trainers.register(
            "gan", summary: "adversarial training of model.generator against model.discriminator on a dataset's images",
            parameters: GANConfig.parameters
        ) { config, _ in
            let parsed = try GANConfig(section: config)
            return { context in try GANTrainer(config: parsed, context: context) }
        }
    }
}
