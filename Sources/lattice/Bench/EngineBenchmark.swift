import Foundation
import LatticeNN
import LatticeTensor

/// `lattice bench engine`: forward+backward of the engine's GEMM-bound layers beside the same GEMMs
/// called raw through `cblas_sgemm` on preallocated buffers, and the per-op cost of autodiff.
///
/// GFLOP/s counts only the GEMM arithmetic (2·m·n·k per call) for both rows, so the ratio is the share of
/// raw BLAS speed that survives Lattice's im2col, reordering, bias, activations and graph bookkeeping.
struct EngineBenchmark {
    let repetitions: Int
    let report: BenchmarkReport

    /// One GEMM call: C[m×n] = op(A)·op(B) with op(A) m×k.
    struct Gemm {
        var transposeA = false, transposeB = false
        var m: Int, n: Int, k: Int
        var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
    }

    func run() {
        var rng = RandomGenerator(seed: 1)

        // 1. Dense 1024 → 128, batch 256, input gradient included.
        do {
            let layer = Dense(inputs: 1024, outputs: 128, rng: &rng)
            let x = Tensor.uniform([256, 1024], low: -1, high: 1, using: &rng)
            let dy = Tensor.uniform([256, 128], low: -1, high: 1, using: &rng)
            let gemms = [Gemm(transposeB: true, m: 256, n: 128, k: 1024), Gemm(m: 256, n: 1024, k: 128),
                         Gemm(transposeA: true, m: 128, n: 1024, k: 256)]
            measure("dense", gemms: gemms, calls: 1) {
                let xt = x.trackingGradients()
                _ = gradients(of: layer(xt), wrt: [xt] + layer.parameters.map(\.value), seed: dy)
            }
        }

        // 2. Conv2D 4 → 16, 3×3, 10×10 input, batch 256 (MinAtar's trunk): one batched GEMM each way.
        do {
            let layer = Conv2D(channels: 4, filters: 16, kernel: (3, 3), rng: &rng)
            let x = Tensor.uniform([256, 4, 10, 10], low: 0, high: 1, using: &rng)
            let dy = Tensor.uniform([256, 16, 8, 8], low: -1, high: 1, using: &rng)
            let cols = 256 * 64
            let gemms = [Gemm(m: 16, n: cols, k: 36), Gemm(transposeB: true, m: 16, n: 36, k: cols),
                         Gemm(transposeA: true, m: 36, n: cols, k: 16)]
            measure("conv2d-minatar", gemms: gemms, calls: 1) {
                let xt = x.trackingGradients()
                _ = gradients(of: layer(xt), wrt: [xt] + layer.parameters.map(\.value), seed: dy)
            }
        }

        // 3. 1×1 conv stack 4→32→32→64→64→1 on 64×64 maps, batch 32, ReLU between (CoordConv's classifier).
        do {
            let widths = [4, 32, 32, 64, 64, 1]
            var layers: [any Layer] = []
            for i in 0..<(widths.count - 1) {
                layers.append(Conv2D(channels: widths[i], filters: widths[i + 1], kernel: (1, 1), rng: &rng))
                if i < widths.count - 2 { layers.append(Activation(.relu)) }
            }
            let model = Sequential(layers)
            let x = Tensor.uniform([32, 4, 64, 64], low: -1, high: 1, using: &rng)
            let dy = Tensor.uniform([32, 1, 64, 64], low: -1, high: 1, using: &rng)
            var gemms: [Gemm] = []
            for i in 0..<(widths.count - 1) {
                let c = widths[i], f = widths[i + 1]
                gemms.append(Gemm(m: f, n: 4096, k: c))                          // forward
                gemms.append(Gemm(transposeB: true, m: f, n: c, k: 4096))         // filter gradient
                if i > 0 { gemms.append(Gemm(transposeA: true, m: c, n: 4096, k: f)) }  // input gradient
            }
            measure("coordconv-1x1-stack", gemms: gemms, calls: 32) {
                _ = gradients(of: model(x), wrt: model.parameters.map(\.value), seed: dy)
            }
        }

        // 4. Transposed conv 5×5 stride 2, 128 → 64, 16×16 → 32×32, batch 16 (a GAN generator stage).
        do {
            let layer = ConvTranspose2D(channels: 128, filters: 64, kernel: (5, 5), options: .init(stride: 2, padding: 2),
                                        outputPadding: (1, 1), rng: &rng)
            let x = Tensor.uniform([16, 128, 16, 16], low: -1, high: 1, using: &rng)
            let dy = Tensor.uniform([16, 64, 32, 32], low: -1, high: 1, using: &rng)
            let gemms = [Gemm(transposeA: true, m: 1600, n: 256, k: 128), Gemm(m: 128, n: 256, k: 1600),
                         Gemm(transposeB: true, m: 128, n: 1600, k: 256)]
            measure("conv-transpose-gan", gemms: gemms, calls: 16) {
                let xt = x.trackingGradients()
                _ = gradients(of: layer(xt), wrt: [xt] + layer.parameters.map(\.value), seed: dy)
            }
        }

        // 5. One Adam step over MinAtar's standard network (conv 4 → 16 3×3, dense 1600 → 128, heads to 3 and 1):
        // 207,524 parameters, the optimizer's share of every PPO minibatch.
        do {
            let shapes = [[16, 4, 3, 3], [16], [128, 1600], [128], [3, 128], [3], [1, 128], [1]]
            let parameters = shapes.map { Parameter(Tensor.uniform($0, low: -0.1, high: 0.1, using: &rng)) }
            let grads = shapes.map { Tensor.uniform($0, low: -1, high: 1, using: &rng) }
            let adam = Adam(learningRate: 2.5e-4, epsilon: 1e-5)
            let count = shapes.reduce(0) { $0 + $1.reduce(1, *) }
            let t = BenchmarkReport.median(repetitions: repetitions * 3) {
                for _ in 0..<10 { adam.update(parameters, along: grads, scaledBy: 0.5) }
            } / 10
            report.add("adam-minatar", value: t * 1e6, unit: "µs/step",
                       detail: String(format: "%d parameters, %.2f ns each, every core", count, t / Double(count) * 1e9))
        }

        // 6. Autodiff overhead: 1000 elementwise ops on 16 scalars, forward + backward, per op.
        do {
            let x = Tensor.uniform([16], low: -1, high: 1, using: &rng)
            let ops = 1000
            let before = PeakMemory.currentResidentMegabytes()
            let t = BenchmarkReport.median(repetitions: repetitions * 3) {
                let xt = x.trackingGradients()
                var y = xt
                for i in 0..<(ops / 2) { y = y * 0.999; y = y + Float(i & 1) * 1e-3 }
                _ = gradients(of: y, wrt: [xt], seed: Tensor(ones: [16]))
            }
            let growth = PeakMemory.currentResidentMegabytes() - before
            report.add("autodiff-overhead", value: t / Double(ops) * 1e6, unit: "µs/op",
                       detail: String(format: "%d ops fwd+bwd, RSS growth %.1f MiB", ops, growth))
        }
    }

