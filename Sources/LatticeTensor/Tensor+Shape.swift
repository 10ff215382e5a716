/// Shape ops — reshape, permute/transpose, concat, slice/split, pad, gather, one-hot — with VJPs.
extension Tensor {
    /// Resolves one `-1` in a requested shape, or stops naming both shapes.
    func resolvedShape(_ requested: [Int]) -> [Int] {
        var s = requested
        let known = requested.filter { $0 != -1 }.reduce(1, *)
        if let i = requested.firstIndex(of: -1) {
            guard requested.filter({ $0 == -1 }).count == 1, known > 0, scalarCount % known == 0 else {
                fatalError("reshape: cannot reshape \(shape) to \(requested)")
            }
            s[i] = scalarCount / known
        }
        guard Tensor.count(of: s) == scalarCount else {
            fatalError("reshape: cannot reshape \(shape) (\(scalarCount) scalars) to \(requested)")
        }
        return s
    }

    /// The same storage under a new shape (no graph, no copy).
    func reshapedRaw(_ newShape: [Int]) -> Tensor {
        var t = Tensor(shape: newShape, storage: storage)
        t.node = nil
        return t
    }

    /// The same scalars in a new shape with the same count; one extent may be `-1`.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        let s = resolvedShape(newShape)
        if s == shape { return self }
        let original = shape
        return Tensor.record("reshape", reshapedRaw(s), [self]) { g, _ in [g.reshapedRaw(original)] }
    }

    /// Flattens every axis after the first: `[N, …] → [N, -1]`.
    public func flattenedBatch() -> Tensor { reshaped([shape.first ?? 1, -1]) }

    /// The axes reordered: output axis i is input axis `permutation[i]`.
    public func permuted(_ permutation: [Int]) -> Tensor {
        guard permutation.sorted() == Array(0..<rank) else {
            fatalError("permute: \(permutation) is not a permutation of the axes of \(shape)")
        }
        if permutation == Array(0..<rank) { return self }
        let result = permutedRaw(permutation)
        var inverse = [Int](repeating: 0, count: rank)
        for (i, p) in permutation.enumerated() { inverse[p] = i }
        return Tensor.record("permute", result, [self]) { g, _ in [g.permutedRaw(inverse)] }
    }

    /// The permutation as a copy, without recording.
    func permutedRaw(_ permutation: [Int]) -> Tensor {
        let outShape = permutation.map { shape[$0] }
        var inStrides = [Int](repeating: 1, count: rank)
        for i in stride(from: rank - 2, through: 0, by: -1) { inStrides[i] = inStrides[i + 1] * shape[i + 1] }
        let strides = permutation.map { inStrides[$0] }
        let src = storage.base
        let total = scalarCount
        let r = rank
        return Tensor(shape: outShape) { dst in
            let d = dst.baseAddress!
            guard total > 0 else { return }
            if r == 2 {
                let rows = outShape[0], cols = outShape[1], s0 = strides[0], s1 = strides[1]
                // Blocked 2-D transpose.
                let block = 32
                var i0 = 0
                while i0 < rows {
                    var j0 = 0
                    while j0 < cols {
                        for i in i0..<Swift.min(i0 + block, rows) {
                            for j in j0..<Swift.min(j0 + block, cols) { d[i &* cols &+ j] = src[i &* s0 &+ j &* s1] }
                        }
                        j0 += block
                    }
                    i0 += block
                }
                return
            }
            let inner = outShape[r - 1], innerStride = strides[r - 1]
            var index = [Int](repeating: 0, count: r)
            var off = 0, o = 0
            while o < total {
                var j = 0
                while j < inner { d[o &+ j] = src[off &+ j &* innerStride]; j &+= 1 }
                o &+= inner
                var k = r - 2
                while k >= 0 {
                    index[k] += 1
                    off += strides[k]
                    if index[k] < outShape[k] { break }
                    off -= strides[k] * outShape[k]
                    index[k] = 0
                    k -= 1
                }
            }
        }
    }

    /// Swaps two axes (the last two by default).
    public func transposed(_ a: Int = -2, _ b: Int = -1) -> Tensor {
        let i = axisIndex(a, op: "transpose"), j = axisIndex(b, op: "transpose")
        var p = Array(0..<rank)
        p.swapAt(i, j)
        return permuted(p)
    }

    /// Scalars `start..<end` along `axis`.
    public func slice(alongAxis axis: Int, from start: Int, to end: Int) -> Tensor {
        let a = axisIndex(axis, op: "slice")
        guard start >= 0, end <= shape[a], start <= end else {
            fatalError("slice: range \(start)..<\(end) out of bounds for axis \(a) of shape \(shape)")
        }
        if start == 0 && end == shape[a] { return self }
        let (outer, n, inner) = split(at: a)
        var outShape = shape
        outShape[a] = end - start
        let len = (end - start) * inner
        let src = storage.base
        let result = Tensor(shape: outShape) { d in
            for o in 0..<outer {
                (d.baseAddress! + o * len).update(from: src + (o * n + start) * inner, count: len)
            }
        }
        let inShape = shape
        return Tensor.record("slice", result, [self]) { g, _ in
            [Tensor(shape: inShape) { d in
                d.initialize(repeating: 0)
                g.withUnsafeBufferPointer { gp in
                    for o in 0..<outer {
                        (d.baseAddress! + (o * n + start) * inner).update(from: gp.baseAddress! + o * len, count: len)
                    }
                }
            }]
        }
    }

    /// Splits along `axis` into pieces of the given sizes.
    public func split(sizes: [Int], alongAxis axis: Int) -> [Tensor] {
        let a = axisIndex(axis, op: "split")
        guard sizes.reduce(0, +) == shape[a] else {
            fatalError("split: sizes \(sizes) do not add up to axis \(a) of shape \(shape)")
        }
        var start = 0
        return sizes.map { s in
            defer { start += s }
            return slice(alongAxis: a, from: start, to: start + s)
        }
    }

    /// Joins tensors along `axis`; every other extent must match.
    public static func concat(_ tensors: [Tensor], alongAxis axis: Int) -> Tensor {
        guard let first = tensors.first else { fatalError("concat: no tensors") }
        let a = first.axisIndex(axis, op: "concat")
        for t in tensors {
            var s1 = t.shape, s0 = first.shape
            guard s1.count == s0.count else { fatalError("concat: shapes \(s0) and \(t.shape) differ in rank") }
            s1[a] = 0; s0[a] = 0
            guard s1 == s0 else { fatalError("concat: shapes \(first.shape) and \(t.shape) differ off axis \(a)") }
        }
        let sizes = tensors.map { $0.shape[a] }
        var outShape = first.shape
        outShape[a] = sizes.reduce(0, +)
        let (outer, _, inner) = first.split(at: a)
        let total = outShape[a]
        let result = Tensor(shape: outShape) { d in
            var offset = 0
            for t in tensors {
                let n = t.shape[a]
                t.withUnsafeBufferPointer { src in
                    for o in 0..<outer {
                        (d.baseAddress! + (o * total + offset) * inner).update(from: src.baseAddress! + o * n * inner, count: n * inner)
                    }
                }
                offset += n
            }
        }
        return record("concat", result, tensors) { g, node in
            var start = 0
            return sizes.enumerated().map { i, s in
                defer { start += s }
                return node.needs(i) ? g.slice(alongAxis: a, from: start, to: start + s) : nil
            }
        }
    }

    /// Zero padding: `padding[i] = (before, after)` for axis i (missing trailing axes get none).
    public func padded(_ padding: [(Int, Int)], value: Float = 0) -> Tensor {
        guard padding.count <= rank else { fatalError("pad: \(padding.count) paddings for shape \(shape)") }
        let pads = padding + Array(repeating: (0, 0), count: rank - padding.count)
        let outShape = zip(shape, pads).map { $0 + $1.0 + $1.1 }
        var result = Tensor(repeating: value, shape: outShape)
        var slices: [(Int, Int)] = []
        for (i, p) in pads.enumerated() { slices.append((p.0, p.0 + shape[i])) }
        result.withUnsafeMutableBufferPointer { d in
            self.withUnsafeBufferPointer { s in Tensor.copyBlock(from: s.baseAddress!, shape, into: d.baseAddress!, outShape, offsets: pads.map { $0.0 }) }
        }
        return Tensor.record("pad", result, [self]) { g, _ in
            var t = g
            for (i, (lo, hi)) in slices.enumerated() where lo != 0 || hi != outShape[i] {
                t = t.slice(alongAxis: i, from: lo, to: hi)
            }
            return [t]
        }
    }

    /// Copies a dense block of `shape` into a larger `outShape` at `offsets`.
    static func copyBlock(from src: UnsafePointer<Float>, _ shape: [Int], into dst: UnsafeMutablePointer<Float>,
                          _ outShape: [Int], offsets: [Int]) {
        let r = shape.count
        let total = Tensor.count(of: shape)
        guard total > 0 else { return }
        if r == 0 { dst[0] = src[0]; return }
        var outStrides = [Int](repeating: 1, count: r)
        for i in stride(from: r - 2, through: 0, by: -1) { outStrides[i] = outStrides[i + 1] * outShape[i + 1] }
        let inner = shape[r - 1]
        var index = [Int](repeating: 0, count: r)
        var i = 0
        while i < total {
            var off = 0
            for k in 0..<r { off += (index[k] + offsets[k]) * outStrides[k] }
            (dst + off).update(from: src + i, count: inner)
            i += inner
            var k = r - 2
            while k >= 0 {
                index[k] += 1
                if index[k] < shape[k] { break }
                index[k] = 0
                k -= 1
            }
        }
    }

    /// PyTorch's `gather`: `out[…, j, …] = self[…, indices[…, j, …], …]` along `axis`, where `indices`
    /// has this tensor's shape except along `axis` (any extent k there). Gradients scatter-add back.
    public func gathering(_ indices: [Int], alongAxis axis: Int) -> Tensor {
        let a = axisIndex(axis, op: "gather")
        let (outer, n, inner) = split(at: a)
        guard outer * inner > 0, indices.count % (outer * inner) == 0 else {
            fatalError("gather: \(indices.count) indices do not fit shape \(shape) along axis \(a)")
        }
        let k = indices.count / (outer * inner)
        var outShape = shape
        outShape[a] = k
        for i in indices where i < 0 || i >= n {
            fatalError("gather: index \(i) out of range 0..<\(n) for axis \(a) of shape \(shape)")
        }
        let src = storage.base
        let result = Tensor(shape: outShape) { d in
            for o in 0..<outer {
                for j in 0..<k {
                    for i in 0..<inner {
                        let idx = indices[(o * k + j) * inner + i]
                        d[(o * k + j) * inner + i] = src[(o * n + idx) * inner + i]
                    }
                }
            }
        }
        let inShape = shape
        return Tensor.record("gather", result, [self]) { g, _ in
            [Tensor(shape: inShape) { d in
                d.initialize(repeating: 0)
                g.withUnsafeBufferPointer { gp in
                    for o in 0..<outer {
                        for j in 0..<k {
                            for i in 0..<inner {
                                let idx = indices[(o * k + j) * inner + i]
                                d[(o * n + idx) * inner + i] += gp[(o * k + j) * inner + i]
                            }
                        }
                    }
                }
            }]
        }
    }

    /// A `[indices.count, depth]` tensor with 1 at each `(i, indices[i])`.
    public static func oneHot(_ indices: [Int], depth: Int) -> Tensor {
        Tensor(shape: [indices.count, depth]) { d in
            d.initialize(repeating: 0)
            for (i, c) in indices.enumerated() {
                guard c >= 0 && c < depth else { fatalError("oneHot: index \(c) out of range 0..<\(depth)") }
                d[i * depth + c] = 1
            }
        }
    }

    /// Inserts an axis of extent 1 at `axis`.
    public func expandingShape(at axis: Int) -> Tensor {
        var s = shape
        s.insert(1, at: axis < 0 ? axis + rank + 1 : axis)
        return reshaped(s)
    }

    /// Removes axes of extent 1 (all of them when `axes` is empty).
    public func squeezingShape(at axes: [Int] = []) -> Tensor {
        let ax = Set(axes.map { axisIndex($0, op: "squeeze") })
        var s: [Int] = []
        for (i, d) in shape.enumerated() where !(d == 1 && (ax.isEmpty || ax.contains(i))) { s.append(d) }
        return reshaped(s)
    }
}
