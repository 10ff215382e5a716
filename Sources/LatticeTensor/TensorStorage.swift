/// A reference-counted, 64-byte-aligned block of `Float` scalars: the memory behind a `Tensor`.
///
/// Storage is shared between tensor values that are copies of each other and is copied before any
/// write when it is not uniquely referenced (copy-on-write), so tensors behave as values.
public final class TensorStorage: @unchecked Sendable {
    /// Number of scalars.
    public let count: Int
    /// The first scalar; valid for `count` elements while the storage is alive.
    public let base: UnsafeMutablePointer<Float>

    /// Allocates uninitialised storage for `count` scalars.
    public init(uninitializedCount count: Int) {
        precondition(count >= 0, "negative scalar count \(count)")
        self.count = count
        let raw = storagePool.allocate(bytes: max(count, 1) &* 4)
        self.base = raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// Allocates storage for `count` scalars, all equal to `value`.
    public convenience init(count: Int, repeating value: Float) {
        self.init(uninitializedCount: count)
        base.initialize(repeating: value, count: count)
    }

    /// A fresh copy of this storage.
    public func copy() -> TensorStorage {
        let other = TensorStorage(uninitializedCount: count)
        other.base.update(from: base, count: count)
        return other
    }

    deinit { storagePool.release(UnsafeMutableRawPointer(base), bytes: max(count, 1) &* 4) }
}
