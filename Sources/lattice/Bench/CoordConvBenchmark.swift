import Foundation
import LatticeNN
import LatticeRuntime
import LatticeTensor

/// `lattice bench coordconv`: the CoordConv classifier of the Not-so-Clevr reproduction (7,553
/// parameters: tile (x, y) to 64×64, add coordinates, 1×1 convs 32, 32, 64, 64, 1) at batch 32.
///
/// Rows: training steps per second (forward, softmax cross-entropy over 4096 pixels, backward, Adam)
/// beside the same GEMMs called raw; and the forward pass alone. The reference: PyTorch on this
/// 2-core machine runs the same model at about 6.6 steps/s; Lattice's goal is at least 15.
struct CoordConvBenchmark {
    let repetitions: Int
    let report: BenchmarkReport

    static let yaml = """
    name: bench-coordconv
    dataset: {id: NotSoClevr/Uniform-v0}
    model:
      layers:
        - coordconv2d: {filters: 32, kernel: 1, tile: [64, 64], init: heNormal}
        - relu
        - conv2d: {filters: 32, kernel: 1, init: heNormal}
        - relu
        - conv2d: {filters: 64, kernel: 1, init: heNormal}
        - relu
        - conv2d: {filters: 64, kernel: 1, init: heNormal}
        - relu
        - conv2d: {filters: 1, kernel: 1, init: heNormal}
    trainer: {id: supervised}
    """

    func run() throws {
        FloatingPointMode.setFlushingDenormals(true)   // as the supervised trainer does
        let batch = 32
        let registries = try Catalog.registries()
        let experiment = try ExperimentConfig(yaml: Self.yaml)
        var rng = RandomGenerator(seed: 1)
        let built = try ModelBuilder.build(experiment.model["layers"]!, inputShape: [batch, 2], registries: registries, rng: &rng)
        let model = Sequential(built.layers)
        let optimizer = Adam(learningRate: 1e-3, beta1: 0.9, beta2: 0.99, epsilon: 1e-8)
        let data = NotSoClevr()
        var batches: [(Tensor, [Int])] = []
        for b in 0..<8 {
            let indices = (0..<batch).map { (b * 389 + $0 * 97) % data.count }
            batches.append((data.coordinates(indices), data.labels(indices)))
        }
        var next = 0
        let step = {
            let (x, labels) = batches[next % batches.count]
            next += 1
            let logits = model(x).reshaped([batch, -1])
            let loss = Loss.softmaxCrossEntropy(logits: logits, labels: labels)
            let params = model.parameters
            optimizer.update(params, along: gradients(of: loss, wrt: params.map(\.value)))
        }
        // GEMMs of one step: per 1×1 conv (c → f) over P = 32·64·64 pixels, the forward product, the
        // filter gradient and (after the first layer) the input gradient.
        let pixels = batch * 64 * 64
        let widths = [(4, 32), (32, 32), (32, 64), (64, 64), (64, 1)]
        var gemms: [EngineBenchmark.Gemm] = []
        for (i, (c, f)) in widths.enumerated() {
            gemms.append(.init(m: f, n: pixels, k: c))
            gemms.append(.init(transposeB: true, m: f, n: c, k: pixels))
            if i > 0 { gemms.append(.init(transposeA: true, m: c, n: pixels, k: f)) }
        }
        let engine = EngineBenchmark(repetitions: repetitions, report: report)
        let raw = engine.rawGemmTime(gemms, calls: 1)
        var cpuTimes: [Double] = []
        let stepTime = BenchmarkReport.median(repetitions: repetitions, warmup: 3) {
            let cpuStart = BenchmarkReport.processCPUSeconds()
            step()
            cpuTimes.append(BenchmarkReport.processCPUSeconds() - cpuStart)
        }
        let cpu = BenchmarkReport.median(of: cpuTimes)
        report.add("classifier train step b32", value: 1 / stepTime, unit: "steps/s", reference: 1 / raw,
                   detail: String(format: "%.1f ms/step (raw GEMMs %.1f ms); %.2f steps per CPU-second (all threads); PyTorch here: 6.6 steps/s, goal ≥ 15",
                                  stepTime * 1e3, raw * 1e3, 1 / cpu))
        let (x, _) = batches[0]
        let forward = BenchmarkReport.median(repetitions: repetitions, warmup: 2) { _ = withoutGradients { model(x) } }
        report.add("classifier forward b32", value: forward * 1e3, unit: "ms")
        if Backend.hasPointwiseKernels { pointwiseKernelRows() }
    }

