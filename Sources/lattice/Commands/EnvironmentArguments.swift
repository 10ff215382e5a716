import ArgumentParser
import Foundation
import LatticeRL
import LatticeRuntime

/// An environment named on the command line: its id and trailing `key=value` options, built through the
/// registries. Shared by `check-env` and `rollout`.
///
/// Each option's value is read as YAML, as config overrides are (`renderScale=8` an int, `0.25` a float,
/// `false` a bool, `eval` a string, `'3'` a quoted string), so a bad option is reported like a config
/// error: `override 'renderScale=big' column 13: error: at 'renderScale': expected int, found string 'big'`.
/// A value containing a newline (an ASCII `map`) is taken verbatim as a string.
struct EnvironmentArguments {
    /// The requested id (may lack `-vN`: the newest version is used).
    var id: String
    /// The options as one config section (a mapping).
    var config: ConfigNode

    /// Parses `options` (`key=value` each) into a config section for `id`.
    init(id: String, options: [String]) throws {
        self.id = id
        config = try EnvironmentArguments.section(from: options)
    }

    /// The mapping `{key: value, …}` of `key=value` texts, with each value's column kept for errors.
    static func section(from options: [String]) throws -> ConfigNode {
        var entries: [ConfigEntry] = []
        for text in options {
            let source = SourceLocation(file: "override '\(text)'", line: 1, column: 1)
            guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
                throw ConfigError(.invalidOverride, at: source, path: "",
                                  "expected an environment option 'key=value' (e.g. renderScale=8), got '\(text)'")
            }
            let key = String(text[..<eq])
            guard !key.contains("."), !key.contains(where: \.isWhitespace), !key.hasPrefix("+"), !key.hasPrefix("~") else {
                throw ConfigError(.invalidOverride, at: source, path: "",
                                  "an environment option is a plain 'key=value' (no dots, '+' or '~'), got '\(text)'")
            }
            if entries.contains(where: { $0.key == key }) {
                throw ConfigError(.invalidOverride, at: source, path: key, "option '\(key)' is given twice; keep one")
            }
            let valueText = text[text.index(after: eq)...]
            let value: ConfigNode
            if valueText.contains("\n") {
                // A multi-line value (an ASCII map) is taken verbatim: in YAML its '#' rows would be comments.
                value = .scalar(.string(String(valueText)),
                                location: SourceLocation(file: source.file, line: 1, column: key.count + 2))
            } else {
                // Parse the value exactly as an override does, so its column counts from the start of the text.
                guard case .set(let parsed) = try ConfigOverride(parsing: text).operation else {
                    throw ConfigError(.invalidOverride, at: source, path: key, "expected 'key=value', got '\(text)'")
                }
                value = parsed
            }
            entries.append(ConfigEntry(key: key, keyLocation: source, value: value))
        }
        return ConfigNode(.mapping(entries), location: SourceLocation(file: "command-line options", line: 1, column: 1))
            .withPath([])
    }

    /// Builds one copy through `registries`, with the resolution note (bare id → newest version), if any.
    func make(with registries: Registries) throws -> (environment: any Environment, note: String?) {
        let (environment, resolution) = try registries.environments.makeResolved(id, config: config, registries: registries)
        return (environment, resolution.note)
    }
}

/// Maps errors to the CLI's exit codes: 2 for bad usage or config (unknown id, bad option), 1 for the rest.
enum CommandFailure {
    /// Prints `error` to standard error and returns the exit code to throw.
    static func exitCode(for error: any Error) -> ExitCode {
        // A ConfigError's text already reads `place: error: …`.
        let message = error is ConfigError ? "\(error)" : "error: \(error)"
        FileHandle.standardError.write(Data("\(message)\n".utf8))
        switch error {
        case is RegistryError, is ConfigError: return ExitCode(2)
        default: return ExitCode(1)
        }
    }

    /// Prints a note line to standard error.
    static func note(_ text: String) {
        FileHandle.standardError.write(Data("note: \(text)\n".utf8))
    }
}
