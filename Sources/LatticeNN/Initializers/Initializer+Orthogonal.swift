import LatticeTensor

extension Initializer {
    /// A (semi-)orthogonal weight times `gain`, as PyTorch's `torch.nn.init.orthogonal_`.
    ///
    /// The shape is viewed as a matrix [rows = shape[0], cols = ∏ shape[1…]] filled row-major with
    /// standard normals A. When rows < cols, A is transposed so it is tall. Its thin QR factorisation
    /// A = QR (Householder, in double precision) gives Q with orthonormal columns; multiplying column j
    /// by sign(Rⱼⱼ) makes the factorisation unique, so Q is Haar-distributed (Mezzadri, "How to generate
    /// random matrices from the classical compact groups", 2007). Transposed back if needed and scaled:
    /// WᵀW = gain²·I when rows ≥ cols, WWᵀ = gain²·I otherwise.
    public static func orthogonalMatrix(_ shape: [Int], gain: Float = 1, using rng: inout RandomGenerator) -> Tensor {
        precondition(shape.count >= 2, "orthogonal: needs a weight of rank ≥ 2, got shape \(shape)")
        let rows = shape[0]
        let total = Tensor.count(of: shape)
        precondition(rows > 0 && total > 0, "orthogonal: shape \(shape) is empty")
        let cols = total / rows
        // Draw A row-major (rows × cols), as PyTorch's `new(rows, cols).normal_()`.
        var a = [Double](repeating: 0, count: total)
        for i in 0..<total { a[i] = Double(rng.nextNormal()) }
        let transpose = rows < cols
        let m = Swift.max(rows, cols), n = Swift.min(rows, cols)
        // Column-major m × n working copy of the tall matrix (Aᵀ when transposing).
        var work = [Double](repeating: 0, count: m * n)
        for r in 0..<rows {
            for c in 0..<cols {
                if transpose { work[r * m + c] = a[r * cols + c] } else { work[c * m + r] = a[r * cols + c] }
            }
        }
        let q = householderQ(&work, rows: m, cols: n)
        // q is m × n column-major with sign-corrected columns; write W = gain·Q (or gain·Qᵀ).
        let g = Double(gain)
        return Tensor(shape: shape) { out in
            for r in 0..<rows {
                for c in 0..<cols {
                    let value = transpose ? q[r * m + c] : q[c * m + r]
                    out[r * cols + c] = Float(g * value)
                }
            }
        }
    }

    /// The thin Q (m × n, column-major) of the QR factorisation of the column-major m × n matrix `a`
    /// (m ≥ n) by Householder reflections, with column j multiplied by sign(Rⱼⱼ) (+1 when Rⱼⱼ = 0).
    /// `a` is overwritten with R in its upper triangle.
    static func householderQ(_ a: inout [Double], rows m: Int, cols n: Int) -> [Double] {
        precondition(m >= n, "householderQ: needs rows ≥ cols, got \(m) × \(n)")
        var vectors = [[Double]]()  // v_k for rows k..<m, normalised to unit length (empty if skipped)
        vectors.reserveCapacity(n)
        var diagonal = [Double](repeating: 0, count: n)
        for k in 0..<n {
            // x = a[k..<m, k]; reflect it onto α·e₁ with α = −sign(x₀)·‖x‖ (no cancellation in v₀).
            var norm2 = 0.0
            for i in k..<m { norm2 += a[k * m + i] * a[k * m + i] }
            let norm = norm2.squareRoot()
            if norm == 0 { vectors.append([]); diagonal[k] = 0; continue }
            let x0 = a[k * m + k]
            let alpha = x0 >= 0 ? -norm : norm
            var v = [Double](repeating: 0, count: m - k)
            for i in k..<m { v[i - k] = a[k * m + i] }
            v[0] -= alpha
            var vNorm2 = 0.0
            for x in v { vNorm2 += x * x }
            let vNorm = vNorm2.squareRoot()
            if vNorm == 0 { vectors.append([]); diagonal[k] = x0; continue }
            for i in v.indices { v[i] /= vNorm }
            // A[k..<m, k..<n] ← (I − 2vvᵀ)·A[k..<m, k..<n]
            for j in k..<n {
                var dot = 0.0
                for i in k..<m { dot += v[i - k] * a[j * m + i] }
                let s = 2 * dot
                for i in k..<m { a[j * m + i] -= s * v[i - k] }
            }
            diagonal[k] = a[k * m + k]
            vectors.append(v)
        }
        // Q = H₀H₁…Hₙ₋₁ applied to the first n columns of the identity, last reflection first.
        var q = [Double](repeating: 0, count: m * n)
        for j in 0..<n { q[j * m + j] = 1 }
        for k in stride(from: n - 1, through: 0, by: -1) {
            let v = vectors[k]
            if v.isEmpty { continue }
            for j in 0..<n {
                var dot = 0.0
                for i in k..<m { dot += v[i - k] * q[j * m + i] }
                let s = 2 * dot
                if s == 0 { continue }
                for i in k..<m { q[j * m + i] -= s * v[i - k] }
            }
        }
        // Sign correction: Q·diag(sign(Rⱼⱼ)) so that R has a positive diagonal.
        for j in 0..<n where diagonal[j] < 0 {
            for i in 0..<m { q[j * m + i] = -q[j * m + i] }
        }
        return q
    }
}
