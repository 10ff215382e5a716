/// Max and average pooling over NCHW images, and global pooling, with VJPs.
extension Tensor {
    /// Output extent of a pooling window along one axis: ⌊(n + 2p − k) / s⌋ + 1.
    public static func pooledExtent(_ size: Int, kernel: Int, stride: Int, padding: Int) -> Int {
        (size + 2 * padding - kernel) / stride + 1
    }

    func poolingCheck(_ op: String, kernel: Int, stride: Int, padding: Int) -> (Int, Int, Int, Int) {
        guard rank == 4 else { fatalError("\(op): needs [N, C, H, W], got \(shape)") }
        guard kernel > 0, stride > 0, padding >= 0, padding * 2 <= kernel else {
            fatalError("\(op): kernel \(kernel), stride \(stride), padding \(padding) are invalid (padding ≤ kernel/2)")
        }
        let ho = Tensor.pooledExtent(shape[2], kernel: kernel, stride: stride, padding: padding)
        let wo = Tensor.pooledExtent(shape[3], kernel: kernel, stride: stride, padding: padding)
        guard ho > 0, wo > 0 else { fatalError("\(op): input \(shape) is smaller than the \(kernel)×\(kernel) window") }
        return (shape[2], shape[3], ho, wo)
    }

    /// Max pooling with a square window; padding counts as −∞. The gradient goes to the first maximum.
    public func maxPool2d(kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
        let s = stride ?? kernel
        let (h, w, ho, wo) = poolingCheck("maxPool2d", kernel: kernel, stride: s, padding: padding)
        let planes = shape[0] * shape[1]
        var argmax = [Int32](repeating: 0, count: planes * ho * wo)
        let src = storage.base
        let result = Tensor(shape: [shape[0], shape[1], ho, wo]) { d in
            argmax.withUnsafeMutableBufferPointer { am in
                for pl in 0..<planes {
                    let plane = src + pl * h * w
                    for oy in 0..<ho {
                        for ox in 0..<wo {
                            var best = -Float.infinity, bestIndex = -1
                            for ky in 0..<kernel {
                                let iy = oy * s - padding + ky
                                if iy < 0 || iy >= h { continue }
                                for kx in 0..<kernel {
                                    let ix = ox * s - padding + kx
                                    if ix < 0 || ix >= w { continue }
                                    let v = plane[iy * w + ix]
                                    if v > best || bestIndex < 0 { best = v; bestIndex = iy * w + ix }
                                }
                            }
                            let o = (pl * ho + oy) * wo + ox
                            d[o] = best
                            am[o] = Int32(bestIndex)
                        }
                    }
                }
            }
        }
        let inShape = shape
        return Tensor.record("maxPool2d", result, [self]) { g, _ in
            [Tensor(shape: inShape) { d in
                d.initialize(repeating: 0)
                g.withUnsafeBufferPointer { gp in
                    for pl in 0..<planes {
                        for j in 0..<(ho * wo) {
                            let o = pl * ho * wo + j
                            d[pl * h * w + Int(argmax[o])] += gp[o]
                        }
                    }
                }
            }]
        }
    }

    /// Average pooling with a square window; padded cells count as zeros in a full-window average
    /// (PyTorch's `count_include_pad=True`).
    public func avgPool2d(kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
        let s = stride ?? kernel
        let (h, w, ho, wo) = poolingCheck("avgPool2d", kernel: kernel, stride: s, padding: padding)
        let planes = shape[0] * shape[1]
        let scale = 1 / Float(kernel * kernel)
        let src = storage.base
        let result = Tensor(shape: [shape[0], shape[1], ho, wo]) { d in
            for pl in 0..<planes {
                let plane = src + pl * h * w
                for oy in 0..<ho {
                    for ox in 0..<wo {
                        var acc: Float = 0
                        for ky in 0..<kernel {
                            let iy = oy * s - padding + ky
                            if iy < 0 || iy >= h { continue }
                            for kx in 0..<kernel {
                                let ix = ox * s - padding + kx
                                if ix >= 0 && ix < w { acc += plane[iy * w + ix] }
                            }
                        }
                        d[(pl * ho + oy) * wo + ox] = acc * scale
                    }
                }
            }
        }
        let inShape = shape
        return Tensor.record("avgPool2d", result, [self]) { g, _ in
            [Tensor(shape: inShape) { d in
                d.initialize(repeating: 0)
                g.withUnsafeBufferPointer { gp in
                    for pl in 0..<planes {
                        for oy in 0..<ho {
                            for ox in 0..<wo {
                                let v = gp[(pl * ho + oy) * wo + ox] * scale
                                for ky in 0..<kernel {
                                    let iy = oy * s - padding + ky
                                    if iy < 0 || iy >= h { continue }
                                    for kx in 0..<kernel {
                                        let ix = ox * s - padding + kx
                                        if ix >= 0 && ix < w { d[pl * h * w + iy * w + ix] += v }
                                    }
                                }
                            }
                        }
                    }
                }
            }]
        }
    }

    /// Mean over H and W of `[N, C, H, W]`: `[N, C]` (or `[N, C, 1, 1]` keeping dims).
    public func globalAvgPool2d(keepingDims: Bool = false) -> Tensor {
        guard rank == 4 else { fatalError("globalAvgPool2d: needs [N, C, H, W], got \(shape)") }
        return mean(alongAxes: [2, 3], keepingDims: keepingDims)
    }

    /// Maximum over H and W of `[N, C, H, W]`: `[N, C]` (or `[N, C, 1, 1]` keeping dims).
    public func globalMaxPool2d(keepingDims: Bool = false) -> Tensor {
        guard rank == 4 else { fatalError("globalMaxPool2d: needs [N, C, H, W], got \(shape)") }
        let m = reshaped([shape[0], shape[1], shape[2] * shape[3]]).max(alongAxis: 2)
        return keepingDims ? m.reshaped([shape[0], shape[1], 1, 1]) : m
    }
}
