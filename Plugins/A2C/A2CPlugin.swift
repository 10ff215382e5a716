import LatticeRuntime

/// Registers the `a2c` trainer.
public enum A2CPlugin: PluginModule {
    public static func register(into registries: inout Registries) throws {
        try registries.trainers.register(
            "a2c", summary: "synchronous advantage actor-critic (n-step returns, RMSprop, SB3's defaults) on a vector environment",
            parameters: A2CConfig.parameters
        ) { config, _ in
            let parsed = try A2CConfig(section: config)
            return { context in try A2CTrainer(config: parsed, context: context) }
        }
    }
}
