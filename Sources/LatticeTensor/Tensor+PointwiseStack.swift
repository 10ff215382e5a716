/// One layer of a `pointwiseStack`: a pointwise convolution's filter `[F, C, 1, 1]`, its bias `[F]`
/// (optional) and whether a ReLU follows it.
public struct PointwiseStage {
    public var filter: Tensor
    public var bias: Tensor?
    public var relu: Bool

    public init(filter: Tensor, bias: Tensor?, relu: Bool) {
        self.filter = filter
        self.bias = bias
        self.relu = relu
    }
}

/// Whether a pointwise convolution (1×1, stride 1, no padding) over an input of `shape` `[N, C, H, W]`
/// with `filter` takes the per-image path (`isFusablePointwise` for a tensor of that shape).
public func isFusablePointwise(shape s: [Int], filter: Tensor, options o: ConvolutionOptions) -> Bool {
    s.count == 4 && filter.rank == 4 && filter.shape[2] == 1 && filter.shape[3] == 1 && s[1] == filter.shape[1]
        && o.strideY == 1 && o.strideX == 1 && o.paddingY == 0 && o.paddingX == 0
        && s[2] &* s[3] >= batchedConvolutionThreshold
}

/// Whether `pointwiseStack` runs on this machine (it needs the AVX-512 pointwise kernels).
public var pointwiseStacksAvailable: Bool { Backend.hasPointwiseKernels }

/// A stack of pointwise convolutions (each with its bias and optional ReLU) over `x` `[N, C, H, W]`, as
/// one op: the same values as `pointwiseConv2d` layer after layer, and the same gradients up to the order
/// of summation.
///
/// Layer after layer, each output of the whole batch leaves the cache before the next layer reads it, and
/// the backward pass stores and re-reads its masked gradients likewise. Here each image goes through the
/// whole stack a tile of positions at a time (`lattice_pointwise_stack_forward`), and back through it the
/// same way (`lattice_pointwise_stack_backward`), so only the stored activations travel to memory. The
/// images are split into `imageChunkCount(n)` chunks on the worker pool; each chunk sums its filter and
/// bias gradients in 16-lane partial sums, and the chunks' sums are added in chunk order, so the result
/// does not depend on which thread ran which chunk.
///
/// Requires `pointwiseStacksAvailable`; every stage's filter must take the previous stage's channels.
public func pointwiseStack(_ x: Tensor, _ stages: [PointwiseStage]) -> Tensor {
    precondition(pointwiseStacksAvailable, "pointwiseStack needs the AVX-512 pointwise kernels")
    precondition(!stages.isEmpty, "pointwiseStack: no stages")
    var channels = [x.shape.count == 4 ? x.shape[1] : 0]
    var shape = x.shape
    for (l, stage) in stages.enumerated() {
        precondition(isFusablePointwise(shape: shape, filter: stage.filter, options: .init()),
                     "pointwiseStack: stage \(l) with filter \(stage.filter.shape) cannot take input \(shape)")
        if let bias = stage.bias, bias.shape != [stage.filter.shape[0]] {
            fatalError("pointwiseStack: stage \(l)'s bias \(bias.shape) does not match filter \(stage.filter.shape)")
        }
        channels.append(stage.filter.shape[0])
        shape[1] = stage.filter.shape[0]
    }
    let n = x.shape[0], p = x.shape[2] &* x.shape[3], layers = stages.count
    let plan = PointwiseStackPlan(channels: channels, positions: p, relu: stages.map(\.relu))
    let outputs = channels.dropFirst().map { f in Tensor(shape: [n, f, x.shape[2], x.shape[3]]) { _ in } }  // filled below
    let weights = stages.map { UnsafePointer($0.filter.storage.base) as UnsafePointer<Float>? }
    let biases = stages.map { $0.bias.map { UnsafePointer($0.storage.base) } }
    let xs = x.storage.base, outputBases = outputs.map(\.storage.base)
    forEachImageChunk(n) { images, _ in
        var ys = [UnsafeMutablePointer<Float>?](repeating: nil, count: layers)
        for i in images {
            for l in 0..<layers { ys[l] = outputBases[l] + i &* plan.channels[l + 1] &* p }
            Backend.pointwiseStackForward(channels: plan.channels64, weights: weights, biases: biases, relu: plan.relu,
                                          layers: layers, input: xs + i &* channels[0] &* p, outputs: ys, positions: p)
        }
    }
    var inputs = [x]
    for stage in stages { inputs.append(stage.filter); if let b = stage.bias { inputs.append(b) } }
    return Tensor.record("pointwiseStack", outputs[layers - 1], inputs) { dy, node in
        plan.gradients(dy, node, outputs: outputs, hasBias: stages.map { $0.bias != nil })
    }
}

