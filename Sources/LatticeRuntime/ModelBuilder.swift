import LatticeNN
import LatticeTensor

/// Builds the layers of a config's layer list through the layer registry, inferring each layer's
/// input shape from the previous layer's output (`Layer.outputShape(for:)`).
public enum ModelBuilder {
    /// Builds `specs` in order starting from `inputShape` (batch axis included). Config errors keep
    /// their positions; layers draw their initial weights from `rng`; a registry or shape error is reported at the layer's list entry with the key path
    /// (`model.trunk.2 (conv2d): …`). Returns the layers and the final output shape.
    public static func build(_ specs: [LayerSpec], inputShape: [Int], registries: Registries,
                             rng: inout RandomGenerator) throws -> (layers: [any Layer], outputShape: [Int]) {
        var shape = inputShape
        var layers: [any Layer] = []
        for spec in specs {
            do {
                let builder = try registries.layers.make(spec.id, config: spec.config, registries: registries)
                let layer = try builder(shape, &rng)
                shape = try layer.outputShape(for: shape)
                layers.append(layer)
            } catch let error as ConfigError {
                throw error
            } catch let error as RegistryError {
                throw ConfigError(.invalidValue, at: spec.node.entries?.first?.keyLocation ?? spec.node.location,
                                  path: spec.node.pathText, error.description)
            } catch {
                throw ConfigError(.invalidValue, at: spec.node.location, path: spec.node.pathText,
                                  "\(spec.id) with input shape \(shape): \(error)")
            }
        }
        return (layers, shape)
    }
}
