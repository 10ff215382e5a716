import LatticeTensor
import LatticeNN
import LatticeRL

/// Builds a layer once the shape of its input (batch axis included) is known; the config has
/// already been read by the registry factory, so config errors surface before any shape is known.
public typealias LayerBuilder = @Sendable (_ inputShape: [Int], _ rng: inout RandomGenerator) throws -> any Layer

/// Builds a trainer for one experiment from everything it needs besides its own config section.
public typealias TrainerBuilder = (_ context: TrainerContext) throws -> any Trainer

/// Every plugin registry, built once at start-up (`Registries(modules:)`) and passed down by value.
public struct Registries: Sendable {
    /// Layers by id (`conv2d`, `coordconv2d`): config section → builder taking the input shape.
    public var layers = Registry<LayerBuilder>(kind: "layer")
    /// Environments by id (`MinAtar/Breakout-v1`).
    public var environments = Registry<any Environment>(kind: "environment")
    /// Datasets by id (`NotSoClevr/Uniform-v1`).
    public var datasets = Registry<any Dataset>(kind: "dataset")
    /// Trainers by id (`ppo`, `a2c`, `gan`, `supervised`).
    public var trainers = Registry<TrainerBuilder>(kind: "trainer")
    /// Renderers by id (`sdl`, `none`).
    public var renderers = Registry<any Renderer>(kind: "renderer")

    /// Empty registries.
    public init() {}

    /// Registries filled by each module in order; a duplicate id across modules is an error.
    public init(modules: [any PluginModule.Type]) throws {
        for module in modules { try module.register(into: &self) }
    }
}

/// A plugin target's entry point: registers its products by id.
///
/// ```swift
/// public enum CoordConvPlugin: PluginModule {
///     public static func register(into registries: inout Registries) throws {
///         try registries.layers.register("coordconv2d", summary: "Conv2D with coordinate channels") { config, _ in … }
///     }
/// }
/// ```
public protocol PluginModule {
    /// Adds this module's products to `registries`.
    static func register(into registries: inout Registries) throws
}
