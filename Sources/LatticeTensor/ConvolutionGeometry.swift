/// The geometry of a 2-D convolution over one image: input `[C, H, W]`, kernel `kh × kw`, stride,
/// zero padding and dilation; output `ho × wo` with ho = ⌊(H + 2·ph − dh·(kh − 1) − 1) / sh⌋ + 1.
///
/// `im2col` lays the receptive fields out as columns of a `[C·kh·kw, ho·wo]` matrix (so a convolution
/// is one GEMM); `col2im` is its adjoint (scatter-add), used for input gradients and transposed convs.
struct ConvolutionGeometry: Equatable {
    var channels, height, width: Int
    var kernelHeight, kernelWidth: Int
    var strideY, strideX: Int
    var padY, padX: Int
    var dilationY, dilationX: Int

    var outputHeight: Int { (height + 2 * padY - dilationY * (kernelHeight - 1) - 1) / strideY + 1 }
    var outputWidth: Int { (width + 2 * padX - dilationX * (kernelWidth - 1) - 1) / strideX + 1 }
    /// Rows of the column matrix: C·kh·kw.
    var patchSize: Int { channels * kernelHeight * kernelWidth }
    /// Columns of the column matrix: ho·wo.
    var positions: Int { outputHeight * outputWidth }
    /// A 1×1, stride-1, unpadded convolution needs no im2col: the image is its own column matrix.
    var isPointwise: Bool {
        kernelHeight == 1 && kernelWidth == 1 && strideY == 1 && strideX == 1 && padY == 0 && padX == 0
    }

    /// The output columns `lo..<hi` whose input column ow·sx + offset lies inside the image (0 ..< width).
    @inline(__always)
    func validRange(offset: Int) -> (Int, Int) {
        let wo = outputWidth, sx = strideX
        let lo = offset >= 0 ? 0 : Swift.min(wo, (sx &- 1 &- offset) / sx)
        let last = width &- 1 &- offset
        let hi = last < 0 ? lo : Swift.max(lo, Swift.min(wo, last / sx &+ 1))
        return (lo, hi)
    }

    /// Writes the column matrix of one image `src` (`[C, H, W]`) into `dst`, whose rows are `ld` apart;
    /// with `images` > 1, the column matrices of `images` images `imageStride` scalars apart side by side
    /// (image i's columns start at `dst + i·positions` in every row). Rows are filled one at a time across
    /// all images, so the writes run sequentially (filling image by image would write C·kh·kw streams
    /// `ld` apart at once, which thrash the cache when `ld` is a large power of two).
    func im2col(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, ld: Int,
                images: Int = 1, imageStride: Int = 0) {
        if isStride2Kernel4 { return im2colStride2Kernel4(src, into: dst, ld: ld, images: images, imageStride: imageStride) }
        im2colGeneral(src, into: dst, ld: ld, images: images, imageStride: imageStride)
    }

    /// `im2col` for every geometry.
    func im2colGeneral(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, ld: Int,
                       images: Int = 1, imageStride: Int = 0) {
        let ho = outputHeight, wo = outputWidth, h = height, w = width, p = positions
        var row = 0
        for c in 0..<channels {
            for ki in 0..<kernelHeight {
                for kj in 0..<kernelWidth {
                    let offY = ki &* dilationY &- padY, offX = kj &* dilationX &- padX
                    // Valid ow: 0 ≤ ow·sx + offX < w.
                    let (lo, hi) = validRange(offset: offX)
                    // Fast path (valid convolutions such as MinAtar's 3×3): every row and column inside the
                    // image, stride 1 along x, so each output row is one contiguous copy of `wo` scalars.
                    if strideX == 1, lo == 0, hi == wo, offY >= 0, (ho &- 1) &* strideY &+ offY < h {
                        for image in 0..<images {
                            let first = src + (image &* imageStride &+ c &* h &* w &+ offY &* w &+ offX)
                            let d = dst + (row &* ld &+ image &* p)
                            for oh in 0..<ho { copyScalars(first + oh &* strideY &* w, d + oh &* wo, wo) }
                        }
                        row &+= 1
                        continue
                    }
                    for image in 0..<images {
                        let plane = src + (image &* imageStride &+ c &* h &* w)
                        let d = dst + (row &* ld &+ image &* p)
                        for oh in 0..<ho {
                            let ih = oh &* strideY &+ offY
                            let out = d + oh &* wo
                            if ih < 0 || ih >= h {
                                var ow = 0
                                while ow < wo { out[ow] = 0; ow &+= 1 }
                                continue
                            }
                            let line = plane + ih &* w
                            // Short rows, so plain loops beat memcpy calls; no per-element bounds tests.
                            var ow = 0
                            while ow < lo { out[ow] = 0; ow &+= 1 }
                            if strideX == 1 {
                                let shifted = line + offX
                                while ow < hi { out[ow] = shifted[ow]; ow &+= 1 }
                            } else {
                                let sx = strideX
                                var iw = ow &* sx &+ offX
                                while ow < hi { out[ow] = line[iw]; ow &+= 1; iw &+= sx }
                            }
                            while ow < wo { out[ow] = 0; ow &+= 1 }
                        }
                    }
                    row &+= 1
                }
            }
        }
    }

    /// Adds the column matrix `src` (rows `ld` apart) back into image `dst` (`[C, H, W]`), the adjoint
    /// of `im2col`. `dst` is accumulated into, not cleared.
    func col2im(_ src: UnsafePointer<Float>, ld: Int, into dst: UnsafeMutablePointer<Float>) {
        if isStride2Kernel4 { return col2imStride2Kernel4(src, ld: ld, into: dst) }
        col2imGeneral(src, ld: ld, into: dst)
    }

    /// `col2im` for every geometry.
    func col2imGeneral(_ src: UnsafePointer<Float>, ld: Int, into dst: UnsafeMutablePointer<Float>) {
        let ho = outputHeight, wo = outputWidth, h = height, w = width
        var row = 0
        for c in 0..<channels {
            let plane = dst + c &* h &* w
            for ki in 0..<kernelHeight {
                for kj in 0..<kernelWidth {
                    let s = src + row &* ld
                    let offY = ki &* dilationY &- padY, offX = kj &* dilationX &- padX
                    let (lo, hi) = validRange(offset: offX)
                    for oh in 0..<ho {
                        let ih = oh &* strideY &+ offY
                        if ih < 0 || ih >= h { continue }
                        let line = plane + ih &* w
                        let input = s + oh &* wo
                        var ow = lo
                        if strideX == 1 {
                            while ow < hi { line[ow &+ offX] += input[ow]; ow &+= 1 }
                        } else {
                            let sx = strideX
                            var iw = ow &* sx &+ offX
                            while ow < hi { line[iw] += input[ow]; ow &+= 1; iw &+= sx }
                        }
                    }
                    row &+= 1
                }
            }
        }
    }
}

/// Copies `n` scalars, eight at a time through SIMD loads and stores (short rows, where a `memcpy` call costs
/// more than the copy).
@inline(__always)
func copyScalars(_ source: UnsafePointer<Float>, _ destination: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    while i &+ 8 <= n {
        let v = UnsafeRawPointer(source + i).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(destination + i).storeBytes(of: v, as: SIMD8<Float>.self)
        i &+= 8
    }
    while i < n { destination[i] = source[i]; i &+= 1 }
}
