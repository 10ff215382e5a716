/// An n-dimensional array of `Float32` scalars, contiguous and row-major (images are NCHW), with an
/// optional link into the reverse-mode autodiff graph.
///
/// `Tensor` is a value: copies share storage until one of them is written, then the writer copies
/// (see `withUnsafeMutableBufferPointer`). Ops return new tensors; when gradient recording is on and
/// an input is tracked, the result records how to send gradients back (see `gradients(of:wrt:)`).
public struct Tensor: @unchecked Sendable {
    /// The extent of each axis; `[]` for a scalar.
    public let shape: [Int]
    /// The scalars, row-major.
    @usableFromInline var storage: TensorStorage
    /// The autodiff node that produced this value, or `nil` for a constant.
    @usableFromInline var node: GradNode?

    /// Wraps existing storage (which must hold `shape.product` scalars).
    @inlinable
    public init(shape: [Int], storage: TensorStorage) {
        precondition(storage.count == Tensor.count(of: shape),
                     "storage of \(storage.count) scalars does not fit shape \(shape)")
        self.shape = shape
        self.storage = storage
        self.node = nil
    }

    /// A tensor of the given shape with every scalar equal to `value`.
    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, storage: TensorStorage(count: Tensor.count(of: shape), repeating: value))
    }

    /// A tensor of zeros.
    public init(zeros shape: [Int]) { self.init(repeating: 0, shape: shape) }

    /// A tensor of ones.
    public init(ones shape: [Int]) { self.init(repeating: 1, shape: shape) }

    /// A tensor whose scalars are `scalars` laid out row-major in `shape`.
    public init(shape: [Int], scalars: [Float]) {
        let n = Tensor.count(of: shape)
        guard scalars.count == n else {
            fatalError("Tensor(shape:scalars:): \(scalars.count) scalars do not fill shape \(shape) (\(n) needed)")
        }
        let storage = TensorStorage(uninitializedCount: n)
        scalars.withUnsafeBufferPointer { storage.base.initialize(from: $0.baseAddress!, count: n) }
        self.init(shape: shape, storage: storage)
    }

    /// A rank-0 tensor holding `value`.
    public init(_ value: Float) { self.init(shape: [], scalars: [value]) }

    /// A rank-1 tensor holding `scalars`.
    public init(_ scalars: [Float]) { self.init(shape: [scalars.count], scalars: scalars) }

    /// A tensor of the given shape whose scalars are written by `body` into uninitialised memory.
    @inlinable
    public init(shape: [Int], initializingWith body: (UnsafeMutableBufferPointer<Float>) throws -> Void) rethrows {
        let storage = TensorStorage(uninitializedCount: Tensor.count(of: shape))
        try body(UnsafeMutableBufferPointer(start: storage.base, count: storage.count))
        self.init(shape: shape, storage: storage)
    }

    /// The number of scalars a shape holds (1 for a scalar shape `[]`).
    @inlinable
    public static func count(of shape: [Int]) -> Int {
        var n = 1
        for d in shape {
            precondition(d >= 0, "negative extent in shape \(shape)")
            n &*= d
        }
        return n
    }

    /// Number of scalars.
    @inlinable public var scalarCount: Int { storage.count }
    /// Number of axes.
    @inlinable public var rank: Int { shape.count }
    /// The scalars as an array, row-major.
    public var scalars: [Float] { Array(UnsafeBufferPointer(start: storage.base, count: storage.count)) }
    /// The only scalar of a one-element tensor.
    public var scalar: Float {
        guard storage.count == 1 else { fatalError("scalar: tensor of shape \(shape) holds \(storage.count) scalars, not 1") }
        return storage.base.pointee
    }

    /// Reads the scalars without copying.
    @inlinable
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: storage.base, count: storage.count))
    }

    /// Writes the scalars in place. Copies the storage first if another value shares it, and detaches
    /// this value from the autodiff graph (a written tensor is a new constant).
    @inlinable
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
        node = nil
        return try body(UnsafeMutableBufferPointer(start: storage.base, count: storage.count))
    }

    /// The scalar at a multi-index (slow; for tests and small tools).
    public subscript(_ index: Int...) -> Float {
        get { storage.base[flatIndex(index)] }
        set {
            let i = flatIndex(index)
            withUnsafeMutableBufferPointer { $0[i] = newValue }
        }
    }

    func flatIndex(_ index: [Int]) -> Int {
        guard index.count == shape.count else { fatalError("index \(index) has rank \(index.count); tensor shape \(shape)") }
        var flat = 0
        for (i, d) in zip(index, shape) {
            guard i >= 0 && i < d else { fatalError("index \(index) out of range for shape \(shape)") }
            flat = flat * d + i
        }
        return flat
    }

    /// This value cut from the autodiff graph: gradients do not flow through it (`stopGradient`).
    @inlinable public var detached: Tensor {
        var t = self
        t.node = nil
        return t
    }

    /// Whether this value is tracked by the autodiff graph.
    public var isTracked: Bool { node != nil }

    /// This value as a fresh leaf of the autodiff graph, so `gradients(of:wrt:)` can differentiate with
    /// respect to it.
    public func trackingGradients() -> Tensor {
        var t = self
        t.node = GradNode(leafOf: shape)
        return t
    }
}

/// Cuts `x` from the autodiff graph: the value passes, the gradient does not.
public func stopGradient(_ x: Tensor) -> Tensor { x.detached }

extension Tensor: CustomStringConvertible {
    /// A short description: shape and up to 8 scalars.
    public var description: String {
        let shown = scalars.prefix(8).map { String($0) }.joined(separator: ", ")
        return "Tensor(shape: \(shape), [\(shown)\(scalarCount > 8 ? ", …" : "")])"
    }
}

extension Tensor: Equatable {
    /// Equal shapes and equal scalars (autodiff links are ignored).
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        guard lhs.shape == rhs.shape else { return false }
        return lhs.withUnsafeBufferPointer { a in rhs.withUnsafeBufferPointer { b in a.elementsEqual(b) } }
    }
}
