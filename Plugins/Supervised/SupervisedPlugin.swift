import LatticeRuntime

/// Registers the `supervised` trainer.
public enum SupervisedPlugin: PluginModule {
    public static func register(into registries: inout Registries) throws {
        try registries.trainers.register(
            "supervised", summary: "minibatch Adam on a dataset's train split, evaluated on its test split",
            parameters: SupervisedConfig.parameters
        ) { config, _ in
            let parsed = try SupervisedConfig(section: config)
            return { context in try SupervisedTrainer(config: parsed, context: context) }
        }
    }
}
