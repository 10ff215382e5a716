/// `im2col` and `col2im` specialised for the DCGAN convolution: a 4×4 kernel, stride 2, padding 1,
/// no dilation, over an even-sized image (so ho = H/2, wo = W/2).
///
/// With stride 2, the four kernel columns kj = 0…3 of one input row read its odd, even, odd and even
/// elements: row kj=1 is `line[2m]`, kj=2 is `line[2m+1]`, kj=0 is kj=2 shifted right by one (a zero
/// first) and kj=3 is kj=1 shifted left by one (a zero last). So each input row is split into its even
/// and odd halves with SIMD shuffles and written as four contiguous rows, instead of four strided
/// gathers. `col2im` is the adjoint: the four rows of a kernel row are combined into even and odd
/// halves in registers, interleaved and added into the image row; each image row receives two kernel
/// rows.
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
                        } else {
                            Self.splitRow(plane + ih &* w, r0, r1, r2, r3, wo)
                        }
                    }
                }
            }
        }
    }

    /// The four column-matrix rows of one image row `line` (2·wo scalars): r0[m] = line[2m − 1],
    /// r1[m] = line[2m], r2[m] = line[2m + 1], r3[m] = line[2m + 2], zero outside the row. r0 and r3 are
    /// r2 and r1 shifted by one lane in registers (reading back a row just written would stall on store
    /// forwarding).
    @inline(__always)
    static func splitRow(_ line: UnsafePointer<Float>, _ r0: UnsafeMutablePointer<Float>, _ r1: UnsafeMutablePointer<Float>,
                         _ r2: UnsafeMutablePointer<Float>, _ r3: UnsafeMutablePointer<Float>, _ wo: Int) {
        let raw = UnsafeRawPointer(line)
        var m = 0
        while m &+ 8 <= wo {
            let v = raw.loadUnaligned(fromByteOffset: m &* 8, as: SIMD16<Float>.self)
            let e = v.evenHalf, o = v.oddHalf
            let previous: Float = m > 0 ? line[m &* 2 &- 1] : 0, next: Float = m &+ 8 < wo ? line[m &* 2 &+ 16] : 0
            UnsafeMutableRawPointer(r0 + m).storeBytes(of: SIMD8<Float>(previous, o[0], o[1], o[2], o[3], o[4], o[5], o[6]), as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(r1 + m).storeBytes(of: e, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(r2 + m).storeBytes(of: o, as: SIMD8<Float>.self)
            UnsafeMutableRawPointer(r3 + m).storeBytes(of: SIMD8<Float>(e[1], e[2], e[3], e[4], e[5], e[6], e[7], next), as: SIMD8<Float>.self)
            m &+= 8
        }
        while m &+ 4 <= wo {
            let v = raw.loadUnaligned(fromByteOffset: m &* 8, as: SIMD8<Float>.self)
            let e = v.evenHalf, o = v.oddHalf
            let previous: Float = m > 0 ? line[m &* 2 &- 1] : 0, next: Float = m &+ 4 < wo ? line[m &* 2 &+ 8] : 0
            UnsafeMutableRawPointer(r0 + m).storeBytes(of: SIMD4<Float>(previous, o[0], o[1], o[2]), as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(r1 + m).storeBytes(of: e, as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(r2 + m).storeBytes(of: o, as: SIMD4<Float>.self)
            UnsafeMutableRawPointer(r3 + m).storeBytes(of: SIMD4<Float>(e[1], e[2], e[3], next), as: SIMD4<Float>.self)
            m &+= 4
        }
        while m < wo {
            r0[m] = m > 0 ? line[m &* 2 &- 1] : 0
            r1[m] = line[m &* 2]
            r2[m] = line[m &* 2 &+ 1]
            r3[m] = m &+ 1 < wo ? line[m &* 2 &+ 2] : 0
            m &+= 1
        }
    }

    /// `col2im` for `isStride2Kernel4` geometries (same layout and arguments as `col2im`): accumulates into
    /// `dst`, or with `overwrite` writes it without reading it (every image row receives at least one
    /// kernel row, so `dst` needs no clearing).
    func col2imStride2Kernel4(_ src: UnsafePointer<Float>, ld: Int, into dst: UnsafeMutablePointer<Float>, overwrite: Bool = false) {
        let ho = outputHeight, wo = outputWidth, h = height, w = width
        for c in 0..<channels {
            let plane = dst + c &* h &* w
            for ih in 0..<h {
                // The kernel rows that read image row ih: ki = ih + 1 − 2·oh for two output rows oh.
                let a: Int = ih >> 1, isEven: Bool = ih & 1 == 0
                let ki0: Int = isEven ? 1 : 2, ki1: Int = isEven ? 3 : 0
                let oh1: Int = isEven ? a &- 1 : a &+ 1
                let first: Int = (c &* 4 &+ ki0) &* 4 &* ld &+ a &* wo
                let second: Int = (c &* 4 &+ ki1) &* 4 &* ld &+ oh1 &* wo
                let line = plane + ih &* w
                Self.mergeRows(src + first, ld, into: line, wo, accumulate: !overwrite)
                if oh1 >= 0 && oh1 < ho { Self.mergeRows(src + second, ld, into: line, wo, accumulate: true) }
            }
        }
    }

    /// Adds the four column-matrix rows s0…s3 (`ld` apart, wo scalars each) of one kernel row into the image
    /// row `line`: line[2m] += s1[m] + s3[m − 1], line[2m + 1] += s2[m] + s0[m + 1] (the adjoint of `splitRow`);
    /// without `accumulate`, `=` instead of `+=`.
    @inline(__always)
    static func mergeRows(_ s0: UnsafePointer<Float>, _ ld: Int, into line: UnsafeMutablePointer<Float>, _ wo: Int, accumulate: Bool) {
        let s1 = s0 + ld, s2 = s1 + ld, s3 = s2 + ld
        let raw = UnsafeMutableRawPointer(line)
        var m = 0
        while m &+ 8 <= wo {
            let a = UnsafeRawPointer(s3 + m).loadUnaligned(as: SIMD8<Float>.self)
            let b = UnsafeRawPointer(s0 + m).loadUnaligned(as: SIMD8<Float>.self)
            let previous: Float = m > 0 ? s3[m &- 1] : 0, next: Float = m &+ 8 < wo ? s0[m &+ 8] : 0
            let e = UnsafeRawPointer(s1 + m).loadUnaligned(as: SIMD8<Float>.self)
                + SIMD8<Float>(previous, a[0], a[1], a[2], a[3], a[4], a[5], a[6])
            let o = UnsafeRawPointer(s2 + m).loadUnaligned(as: SIMD8<Float>.self)
                + SIMD8<Float>(b[1], b[2], b[3], b[4], b[5], b[6], b[7], next)
            let both = SIMD16<Float>(lowHalf: e, highHalf: o)
            let interleaved = SIMD16<Float>(both[0], both[8], both[1], both[9], both[2], both[10], both[3], both[11],
                                            both[4], both[12], both[5], both[13], both[6], both[14], both[7], both[15])
            let v = accumulate ? raw.loadUnaligned(fromByteOffset: m &* 8, as: SIMD16<Float>.self) + interleaved : interleaved
            raw.storeBytes(of: v, toByteOffset: m &* 8, as: SIMD16<Float>.self)
            m &+= 8
        }
        while m &+ 4 <= wo {
            let a = UnsafeRawPointer(s3 + m).loadUnaligned(as: SIMD4<Float>.self)
            let b = UnsafeRawPointer(s0 + m).loadUnaligned(as: SIMD4<Float>.self)
            let previous: Float = m > 0 ? s3[m &- 1] : 0, next: Float = m &+ 4 < wo ? s0[m &+ 4] : 0
            let e = UnsafeRawPointer(s1 + m).loadUnaligned(as: SIMD4<Float>.self) + SIMD4<Float>(previous, a[0], a[1], a[2])
            let o = UnsafeRawPointer(s2 + m).loadUnaligned(as: SIMD4<Float>.self) + SIMD4<Float>(b[1], b[2], b[3], next)
            let interleaved = SIMD8<Float>(e[0], o[0], e[1], o[1], e[2], o[2], e[3], o[3])
            let v = accumulate ? raw.loadUnaligned(fromByteOffset: m &* 8, as: SIMD8<Float>.self) + interleaved : interleaved
            raw.storeBytes(of: v, toByteOffset: m &* 8, as: SIMD8<Float>.self)
            m &+= 4
        }
        while m < wo {
            var e = s1[m], o = s2[m]
            if m > 0 { e += s3[m &- 1] }
            if m &+ 1 < wo { o += s0[m &+ 1] }
            line[m &* 2] = accumulate ? line[m &* 2] + e : e
            line[m &* 2 &+ 1] = accumulate ? line[m &* 2 &+ 1] + o : o
            m &+= 1
        }
    }
}
