/// `im2col` and `col2im` specialised for the DCGAN convolution: a 4×4 kernel, stride 2, padding 1,
/// no dilation, over an even-sized image (so ho = H/2, wo = W/2).
///
/// With stride 2, the four kernel columns kj = 0…3 of one input row read its odd, even, odd and even
/// elements: row kj=1 is `line[2m]`, kj=2 is `line[2m+1]`, kj=0 is kj=2 shifted right by one (a zero
/// first) and kj=3 is kj=1 shifted left by one (a zero last). So each input row is split into its even
/// and odd halves once with SIMD shuffles and written as four contiguous rows, instead of four strided
/// gathers. `col2im` is the adjoint: the four rows are added into even and odd halves, which are then
/// interleaved into the image row with SIMD, and each image row is visited once per contributing
/// kernel row (two of them).
extension ConvolutionGeometry {
    /// Whether the specialised stride-2 kernels apply: 4×4, stride 2, padding 1, dilation 1, even H and W ≥ 8.
    var isStride2Kernel4: Bool {
        kernelHeight == 4 && kernelWidth == 4 && strideY == 2 && strideX == 2 && padY == 1 && padX == 1
            && dilationY == 1 && dilationX == 1 && height % 2 == 0 && width % 2 == 0 && height >= 2 && width >= 8
    }

    /// `im2col` for `isStride2Kernel4` geometries (same layout and arguments as `im2col`).
    func im2colStride2Kernel4(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, ld: Int,
                              images: Int, imageStride: Int) {
        let ho = outputHeight, wo = outputWidth, h = height, w = width, p = positions
        for c in 0..<channels {
            for ki in 0..<4 {
                let row = (c &* 4 &+ ki) &* 4
                for image in 0..<images {
                    let plane = src + (image &* imageStride &+ c &* h &* w)
                    let offset: Int = row &* ld &+ image &* p
                    let d0 = dst + offset
                    for oh in 0..<ho {
                        let ih = oh &* 2 &+ ki &- 1
                        let r0 = d0 + oh &* wo, r1 = r0 + ld, r2 = r1 + ld, r3 = r2 + ld
                        if ih < 0 || ih >= h {
                            r0.update(repeating: 0, count: wo); r1.update(repeating: 0, count: wo)
                            r2.update(repeating: 0, count: wo); r3.update(repeating: 0, count: wo)
                            continue
                        }
                        splitEvenOdd(plane + ih &* w, even: r1, odd: r2, count: wo)
                        r0[0] = 0
                        copyScalars(r2, r0 + 1, wo &- 1)
                        copyScalars(r1 + 1, r3, wo &- 1)
                        r3[wo &- 1] = 0
                    }
                }
            }
        }
    }

    /// `col2im` for `isStride2Kernel4` geometries (same layout and arguments as `col2im`; accumulates).
    func col2imStride2Kernel4(_ src: UnsafePointer<Float>, ld: Int, into dst: UnsafeMutablePointer<Float>) {
        let ho = outputHeight, wo = outputWidth, h = height, w = width
        withScratch(2 &* wo) { scratch in
            let even = scratch, odd = scratch + wo
            for c in 0..<channels {
                let plane = dst + c &* h &* w
                for ih in 0..<h {
                    // The kernel rows that read image row ih: ki = ih + 1 − 2·oh for two output rows oh.
                    let a: Int = ih >> 1, isEven: Bool = ih & 1 == 0
                    let ki0: Int = isEven ? 1 : 2, ki1: Int = isEven ? 3 : 0
                    let oh0: Int = a, oh1: Int = isEven ? a &- 1 : a &+ 1
                    even.update(repeating: 0, count: wo)
                    odd.update(repeating: 0, count: wo)
                    for pass in 0..<2 {
                        let (ki, oh) = pass == 0 ? (ki0, oh0) : (ki1, oh1)
                        if oh < 0 || oh >= ho { continue }
                        let first: Int = (c &* 4 &+ ki) &* 4 &* ld &+ oh &* wo
                        let s0 = src + first
                        let s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld
                        // even[m] += s1[m] + s3[m − 1]; odd[m] += s2[m] + s0[m + 1].
                        addScalars(s1, into: even, wo)
                        addScalars(s3, into: even + 1, wo &- 1)
                        addScalars(s2, into: odd, wo)
                        addScalars(s0 + 1, into: odd, wo &- 1)
                    }
                    addInterleaved(even: even, odd: odd, into: plane + ih &* w, count: wo)
                }
            }
        }
    }
}

/// Writes `line[2m]` to `even[m]` and `line[2m + 1]` to `odd[m]` for m < count.
@inline(__always)
func splitEvenOdd(_ line: UnsafePointer<Float>, even: UnsafeMutablePointer<Float>, odd: UnsafeMutablePointer<Float>, count: Int) {
    let raw = UnsafeRawPointer(line)
    var m = 0
    while m &+ 8 <= count {
        let v = raw.loadUnaligned(fromByteOffset: m &* 8, as: SIMD16<Float>.self)
        UnsafeMutableRawPointer(even + m).storeBytes(of: v.evenHalf, as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(odd + m).storeBytes(of: v.oddHalf, as: SIMD8<Float>.self)
        m &+= 8
    }
    while m < count { even[m] = line[m &* 2]; odd[m] = line[m &* 2 &+ 1]; m &+= 1 }
}

/// `line[2m] += even[m]`, `line[2m + 1] += odd[m]` for m < count.
@inline(__always)
func addInterleaved(even: UnsafePointer<Float>, odd: UnsafePointer<Float>, into line: UnsafeMutablePointer<Float>, count: Int) {
    let raw = UnsafeMutableRawPointer(line)
    var m = 0
    while m &+ 8 <= count {
        let e = UnsafeRawPointer(even + m).loadUnaligned(as: SIMD8<Float>.self)
        let o = UnsafeRawPointer(odd + m).loadUnaligned(as: SIMD8<Float>.self)
        let lo = SIMD16<Float>(e[0], o[0], e[1], o[1], e[2], o[2], e[3], o[3], e[4], o[4], e[5], o[5], e[6], o[6], e[7], o[7])
        let v = raw.loadUnaligned(fromByteOffset: m &* 8, as: SIMD16<Float>.self) + lo
        raw.storeBytes(of: v, toByteOffset: m &* 8, as: SIMD16<Float>.self)
        m &+= 8
    }
    while m < count { line[m &* 2] += even[m]; line[m &* 2 &+ 1] += odd[m]; m &+= 1 }
}

/// `destination[i] += source[i]` for i < n, eight at a time.
@inline(__always)
func addScalars(_ source: UnsafePointer<Float>, into destination: UnsafeMutablePointer<Float>, _ n: Int) {
    var i = 0
    while i &+ 8 <= n {
        let s = UnsafeRawPointer(source + i).loadUnaligned(as: SIMD8<Float>.self)
        let d = UnsafeMutableRawPointer(destination + i)
        d.storeBytes(of: d.loadUnaligned(as: SIMD8<Float>.self) + s, as: SIMD8<Float>.self)
        i &+= 8
    }
    while i < n { destination[i] += source[i]; i &+= 1 }
}
