/// SIMD kernels for `tanh` and `leakyReLU`, the activations of a DCGAN: eight lanes at a time instead of
/// one libm call (tanh) or one closure call (leaky ReLU) per scalar. `tanh` and `leakyReLU` in
/// `Tensor+Elementwise.swift` dispatch here.

/// tanh elementwise; VJP dy·(1 − y²).
///
/// For |x| < 0.5, the Taylor series x − x³/3 + 2x⁵/15 − … to x¹⁵ (truncation below 1e-8 relative);
/// otherwise sign(x)·(1 − t)/(1 + t) with t = e^(−2|x|), where e^(−a) = 2^(−n)·e^(−r),
/// n = round(a/ln 2), r = a − n·ln 2 (Cody–Waite: ln 2 split in two parts) and e^(−r) a degree-7
/// Taylor polynomial on |r| ≤ ln(2)/2. |x| ≥ 9 gives ±1 (tanh 9 rounds to 1 in Float). Within a few
/// ulp of libm's tanhf; NaN gives NaN.
func tanhSIMD(_ x: Tensor) -> Tensor {
    let count = x.scalarCount
    let y = Tensor(shape: x.shape) { out in
        let src = x.storage.base, dst = out.baseAddress!
        ParallelLoops.forEachRange(count) { range in
            var i = range.lowerBound
            while i &+ 8 <= range.upperBound {
                let v = UnsafeRawPointer(src + i).loadUnaligned(as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(dst + i).storeBytes(of: tanh8(v), as: SIMD8<Float>.self)
                i &+= 8
            }
            if i < range.upperBound {
                var lanes = SIMD8<Float>(repeating: 0)
                for k in 0..<(range.upperBound &- i) { lanes[k] = src[i &+ k] }
                let r = tanh8(lanes)
                for k in 0..<(range.upperBound &- i) { dst[i &+ k] = r[k] }
            }
        }
    }
    return Tensor.record("tanh", y, [x], keepOutput: true) { g, node in
        let out = node.output!
        return [Tensor(shape: g.shape) { d in
            let gs = g.storage.base, ys = out.storage.base, ds = d.baseAddress!
            ParallelLoops.forEachRange(count) { range in
                var k = range.lowerBound
                while k < range.upperBound { ds[k] = gs[k] * (1 - ys[k] * ys[k]); k &+= 1 }
            }
        }]
    }
}

/// tanh of eight lanes (see `tanhSIMD`).
@inline(__always)
func tanh8(_ x: SIMD8<Float>) -> SIMD8<Float> {
    let magnitude = pointwiseMin(x.replacing(with: -x, where: x .< 0), SIMD8(repeating: 9))
    // Small |x|: odd Taylor polynomial in x² (Horner).
    let s = x * x
    var p = SIMD8<Float>(repeating: -929569.0 / 638512875.0)
    p = p * s + 21844.0 / 6081075.0
    p = p * s - 1382.0 / 155925.0
    p = p * s + 62.0 / 2835.0
    p = p * s - 17.0 / 315.0
    p = p * s + 2.0 / 15.0
    p = p * s - 1.0 / 3.0
    let small = x + x * s * p
    // Large |x|: t = e^(−2|x|).
    let a = magnitude + magnitude
    // n = round(a/ln 2) by the 1.5·2²³ shifter: the sum's low mantissa bits hold n as an integer.
    let shifter = SIMD8<Float>(repeating: 12582912)
    let shifted = a * 1.44269504088896341 + shifter
    let n = shifted - shifter
    let r = (a - n * 0.693145751953125) - n * 1.428606765330187045e-06
    var q = SIMD8<Float>(repeating: -1.0 / 5040.0)
    q = q * r + 1.0 / 720.0
    q = q * r - 1.0 / 120.0
    q = q * r + 1.0 / 24.0
    q = q * r - 1.0 / 6.0
    q = q * r + 0.5
    q = q * r - 1
    q = q * r + 1
    let exponent = (SIMD8<Int32>(repeating: 127 + 0x4B40_0000) &- unsafeBitCast(shifted, to: SIMD8<Int32>.self)) &<< 23
    let t = q * unsafeBitCast(exponent, to: SIMD8<Float>.self)
    var large = (1 - t) / (1 + t)
    large.replace(with: -large, where: x .< 0)
    // NaN stays NaN (the clamp above would turn it into ±1 and hide a divergence).
    return small.replacing(with: large, where: magnitude .>= 0.5).replacing(with: x, where: x .!= x)
}

/// x for x > 0, slope·x otherwise; VJP dy for x > 0, slope·dy otherwise.
func leakyReLUSIMD(_ x: Tensor, slope: Float) -> Tensor {
    let count = x.scalarCount
    let y = Tensor(shape: x.shape) { out in
        let src = x.storage.base, dst = out.baseAddress!
        ParallelLoops.forEachRange(count) { range in leakyReLUKernel(src, gate: nil, slope: slope, into: dst, range) }
    }
    return Tensor.record("leakyReLU", y, [x]) { g, node in
        let input = node.inputs[0]
        return [Tensor(shape: g.shape) { d in
            let gs = g.storage.base, xs = input.storage.base, ds = d.baseAddress!
            ParallelLoops.forEachRange(count) { range in leakyReLUKernel(gs, gate: xs, slope: slope, into: ds, range) }
        }]
    }
}

/// Leaky ReLU's forward (`gate` nil: dᵢ = xᵢ if xᵢ > 0, else slope·xᵢ) and backward (dᵢ = gᵢ if the input
/// xᵢ > 0, else slope·gᵢ; `x` is then the output gradient and `gate` the input) over `range`, eight lanes
/// at a time.
@inline(__always)
func leakyReLUKernel(_ x: UnsafePointer<Float>, gate: UnsafePointer<Float>?, slope: Float, into d: UnsafeMutablePointer<Float>,
                     _ range: Range<Int>) {
    let zero = SIMD8<Float>(repeating: 0)
    let condition = UnsafeRawPointer(gate ?? x)
    var i = range.lowerBound
    while i &+ 8 <= range.upperBound {
        let v = UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self)
        let c = condition.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(d + i).storeBytes(of: v.replacing(with: v * slope, where: c .<= zero), as: SIMD8<Float>.self)
        i &+= 8
    }
    let c = gate ?? x
    while i < range.upperBound { d[i] = c[i] > 0 ? x[i] : slope * x[i]; i &+= 1 }
}
