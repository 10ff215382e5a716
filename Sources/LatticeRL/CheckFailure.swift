/// One problem the `EnvironmentChecker` found: which check and what went wrong, in words that name the fix.
public struct CheckFailure: Sendable, Equatable, CustomStringConvertible {
    /// The check that failed (`spaces`, `observations`, `determinism`, `episode end`, `invalid actions`,
    /// `render`, `random steps`, `construction`).
    public var check: String
    /// What was found.
    public var message: String

    /// A failure of `check`.
    public init(check: String, message: String) {
        self.check = check
        self.message = message
    }

    /// `✗ determinism: …`.
    public var description: String { "✗ \(check): \(message)" }
}

/// Everything `EnvironmentChecker.run` found: the checks that passed, the failures and the warnings.
public struct EnvironmentCheckReport: Sendable, CustomStringConvertible {
    /// The environment's id (or `?` if it could not be made).
    public var id: String
    /// One line per check that passed.
    public var passed: [String] = []
    /// The problems that break the `Environment` contract.
    public var failures: [CheckFailure] = []
    /// Things worth knowing that are not contract breaches (e.g. no episode ended, no render).
    public var warnings: [String] = []

    /// Whether no check failed.
    public var isPassing: Bool { failures.isEmpty }

    /// The report as lines: a summary, then `✓` passes, `✗` failures and `!` warnings.
    public var description: String {
        var lines = ["check-env \(id): \(passed.count) passed, \(failures.count) failed, \(warnings.count) warning\(warnings.count == 1 ? "" : "s")"]
        lines += passed.map { "  ✓ \($0)" }
        lines += failures.map { "  \($0)" }
        lines += warnings.map { "  ! \($0)" }
        return lines.joined(separator: "\n")
    }
}
