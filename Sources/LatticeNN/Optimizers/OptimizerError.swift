/// Why an optimizer refused its inputs or a saved state.
public enum OptimizerError: Error, Equatable, CustomStringConvertible {
    /// Different numbers of parameters and gradients.
    case countMismatch(parameters: Int, gradients: Int)
    /// The gradient at `index` does not have its parameter's shape.
    case shapeMismatch(index: Int, parameterShape: [Int], gradientShape: [Int])
    /// A state tensor whose name matches no parameter slot of this optimizer.
    case unknownStateTensor(name: String, known: [String])
    /// Some but not all slots of a parameter were given.
    case missingStateTensor(name: String)
    /// A state tensor whose shape differs from the slot's.
    case stateShapeMismatch(name: String, expected: [Int], found: [Int])
    /// A step count that is not a non-negative whole number.
    case invalidStep(name: String, value: Float)

    /// A message that names the problem and how to fix it.
    public var description: String {
        switch self {
        case let .countMismatch(p, g):
            return "optimizer: \(p) parameters but \(g) gradients; pass one gradient per parameter, in the same order"
        case let .shapeMismatch(i, ps, gs):
            return "optimizer: gradient \(i) has shape \(gs) but its parameter has shape \(ps); "
                + "pass the gradients in the same order as the parameters"
        case let .unknownStateTensor(name, known):
            let shown = known.prefix(20).joined(separator: ", ")
            return "optimizer state: unknown tensor '\(name)'; known: \(shown)\(known.count > 20 ? ", …" : "")"
        case let .missingStateTensor(name):
            return "optimizer state: missing tensor '\(name)' (the other slots of its parameter are present); "
                + "save and load with the same optimizer settings"
        case let .stateShapeMismatch(name, expected, found):
            return "optimizer state: tensor '\(name)' has shape \(found) but the parameter needs \(expected)"
        case let .invalidStep(name, value):
            return "optimizer state: step count '\(name)' is \(value), not a non-negative whole number"
        }
    }
}
