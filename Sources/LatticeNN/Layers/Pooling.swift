import LatticeTensor

/// Max or average pooling with a square window, or global pooling over H and W.
public final class Pooling2D: Layer {
    /// Which pooling.
    public enum Kind: Sendable, Equatable {
        case max(kernel: Int, stride: Int, padding: Int)
        case average(kernel: Int, stride: Int, padding: Int)
        case globalAverage
        case globalMax
    }

    public let kind: Kind
    public init(_ kind: Kind) { self.kind = kind }

    public func callAsFunction(_ x: Tensor) -> Tensor {
        switch kind {
        case .max(let k, let s, let p): return x.maxPool2d(kernel: k, stride: s, padding: p)
        case .average(let k, let s, let p): return x.avgPool2d(kernel: k, stride: s, padding: p)
        case .globalAverage: return x.globalAvgPool2d()
        case .globalMax: return x.globalMaxPool2d()
        }
    }

    public func namedParameters() -> [(String, Parameter)] { [] }

    public func outputShape(for s: [Int]) throws -> [Int] {
        guard s.count == 4 else { throw ShapeError(layer: "pooling", inputShape: s, reason: "needs [N, C, H, W]") }
        switch kind {
        case .max(let k, let st, let p), .average(let k, let st, let p):
            let ho = Tensor.pooledExtent(s[2], kernel: k, stride: st, padding: p)
            let wo = Tensor.pooledExtent(s[3], kernel: k, stride: st, padding: p)
            guard ho > 0, wo > 0 else {
                throw ShapeError(layer: "pooling", inputShape: s, reason: "is smaller than the \(k)×\(k) window")
            }
            return [s[0], s[1], ho, wo]
        case .globalAverage, .globalMax:
            return [s[0], s[1]]
        }
    }
}
