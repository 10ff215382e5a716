import LatticeRuntime

/// Registers the `ppo` trainer.
public enum PPOPlugin: PluginModule {
    public static func register(into registries: inout Registries) throws {
        try registries.trainers.register(
            "ppo", summary: "Proximal Policy Optimization (clipped surrogate, GAE, CleanRL's defaults) on a vector environment",
            parameters: PPOConfig.parameters
        ) { config, _ in
            let parsed = try PPOConfig(section: config)
            return { context in try PPOTrainer(config: parsed, context: context) }
        }
    }
}
