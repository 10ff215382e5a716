/// Matrix products through `cblas_sgemm`: 2-D and batched, with optional transposes folded into the
/// BLAS call (no materialised transpose), and their VJPs.
extension Tensor {
    /// `op(a) · op(b)` for rank-2 tensors, or batched over leading axes for rank ≥ 3 (equal batch shapes,
    /// or a rank-2 operand shared by every batch entry).
    ///
    /// VJP: dA = dC·op(B)ᵀ, dB = op(A)ᵀ·dC (with the transposes folded back).
    public static func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
        guard a.rank >= 2, b.rank >= 2 else {
            fatalError("matmul: needs rank ≥ 2 operands, got shapes \(a.shape) and \(b.shape)")
        }
        let (m, ka) = transposeA ? (a.shape[a.rank - 1], a.shape[a.rank - 2]) : (a.shape[a.rank - 2], a.shape[a.rank - 1])
        let (kb, n) = transposeB ? (b.shape[b.rank - 1], b.shape[b.rank - 2]) : (b.shape[b.rank - 2], b.shape[b.rank - 1])
        guard ka == kb else {
            fatalError("matmul: inner dimensions differ: shapes \(a.shape)\(transposeA ? "ᵀ" : "") and \(b.shape)\(transposeB ? "ᵀ" : "")")
        }
        let batchA = Array(a.shape.dropLast(2)), batchB = Array(b.shape.dropLast(2))
        let batchShape: [Int]
        if batchA == batchB || batchB.isEmpty { batchShape = batchA } else if batchA.isEmpty { batchShape = batchB } else {
            fatalError("matmul: batch shapes differ: \(a.shape) and \(b.shape)")
        }
        let batches = Tensor.count(of: batchShape)
        let strideA = batchA.isEmpty ? 0 : m * ka, strideB = batchB.isEmpty ? 0 : ka * n
        let lda = a.shape[a.rank - 1], ldb = b.shape[b.rank - 1]
        let pa = a.storage.base, pb = b.storage.base
        let result = Tensor(shape: batchShape + [m, n]) { c in
            for i in 0..<batches {
                Backend.sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: ka,
                              a: pa + i * strideA, lda: lda, b: pb + i * strideB, ldb: ldb,
                              c: c.baseAddress! + i * m * n, ldc: n)
            }
        }
        let shapeA = a.shape, shapeB = b.shape
        return record("matmul", result, [a, b]) { g, node in
            let x = node.inputs[0], y = node.inputs[1]
            var ga: Tensor? = nil, gb: Tensor? = nil
            if node.needs(0) {
                // dA = dC·op(B)ᵀ, stored as op(A) orientation.
                ga = transposeA ? matmul(y, g, transposeA: transposeB, transposeB: true)
                                : matmul(g, y, transposeA: false, transposeB: !transposeB)
                if ga!.shape != shapeA { ga = ga!.summed(toShape: shapeA) }
            }
            if node.needs(1) {
                gb = transposeB ? matmul(g, x, transposeA: true, transposeB: transposeA)
                                : matmul(x, g, transposeA: !transposeA, transposeB: false)
                if gb!.shape != shapeB { gb = gb!.sumBatch(to: shapeB) }
            }
            return [ga, gb]
        }
    }

    /// Sums a batched gradient over its leading batch axes when the operand was a shared rank-2 matrix.
    func sumBatch(to target: [Int]) -> Tensor {
        if shape == target { return self }
        return reshaped([-1] + target).sum(alongAxis: 0)
    }
}

/// Matrix product `a · b` (see `Tensor.matmul`).
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    Tensor.matmul(a, b, transposeA: transposeA, transposeB: transposeB)
}
