import LatticeTensor
import Synchronization

/// Concatenates constant coordinate channels to an NCHW batch (Liu et al., "An Intriguing Failing of
/// Convolutional Neural Networks and the CoordConv Solution", NeurIPS 2018, arXiv:1807.03247).
///
/// `[N, C, H, W]` → `[N, C + 2, H, W]` (or `C + 3` with the radius): the input channels, then
/// `x[i, j] = 2·j/(W − 1) − 1` (column), then `y[i, j] = 2·i/(H − 1) − 1` (row), then optionally
/// `r = √(x² + y²)` (range 0…√2, not renormalised). An axis of extent 1 gives 0. Each axis is scaled by
/// its own extent, so non-square inputs are right (the reference code swaps the two denominators).
///
/// The coordinate channels are constants: no gradient flows into them, and the gradient with respect to
/// the input is the slice of the output gradient for the input channels.
///
/// Tile mode (`tile: (height, width)`): a vector input `[N, C]` or `[N, C, 1, 1]` is first repeated to
/// `[N, C, height, width]` — the reference models use it to turn (x, y) or a GAN's z into a map.
///
/// The coordinate planes are built once per `(N, H, W)` and cached (behind a lock, so shards of a batch
/// may call the layer from several threads), so a call is one output allocation and straight copies.
public final class AddCoords: Layer {
    /// Whether a third channel `r = √(x² + y²)` is added.
    public let withRadius: Bool
    /// The spatial size a vector input is tiled to, or `nil` for ordinary `[N, C, H, W]` inputs.
    public let tile: (height: Int, width: Int)?

    /// Cached batch-expanded coordinate planes `[N, k, H, W]`, keyed by `(N, H, W)`.
    private let cache = Mutex<[CacheKey: Tensor]>([:])
    /// Most cached shapes kept before the cache is cleared (batch sizes rarely vary more than this).
    private static let cacheLimit = 8

    private struct CacheKey: Hashable {
        var batch: Int, height: Int, width: Int
    }

    /// A layer adding x and y (and `r` when `withRadius`); `tile` turns vector inputs into maps first.
    public init(withRadius: Bool = false, tile: (height: Int, width: Int)? = nil) {
        if let t = tile {
            precondition(t.height > 0 && t.width > 0, "AddCoords: tile size must be positive, got \(t)")
        }
        self.withRadius = withRadius
        self.tile = tile
    }

    /// The number of channels added: 2, or 3 with the radius.
    public var coordinateChannels: Int { withRadius ? 3 : 2 }

    /// The coordinate planes `[1, k, H, W]`: x = 2·j/(W−1) − 1, y = 2·i/(H−1) − 1, r = √(x²+y²) when
    /// `withRadius` (k = 3, else 2); an axis of extent 1 gives 0.
    public static func coordinatePlanes(height: Int, width: Int, withRadius: Bool) -> Tensor {
        precondition(height > 0 && width > 0, "AddCoords: spatial size must be positive, got \(height)×\(width)")
        let k = withRadius ? 3 : 2
        let plane = height &* width
        return Tensor(shape: [1, k, height, width]) { d in
            let p = d.baseAddress!
            let sx: Float = width > 1 ? 2 / Float(width - 1) : 0
            let sy: Float = height > 1 ? 2 / Float(height - 1) : 0
            for i in 0..<height {
                let y: Float = height > 1 ? Float(i) * sy - 1 : 0
                let row = i &* width
                for j in 0..<width {
                    let x: Float = width > 1 ? Float(j) * sx - 1 : 0
                    p[row &+ j] = x
                    p[plane &+ row &+ j] = y
                    if withRadius { p[2 &* plane &+ row &+ j] = (x * x + y * y).squareRoot() }
                }
            }
        }
    }

    /// The cached `[N, k, H, W]` coordinate channels for a batch (built on first use of the shape).
    func cachedCoordinates(batch: Int, height: Int, width: Int) -> Tensor {
        let key = CacheKey(batch: batch, height: height, width: width)
        if let hit = cache.withLock({ $0[key] }) { return hit }
        let planes = AddCoords.coordinatePlanes(height: height, width: width, withRadius: withRadius)
        let k = coordinateChannels
        let count = height &* width &* k
        let expanded = Tensor(shape: [batch, k, height, width]) { d in
            planes.withUnsafeBufferPointer { s in
                for n in 0..<batch { (d.baseAddress! + n &* count).initialize(from: s.baseAddress!, count: count) }
            }
        }
        cache.withLock { c in
            if c.count >= AddCoords.cacheLimit { c.removeAll(keepingCapacity: true) }
            c[key] = expanded
        }
        return expanded
    }

    /// The coordinate planes `[k, H, W]` for an image batch `x` `[N, C, H, W]` (cached), or nil in tile mode
    /// or for another rank — for the convolutions that add the planes' contribution without concatenating.
    public func imagePlanes(for x: Tensor) -> Tensor? {
        guard tile == nil, x.rank == 4, x.shape[2] > 0, x.shape[3] > 0 else { return nil }
        return cachedCoordinates(batch: 1, height: x.shape[2], width: x.shape[3])
            .reshaped([coordinateChannels, x.shape[2], x.shape[3]])
    }

    /// The number of shapes currently cached (for tests).
    var cachedShapeCount: Int { cache.withLock { $0.count } }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        let input: Tensor
        if let t = tile {
            guard (x.rank == 2) || (x.rank == 4 && x.shape[2] == 1 && x.shape[3] == 1) else {
                fatalError("AddCoords (tile \(t.height)×\(t.width)): input shape \(x.shape) must be [N, C] or [N, C, 1, 1]")
            }
            let column = x.rank == 2 ? x.reshaped([x.shape[0], x.shape[1], 1, 1]) : x
            input = column.broadcast(to: [x.shape[0], x.shape[1], t.height, t.width])
        } else {
            guard x.rank == 4 else {
                fatalError("AddCoords: input shape \(x.shape) must be [N, C, H, W] (or set `tile` for vector inputs)")
            }
            input = x
        }
        let s = input.shape
        let coords = cachedCoordinates(batch: s[0], height: s[2], width: s[3])
        return Tensor.concat([input, coords], alongAxis: 1)
    }

    public func namedParameters() -> [(String, Parameter)] { [] }

    public func outputShape(for s: [Int]) throws -> [Int] {
        let k = coordinateChannels
        if let t = tile {
            if s.count == 2 { return [s[0], s[1] + k, t.height, t.width] }
            if s.count == 4 && s[2] == 1 && s[3] == 1 { return [s[0], s[1] + k, t.height, t.width] }
            throw ShapeError(layer: "addCoords", inputShape: s,
                             reason: "tile mode needs a vector [N, C] or [N, C, 1, 1]; drop `tile` for image inputs")
        }
        guard s.count == 4 else {
            throw ShapeError(layer: "addCoords", inputShape: s,
                             reason: "needs [N, C, H, W]; for a vector [N, C] set `tile` to the map size")
        }
        guard s[2] > 0, s[3] > 0 else {
            throw ShapeError(layer: "addCoords", inputShape: s, reason: "has an empty spatial axis")
        }
        return [s[0], s[1] + k, s[2], s[3]]
    }
}
