/// A dataset name or argument that does not exist: names the fix and lists what is known.
public struct DatasetError: Error, CustomStringConvertible, Equatable {
    /// What went wrong and how to fix it.
    public var message: String

    /// An error with `message`.
    public init(_ message: String) { self.message = message }

    /// The message.
    public var description: String { message }
}