/// The shapes of a pointwise stack and its backward pass.
struct PointwiseStackPlan {
    let channels: [Int]
    let channels64: [Int64]
    let relu: [Int32]
    let positions: Int
    /// Offsets of each layer's filter and bias partial sums in a chunk's accumulator block (floats).
    let filterOffsets: [Int], biasOffsets: [Int]
    /// Floats of one chunk's accumulators, and of its scratch tiles.
    let accumulatorCount: Int, scratchCount: Int

    init(channels: [Int], positions: Int, relu: [Bool]) {
        self.channels = channels
        channels64 = channels.map { Int64($0) }
        self.relu = relu.map { $0 ? 1 : 0 }
        self.positions = positions
        var offset = 0, filters: [Int] = [], biases: [Int] = []
        for l in 0..<(channels.count - 1) {
            filters.append(offset); offset += channels[l + 1] &* channels[l] &* 16
            biases.append(offset); offset += channels[l + 1] &* 16
        }
        filterOffsets = filters
        biasOffsets = biases
        accumulatorCount = offset
        scratchCount = 3 &* Backend.pointwiseStackTile &* (channels.max() ?? 0)
    }

    var layers: Int { channels.count - 1 }

    /// The VJP: [dx, dW₀, db₀?, dW₁, …] in the order of the node's inputs.
    func gradients(_ dy: Tensor, _ node: GradNode, outputs: [Tensor], hasBias: [Bool]) -> [Tensor?] {
        let n = dy.shape[0], p = positions
        // The filters transposed to [C, F] for the input gradients, and each stage's input index.
        var weightIndex: [Int] = [], index = 1
        for l in 0..<layers { weightIndex.append(index); index += hasBias[l] ? 2 : 1 }
        // Rounded up to 16 floats, so the accumulators after them stay 64-byte aligned (the kernels' aligned loads).
        var weightCount = 0
        for l in 0..<layers { weightCount += channels[l] * channels[l + 1] }
        let transposedCount = (weightCount + 15) / 16 * 16
        let chunks = imageChunkCount(n)
        let perChunk = accumulatorCount &+ scratchCount
        let x = node.inputs[0]
        let dx: Tensor? = node.needs(0) ? Tensor(shape: x.shape) { _ in } : nil   // every scalar written below
        var filterSums: [[Float]] = [], biasSums: [[Float]] = []
        withScratch(transposedCount &+ chunks &* perChunk) { buffer in
            var transposed: [UnsafePointer<Float>?] = []
            var t = buffer
            for l in 0..<layers {
                let c = channels[l], f = channels[l + 1]
                transposeFilter(node.inputs[weightIndex[l]].storage.base, filters: f, channels: c, into: t)
                transposed.append(UnsafePointer(t))
                t += c &* f
            }
            let blocks = buffer + transposedCount
            let outputBases = outputs.map { UnsafePointer($0.storage.base) }
            let xs = x.storage.base, dys = dy.storage.base, dxs = dx?.storage.base
            forEachImageChunk(n) { images, chunk in
                let acc = blocks + chunk &* perChunk
                acc.initialize(repeating: 0, count: accumulatorCount)
                let wacc = filterOffsets.map { acc + $0 as UnsafeMutablePointer<Float>? }
                let bacc = biasOffsets.map { acc + $0 as UnsafeMutablePointer<Float>? }
                var ys = [UnsafePointer<Float>?](repeating: nil, count: layers)
                for i in images {
                    for l in 0..<layers { ys[l] = outputBases[l] + i &* channels[l + 1] &* p }
                    Backend.pointwiseStackBackward(channels: channels64, transposedWeights: transposed, relu: relu,
                                                   layers: layers, input: xs + i &* channels[0] &* p, outputs: ys,
                                                   outputGradient: dys + i &* channels[layers] &* p,
                                                   inputGradient: dxs.map { $0 + i &* channels[0] &* p },
                                                   filterSums: wacc, biasSums: bacc, scratch: acc + accumulatorCount,
                                                   positions: p)
                }
            }
            // Lanes, then chunks in order.
            let laneSummed = accumulatorCount / 16
            var total = [Float](repeating: 0, count: laneSummed), part = [Float](repeating: 0, count: laneSummed)
            for chunk in 0..<chunks {
                Backend.laneSums(blocks + chunk &* perChunk, into: &part, count: laneSummed)
                for k in 0..<laneSummed { total[k] = chunk == 0 ? part[k] : total[k] + part[k] }
            }
            for l in 0..<layers {
                let f = channels[l + 1], w = filterOffsets[l] / 16, b = biasOffsets[l] / 16
                filterSums.append(Array(total[w ..< w &+ f &* channels[l]]))
                biasSums.append(Array(total[b ..< b &+ f]))
            }
        }
        var result: [Tensor?] = [dx]
        for l in 0..<layers {
            let w = node.inputs[weightIndex[l]]
            result.append(node.needs(weightIndex[l]) ? Tensor(shape: w.shape, scalars: filterSums[l]) : nil)
            if hasBias[l] {
                result.append(node.needs(weightIndex[l] + 1) ? Tensor(shape: [channels[l + 1]], scalars: biasSums[l]) : nil)
            }
        }
        return result
    }
}
