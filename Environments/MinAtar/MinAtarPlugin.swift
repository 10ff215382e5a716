import LatticeRL
import LatticeRuntime

/// Registers the MinAtar environments by id: `MinAtar/<Game>-v0` (all 6 actions) and `-v1` (minimal
/// action set) for Asterix, Breakout, Freeway, Seaquest and SpaceInvaders.
///
/// Config keys (all optional, reference defaults): `stickyActionProbability` (float in [0, 1], 0.1),
/// `difficultyRamping` (bool, true), `maxEpisodeSteps` (int ≥ 1, none), `renderScale` (int in 1…256, 16).
/// Unknown keys and out-of-range values are config errors with line and column.
public enum MinAtarPlugin: PluginModule {
    /// The documented config keys, for `lattice list` and error messages.
    public static let parameters: [ParameterInfo] = [
        ParameterInfo("stickyActionProbability", "float", default: "0.1",
                      "probability in [0, 1] that the previous executed action repeats instead of the chosen one"),
        ParameterInfo("difficultyRamping", "bool", default: "true",
                      "whether difficulty rises over an episode (false: frozen at the starting difficulty)"),
        ParameterInfo("maxEpisodeSteps", "int", default: "null",
                      "step cap: the step that reaches it reports truncated (null: no cap, as the reference)"),
        ParameterInfo("renderScale", "int", default: "16", "pixels per board cell in render() (1…256)"),
    ]

    /// Adds every id of `MinAtarGames.ids` to `registries.environments`.
    public static func register(into registries: inout Registries) throws {
        for id in MinAtarGames.ids {
            try registries.environments.register(id, summary: summary(of: id), parameters: parameters) { config, _ in
                try make(id: id, config: config)
            }
        }
    }

    /// Reads `config` (a mapping of the keys above) and builds the game `id`.
    public static func make(id: String, config: ConfigNode) throws -> any Environment {
        var reader = try ConfigSectionReader(config)
        let defaults = MinAtarOptions()
        let sticky = try reader.read("stickyActionProbability", default: Double(defaults.stickyActionProbability))
        let ramping = try reader.read("difficultyRamping", default: defaults.difficultyRamping)
        let cap = try reader.readIfPresent("maxEpisodeSteps", as: Int.self)
        let scale = try reader.read("renderScale", default: defaults.renderScale)
        try reader.finish()
        let section = reader.section
        try section.require("stickyActionProbability", sticky >= 0 && sticky <= 1,
                            "stickyActionProbability must lie in [0, 1], got \(sticky)")
        try section.require("maxEpisodeSteps", (cap ?? 1) >= 1,
                            "maxEpisodeSteps must be at least 1 (or null for no cap), got \(cap ?? 0)")
        try section.require("renderScale", scale >= 1 && scale <= 256, "renderScale must lie in 1...256, got \(scale)")
        let options = MinAtarOptions(stickyActionProbability: Float(sticky), difficultyRamping: ramping,
                                     maxEpisodeSteps: cap, renderScale: scale)
        do {
            return try MinAtarGames.make(id: id, options: options)
        } catch let error as EnvironmentError {
            throw ConfigError(.invalidValue, at: section.location, path: section.path.joined(separator: "."),
                              error.description)
        }
    }

    /// One line on the game `id`, for `lattice list`.
    static func summary(of id: String) -> String {
        let game = id.dropFirst("MinAtar/".count).dropLast(3)
        let what: String
        switch game {
        case "Asterix": what = "dodge enemies and collect treasure in 8 lanes"
        case "Breakout": what = "bounce the ball off a paddle to break 3 rows of bricks"
        case "Freeway": what = "cross the road through 8 lanes of traffic as often as possible before time runs out"
        case "Seaquest": what = "shoot subs and sharks, rescue divers, surface for air"
        default: what = "shoot the descending alien fleet before it reaches you"
        }
        let actions = id.hasSuffix("-v1") ? "minimal action set" : "all 6 actions"
        return "MinAtar \(game) (10×10 board, one channel per object): \(what); \(actions)"
    }
}
