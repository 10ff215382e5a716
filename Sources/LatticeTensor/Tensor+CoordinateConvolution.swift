/// Convolutions over an image batch with constant coordinate planes appended as channels (CoordConv,
/// Liu et al., NeurIPS 2018), without building the concatenation.
///
/// A convolution is linear in its input channels, and zero padding pads every channel alike, so over
/// `[x, planes]` it splits into the convolution of `x` with the filter's first C input channels plus
/// the convolution of the planes (one image, the same for the whole batch) with the rest:
///
///     conv([x, planes], W) + b = conv(x, W[:, :C]) + (conv(planes, W[:, C:]) + b)
///
/// The second term is one `[1, F, ho, wo]` map added to every image (`addingToEveryImage`), so the batch
/// is convolved over C channels instead of C + k, and neither the concatenated input nor the slice of its
/// gradient is ever copied. The gradients follow from the ops used (slices of the filter, the map's sum
/// over the batch).

/// `conv2d` of `[x, planes]` (the planes `[k, H, W]` repeated for every image of `x` `[N, C, H, W]` and
/// appended after its channels) with `filter` `[F, C + k, kh, kw]` and optional `bias` `[F]`. The planes
/// are constants (no gradient).
public func coordinateConv2d(_ x: Tensor, planes: Tensor, filter: Tensor, bias: Tensor? = nil,
                             options o: ConvolutionOptions = .init()) -> Tensor {
    guard x.rank == 4, planes.rank == 3, filter.rank == 4, planes.shape[1] == x.shape[2], planes.shape[2] == x.shape[3],
          filter.shape[1] == x.shape[1] + planes.shape[0] else {
        fatalError("coordinateConv2d: input \(x.shape), planes \(planes.shape) and filter \(filter.shape) [F, C + k, kh, kw] do not fit")
    }
    let c = x.shape[1], k = planes.shape[0]
    let map = conv2d(planes.reshaped([1] + planes.shape), filter: filter.slice(alongAxis: 1, from: c, to: c + k),
                     bias: bias, options: o)
    return conv2d(x, filter: filter.slice(alongAxis: 1, from: 0, to: c), options: o).addingToEveryImage(map)
}

/// `convTranspose2d` of `[x, planes]` (the planes `[k, H, W]` repeated for every image of `x` `[N, C, H, W]`
/// and appended after its channels) with `filter` `[C + k, Cout, kh, kw]` and optional `bias` `[Cout]`.
/// The planes are constants (no gradient).
public func coordinateConvTranspose2d(_ x: Tensor, planes: Tensor, filter: Tensor, bias: Tensor? = nil,
                                      options o: ConvolutionOptions = .init(), outputPadding: (Int, Int) = (0, 0)) -> Tensor {
    guard x.rank == 4, planes.rank == 3, filter.rank == 4, planes.shape[1] == x.shape[2], planes.shape[2] == x.shape[3],
          filter.shape[0] == x.shape[1] + planes.shape[0] else {
        fatalError("coordinateConvTranspose2d: input \(x.shape), planes \(planes.shape) and filter \(filter.shape) [C + k, Cout, kh, kw] do not fit")
    }
    let c = x.shape[1], k = planes.shape[0]
    let map = convTranspose2d(planes.reshaped([1] + planes.shape), filter: filter.slice(alongAxis: 0, from: c, to: c + k),
                              bias: bias, options: o, outputPadding: outputPadding)
    return convTranspose2d(x, filter: filter.slice(alongAxis: 0, from: 0, to: c), options: o, outputPadding: outputPadding)
        .addingToEveryImage(map)
}

extension Tensor {
    /// `self[n] + map[0]` for every n of `self` `[N, …]` and `map` `[1, …]` (the same trailing shape).
    /// VJP: the gradient for `self`, and its sum over the batch (image by image, in order) for `map`.
    public func addingToEveryImage(_ map: Tensor) -> Tensor {
        guard rank >= 1, map.rank == rank, map.shape[0] == 1, Array(map.shape.dropFirst()) == Array(shape.dropFirst()) else {
            fatalError("addingToEveryImage: map \(map.shape) is not [1] + the image shape of \(shape)")
        }
        let n = shape[0], size = map.scalarCount
        let xs = storage.base, ms = map.storage.base
        let result = Tensor(shape: shape) { d in
            let o = d.baseAddress!
            ParallelLoops.forEachRange(n, elementsPerItem: size) { images in
                for i in images { addScalars(xs + i &* size, ms, into: o + i &* size, count: size) }
            }
        }
        return Tensor.record("addingToEveryImage", result, [self, map]) { g, node in
            let gs = g.storage.base
            let dmap: Tensor? = node.needs(1) ? Tensor(shape: node.inputs[1].shape) { d in
                let o = d.baseAddress!
                // Each scalar summed over the images in order, ranges of scalars in parallel.
                ParallelLoops.forEachRange(size, elementsPerItem: n) { r in
                    ParallelLoops.sumParts(gs + r.lowerBound, parts: n, count: r.count, stride: size, into: o + r.lowerBound)
                }
            } : nil
            return [node.needs(0) ? g : nil, dmap]
        }
    }
}
