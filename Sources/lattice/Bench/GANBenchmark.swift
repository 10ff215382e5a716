import Foundation
import GAN
import LatticeNN
import LatticeRuntime
import LatticeTensor

/// `lattice bench gan`: training iterations per second (one D step + one G step, batch 64) of the small
/// DCGAN (`dcgan-half-b64`) and its CoordConv twin (`coorddcgan-half-b64`, AddCoords before every conv
/// of G and D) on Squares — the models of `HalfDCGAN`, built through the `gan` trainer from config.
///
/// PyTorch 2 on the same 2-core machine runs the conv model at 12.5 steps/s (the reference column).
/// The convolutions, BatchNorm and activations run their image chunks on the `WorkerPool` (both cores
/// here; `LATTICE_THREADS=1` for one). The detail column gives the rate per CPU-second of the whole
/// process (all its threads, the pool's spinning included; warm-up runs included) and splits one iteration into the D step and the G step, and
/// the G step into G's forward pass, D's forward pass and the backward pass.
struct GANBenchmark {
    let repetitions: Int
    let report: BenchmarkReport
    /// PyTorch's steps per second for `dcgan-half-b64` on this machine.
    static let pytorchStepsPerSecond = 12.5

    func run() throws {
        let registries = try Catalog.registries()
        for (name, coord) in [("dcgan-half-b64", false), ("coorddcgan-half-b64", true)] {
            let experiment = try ExperimentConfig(yaml: HalfDCGAN.yaml(coordConv: coord))
            let trainer = try GANTrainer.make(experiment: experiment, registries: registries)
            let iterations = 5
            var cpuSeconds = 0.0, timed = 0
            let perIteration = BenchmarkReport.median(repetitions: repetitions) {
                let start = BenchmarkReport.processCPUSeconds()
                for _ in 0..<iterations { trainer.iterate() }
                cpuSeconds += BenchmarkReport.processCPUSeconds() - start
                timed += iterations
            } / Double(iterations)
            let dStep = BenchmarkReport.median(repetitions: repetitions) { trainer.discriminatorStep() }
            let gStep = BenchmarkReport.median(repetitions: repetitions) { trainer.generatorStep() }
            var rng = RandomGenerator(seed: 3)
            let z = trainer.sampleLatent(64, using: &rng)
            let gForward = BenchmarkReport.median(repetitions: repetitions) { _ = trainer.generator(z) }
            let fake = withoutGradients { trainer.generator(z) }
            let dForward = BenchmarkReport.median(repetitions: repetitions) { _ = trainer.discriminator(fake) }
            let detail = String(format: "%.1f ms/step (%.2f steps per CPU-second): D step %.1f ms, G step %.1f ms (G fwd %.1f, D fwd %.1f, backward %.1f)",
                                perIteration * 1e3, Double(timed) / max(cpuSeconds, 1e-9), dStep * 1e3, gStep * 1e3,
                                gForward * 1e3, dForward * 1e3, (gStep - gForward - dForward) * 1e3)
            report.add(name, value: 1 / perIteration, unit: "steps/s",
                       reference: coord ? nil : GANBenchmark.pytorchStepsPerSecond, detail: detail)
        }
    }
}
