import LatticeNN
import LatticeTensor

extension ConfigSectionReader {
    /// A string under `key` that must be one of `choices`; anything else is an error at the value's line
    /// and column listing the choices.
    public mutating func readChoice(_ key: String, default defaultValue: String, choices: [String]) throws -> String {
        let value = try read(key, default: defaultValue)
        guard choices.contains(value) else {
            let node = section[key]
            let nearest = EditDistance.nearest(to: value, in: choices)
            throw ConfigError(.invalidValue, at: node?.location, path: node?.pathText ?? key,
                              "'\(value)' is not one of \(choices.joined(separator: ", "))"
                              + (nearest.map { "; did you mean '\($0)'?" } ?? ""))
        }
        return value
    }

    /// The optional `init` and `gain` keys of a layer with weights: `default` keeps the layer's own
    /// initialisation (PyTorch's), others name an `Initializer`; biases are set to zero when one is named.
    public mutating func readWeightInitializer() throws -> Initializer? {
        let name = try readChoice("init", default: "default",
                                  choices: ["default", "heNormal", "heUniform", "glorotUniform", "glorotNormal", "orthogonal", "zeros"])
        let gain = try read("gain", default: Float(1))
        switch name {
        case "heNormal": return .heNormal()
        case "heUniform": return .heUniform()
        case "glorotUniform": return .glorotUniform(gain: gain)
        case "glorotNormal": return .glorotNormal(gain: gain)
        case "orthogonal": return .orthogonal(gain: gain)
        case "zeros": return .zeros
        default: return nil
        }
    }
}

extension Initializer {
    /// Re-initialises a layer's `weight` with this initializer and zeroes its `bias`.
    public func apply(to layer: any Layer, using rng: inout RandomGenerator) {
        for (name, parameter) in layer.namedParameters() {
            if name == "weight" { initialize(parameter, using: &rng) }
            if name == "bias" { parameter.assign(Tensor(zeros: parameter.shape)) }
        }
    }
}

/// The `init` and `gain` keys every layer with weights accepts, for `lattice list`.
public enum StandardInitialization {
    public static let parameters = [
        ParameterInfo("init", "string", default: "default",
                      "default (PyTorch's) | heNormal | heUniform | glorotUniform | glorotNormal | orthogonal | zeros"),
        ParameterInfo("gain", "float", default: "1", "gain for glorot*/orthogonal"),
    ]
}
