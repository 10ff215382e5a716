import LatticeRL
import LatticeRuntime

/// Registers the grid-world environments by id (every id of `GridWorlds.ids`).
///
/// Config keys, by environment (all optional unless marked):
///  - every grid-world: `observation` (`egocentric`, `full` or `pixels`; the environment's default when
///    absent), `maxSteps` (int ≥ 1; the environment's own limit when absent), `renderScale` (int in 1…256, 32);
///  - `GridWorld/GoToTarget-*`: also `heldOutQuadrant` (`none`, `train`, `eval`) and `size` (int ≥ 4);
///  - `GridWorld/Map-v0`: also `map` (required), the ASCII layout (see `GridWorldMap`).
/// A key given to an environment that does not take it is an unknown-key error with line and column.
public enum GridWorldPlugin: PluginModule {
    /// The keys every grid-world takes.
    static let commonParameters: [ParameterInfo] = [
        ParameterInfo("observation", "string", default: "null",
                      "egocentric (MiniGrid's 7×7 view), full (one-hot grid) or pixels (RGB); null: the env's default"),
        ParameterInfo("maxSteps", "int", default: "null", "time limit in steps; null: the env's own (Empty 4·size², …)"),
        ParameterInfo("renderScale", "int", default: "32", "pixels per cell in render() (1…256)"),
    ]

    /// The documented config keys of `id`, for `lattice list` and error messages.
    public static func parameters(of id: String) -> [ParameterInfo] {
        if id.hasPrefix("GridWorld/GoToTarget-") {
            return commonParameters + [
                ParameterInfo("heldOutQuadrant", "string", default: "none",
                              "none, train (targets never in the bottom-right quadrant) or eval (only there)"),
                ParameterInfo("size", "int", default: "null", "room size with the outer walls (≥ 4); null: the id's size"),
            ]
        }
        if id == "GridWorld/Map-v0" {
            return commonParameters + [ParameterInfo("map", "string", "the ASCII layout: # wall, . empty, G goal, > agent, …")]
        }
        return commonParameters
    }

    /// Adds every id of `GridWorlds.ids` to `registries.environments`.
    public static func register(into registries: inout Registries) throws {
        for id in GridWorlds.ids {
            try registries.environments.register(id, summary: summary(of: id), parameters: parameters(of: id)) { config, _ in
                try make(id: id, config: config)
            }
        }
    }

    /// Reads `config` (a mapping of the keys `id` takes) and builds the grid-world `id`.
    public static func make(id: String, config: ConfigNode) throws -> any Environment {
        var reader = try ConfigSectionReader(config)
        var options = GridWorldOptions()
        let section = reader.section
        if let text = try reader.readIfPresent("observation", as: String.self) {
            options.observation = try choice(text, GridObservationMode.self, key: "observation", in: section)
        }
        options.maxSteps = try reader.readIfPresent("maxSteps", as: Int.self)
        options.renderScale = try reader.read("renderScale", default: options.renderScale)
        if id.hasPrefix("GridWorld/GoToTarget-") {
            let quadrant = try reader.read("heldOutQuadrant", default: HeldOutQuadrant.none.rawValue)
            options.heldOutQuadrant = try choice(quadrant, HeldOutQuadrant.self, key: "heldOutQuadrant", in: section)
            options.size = try reader.readIfPresent("size", as: Int.self)
            try section.require("size", (options.size ?? 4) >= 4, "size must be at least 4 (a 2×2 interior), got \(options.size ?? 0)")
        }
        if id == "GridWorld/Map-v0" {
            options.map = try reader.read("map", as: String.self)
        }
        try reader.finish()
        try section.require("maxSteps", (options.maxSteps ?? 1) >= 1, "maxSteps must be positive, got \(options.maxSteps ?? 0)")
        try section.require("renderScale", options.renderScale >= 1 && options.renderScale <= 256,
                            "renderScale must lie in 1...256 pixels a cell, got \(options.renderScale)")
        do {
            return try GridWorlds.make(id: id, options: options)
        } catch let error as EnvironmentError {
            throw ConfigError(.invalidValue, at: section.location, path: section.pathText == "<root>" ? "" : section.pathText,
                              error.description)
        } catch let error as GridWorldMapError {
            let node = section["map"]
            throw ConfigError(.invalidValue, at: node?.location ?? section.location,
                              path: (section.path + ["map"]).joined(separator: "."), error.description)
        }
    }

    /// The case of `T` named `text`, or an invalid-value error at `key` listing the choices.
    static func choice<T: RawRepresentable & CaseIterable>(_ text: String, _ type: T.Type, key: String,
                                                           in section: ConfigNode) throws -> T where T.RawValue == String {
        if let value = T(rawValue: text) { return value }
        let names = T.allCases.map(\.rawValue)
        try section.require(key, false, "unknown \(key) '\(text)'; choose one of: \(names.joined(separator: ", "))")
        fatalError("unreachable: require(false) throws")
    }

    /// One line on the grid-world `id`, for `lattice list`.
    static func summary(of id: String) -> String {
        let name = id.dropFirst("GridWorld/".count).dropLast(3)
        if name.hasPrefix("Empty-") { return "MiniGrid Empty \(name.dropFirst(6)): reach the goal in the far corner of an empty room" }
        if name.hasPrefix("DoorKey-") { return "MiniGrid DoorKey \(name.dropFirst(8)): pick up the key, open the door, reach the goal" }
        if name.hasPrefix("GoToTarget-") {
            return "GoToTarget \(name.dropFirst(11)): move to a target seen from above (CoordConv; heldOutQuadrant split)"
        }
        if name == "FourRooms" { return "MiniGrid FourRooms 19×19: reach the goal through four connected rooms" }
        if name == "Map" { return "a grid-world drawn as an ASCII map in the config (key 'map')" }
        return "grid-world \(name)"
    }
}