    /// A 64 → 64 pointwise convolution over 16 images of 64×64 positions (16 MiB in, 16 MiB out, as in a
    /// training step: out of cache) — forward, filter gradient, input gradient — through the hand-written
    /// kernels and through sgemm, per image, in CPU time of the calling thread (steadier than wall time
    /// on a shared machine).
    func pointwiseKernelRows() {
        let c = 64, f = 64, p = 64 * 64, images = 16
        func make(_ n: Int) -> UnsafeMutablePointer<Float> {
            let b = UnsafeMutablePointer<Float>.allocate(capacity: n)
            for i in 0..<n { b[i] = Float(i % 13) * 0.05 - 0.3 }
            return b
        }
        let w = make(f * c), wt = make(c * f), dw = make(f * c)
        let x = make(images * c * p), y = make(images * f * p), g = make(images * f * p), dx = make(images * c * p)
        defer { for b in [w, wt, x, y, g, dx, dw] { b.deallocate() } }
        func cpuMedian(_ body: (Int) -> Void) -> Double {
            var times: [Double] = []
            for r in 0..<(repetitions + 1) {
                let start = BenchmarkReport.threadCPUSeconds()
                for i in 0..<images { body(i) }
                if r >= 1 { times.append((BenchmarkReport.threadCPUSeconds() - start) / Double(images)) }
            }
            return BenchmarkReport.median(of: times)
        }
        // y = W·x through the forward kernel (w [out, in]) and through sgemm (W as `a`, transposed when
        // `transposed`: the input gradient's Wᵀ·g).
        func product(_ kernelWeights: UnsafeMutablePointer<Float>, transposed: Bool, _ input: UnsafeMutablePointer<Float>,
                     _ output: UnsafeMutablePointer<Float>, relu: Bool) -> ((Int) -> Void, (Int) -> Void) {
            ({ i in
                Backend.pointwiseForward(weights: kernelWeights, bias: nil, input: input + i * c * p, output: output + i * f * p,
                                         channels: c, filters: f, positions: p, relu: relu)
            }, { i in
                Backend.sgemm(transposeA: transposed, transposeB: false, m: f, n: p, k: c, a: w, lda: c, b: input + i * c * p,
                              ldb: p, c: output + i * f * p, ldc: p)
            })
        }
        let forward = product(w, transposed: false, x, y, relu: true), inputGradient = product(wt, transposed: true, g, dx, relu: false)
        let cases: [(String, (Int) -> Void, (Int) -> Void)] = [
            ("forward", forward.0, forward.1),
            ("filter gradient", { i in
                Backend.pointwiseFilterGradient(outputGradient: g + i * f * p, input: x + i * c * p, into: dw,
                                                channels: c, filters: f, positions: p)
            }, { i in
                Backend.sgemm(transposeA: false, transposeB: true, m: f, n: c, k: p, a: g + i * f * p, lda: p, b: x + i * c * p,
                              ldb: p, beta: 1, c: dw, ldc: c)
            }),
            ("input gradient", inputGradient.0, inputGradient.1),
        ]
        for (name, kernel, blas) in cases {
            let k = cpuMedian(kernel), b = cpuMedian(blas)
            let flops = Double(2 * c * f * p)
            report.add("pointwise 64→64 \(name)", value: k * 1e6, unit: "µs/image", reference: b * 1e6,
                       detail: String(format: "kernel %.1f GFLOP/s, sgemm %.1f (CPU time of one thread)", flops / k / 1e9, flops / b / 1e9))
        }
    }
}
