import LatticeRL

/// The grid-world catalogue: ids and a factory (the runtime registry wraps `make`).
public enum GridWorlds {
    /// Every grid-world id.
    public static let ids: [String] = [
        "GridWorld/Empty-5x5-v0", "GridWorld/Empty-8x8-v0", "GridWorld/Empty-16x16-v0",
        "GridWorld/FourRooms-v0", "GridWorld/DoorKey-5x5-v0", "GridWorld/DoorKey-8x8-v0",
        "GridWorld/GoToTarget-8x8-v0", "GridWorld/GoToTarget-16x16-v0", "GridWorld/Map-v0",
    ]

    /// The environment `id` with `options`; throws `GridWorldError.unknownEnvironment` (listing the known
    /// ids), `EnvironmentError.invalidOption`, or `GridWorldMapError` for a bad `options.map`.
    public static func make(id: String, options: GridWorldOptions = GridWorldOptions()) throws -> any Environment {
        switch id {
        case "GridWorld/Empty-5x5-v0": return try EmptyGridWorld(size: 5, options: options)
        case "GridWorld/Empty-8x8-v0": return try EmptyGridWorld(size: 8, options: options)
        case "GridWorld/Empty-16x16-v0": return try EmptyGridWorld(size: 16, options: options)
        case "GridWorld/FourRooms-v0": return try FourRoomsGridWorld(options: options)
        case "GridWorld/DoorKey-5x5-v0": return try DoorKeyGridWorld(size: 5, options: options)
        case "GridWorld/DoorKey-8x8-v0": return try DoorKeyGridWorld(size: 8, options: options)
        case "GridWorld/GoToTarget-8x8-v0": return try GoToTargetGridWorld(size: 8, options: options, id: id)
        case "GridWorld/GoToTarget-16x16-v0": return try GoToTargetGridWorld(size: 16, options: options, id: id)
        case "GridWorld/Map-v0":
            guard let text = options.map else {
                throw EnvironmentError.invalidOption(
                    environment: id, message: "needs the map option: an ASCII layout such as \"#####\\n#>.G#\\n#####\"")
            }
            return try MapGridWorld(map: GridWorldMap(parsing: text), options: options, id: id)
        default:
            throw GridWorldError.unknownEnvironment(id: id, known: ids)
        }
    }
}

/// Why the grid-world catalogue refused a request.
public enum GridWorldError: Error, Equatable, CustomStringConvertible {
    /// An id that is not in `GridWorlds.ids`.
    case unknownEnvironment(id: String, known: [String])

    /// A readable form for messages and logs.

    public var description: String {
        switch self {
        case .unknownEnvironment(let id, let known):
            return "unknown grid-world '\(id)'; known: \(known.joined(separator: ", "))"
        }
    }
}