    /// Times `body` and the raw GEMMs (each repeated `calls` times, as the per-image loop does).
    func measure(_ name: String, gemms: [Gemm], calls: Int, _ body: () -> Void) {
        let flops = gemms.reduce(0) { $0 + $1.flops } * Double(calls)
        body(); body()
        let before = PeakMemory.currentResidentMegabytes()
        let t = BenchmarkReport.median(repetitions: repetitions, body)
        let growth = PeakMemory.currentResidentMegabytes() - before
        let raw = rawGemmTime(gemms, calls: calls)
        report.add(name, value: flops / t / 1e9, unit: "GFLOP/s", reference: flops / raw / 1e9,
                   detail: String(format: "%.3f ms/step (raw %.3f ms), RSS growth %.1f MiB", t * 1e3, raw * 1e3, growth))
    }

    /// Median time of the GEMM sequence on preallocated buffers.
    func rawGemmTime(_ gemms: [Gemm], calls: Int) -> Double {
        let buffers = gemms.map { g -> (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) in
            func make(_ n: Int) -> UnsafeMutablePointer<Float> {
                let p = UnsafeMutablePointer<Float>.allocate(capacity: n)
                for i in 0..<n { p[i] = Float(i % 7) * 0.1 - 0.3 }
                return p
            }
            return (make(g.m * g.k), make(g.k * g.n), make(g.m * g.n))
        }
        defer { for (a, b, c) in buffers { a.deallocate(); b.deallocate(); c.deallocate() } }
        return BenchmarkReport.median(repetitions: repetitions) {
            for _ in 0..<calls {
                for (g, (a, b, c)) in zip(gemms, buffers) {
                    Backend.sgemm(transposeA: g.transposeA, transposeB: g.transposeB, m: g.m, n: g.n, k: g.k,
                                  a: a, lda: g.transposeA ? g.m : g.k, b: b, ldb: g.transposeB ? g.k : g.n,
                                  c: c, ldc: g.n)
                }
            }
        }
    }
}
