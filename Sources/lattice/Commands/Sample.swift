import ArgumentParser
import Foundation
import GAN
import LatticeNN
import LatticeRuntime
import LatticeTensor

/// `lattice sample <run-dir> --count N`: images from a GAN run's checkpoint, plus a fixed-z latent
/// interpolation strip that shows whether objects move as z moves.
struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write samples of a GAN run's generator (from its latest checkpoint) and a latent interpolation strip.",
        discussion: """
        Writes <run-dir>/media/samples-<count>.png (a grid) and interpolation.png (one row per walk from z₀ to z₁),
        and prints the coverage metrics of the samples and each walk's detected object path.
        """)

    @Argument(help: "The run directory of a `gan` training run.")
    var runDirectory: String

    @Option(help: "Images to generate.")
    var count = 64

    @Option(help: "Seed of the latent vectors.")
    var seed: UInt64 = 0

    @Option(help: "The checkpoint file (default: the run's latest).")
    var checkpoint: String?

    @Option(help: "Interpolation walks (rows of the strip).")
    var walks = 4

    @Option(help: "Frames per walk.")
    var frames = 10

    @Option(help: "Where the PNGs go (default: the run's media/).")
    var output: String?

    func run() throws {
        try CommandErrors.run {
            let run = RunDirectory(url: URL(fileURLWithPath: runDirectory))
            guard FileManager.default.fileExists(atPath: run.configURL.path) else {
                throw ValidationError("\(runDirectory) is not a run directory (no config.yaml)")
            }
            guard count >= 1, walks >= 1, frames >= 2 else { throw ValidationError("need --count ≥ 1, --walks ≥ 1, --frames ≥ 2") }
            let experiment = try ExperimentConfig(contentsOf: run.configURL)
            let trainer = try GANTrainer.make(experiment: experiment, registries: try Catalog.registries())
            let file: URL
            if let checkpoint { file = URL(fileURLWithPath: checkpoint) } else {
                guard let latest = try run.latestCheckpoint() else { throw ValidationError("\(runDirectory) has no checkpoint") }
                file = latest
            }
            try trainer.loadWeights(from: try SafetensorsFile(contentsOf: file))
            let out = output.map { URL(fileURLWithPath: $0) } ?? run.mediaURL
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)

            var rng = RandomGenerator(seed: seed)
            let images = trainer.generate(trainer.sampleLatent(count, using: &rng))
            let columns = Int(Double(count).squareRoot().rounded(.up))
            let gridURL = out.appendingPathComponent("samples-\(count).png")
            try SampleGrid(images: images, columns: columns).png().write(to: gridURL)
            let grid = CoverageGrid.forImages(channels: trainer.imageShape[0])
            let m = grid.measure(images: images).metrics
            print("\(file.lastPathComponent) (step \(trainer.step)): \(count) samples → \(gridURL.path)")
            print(String(format: "coverage: cells %.3f, TV to uniform %.3f, axis ratio %.3f, missing %.3f",
                         m.cellFraction, m.uniformDistance, m.axisRatio, m.missingFraction))

            var walkRNG = RandomGenerator(seed: seed &+ 1)
            let walk = LatentInterpolation(rows: walks, frames: frames) { trainer.sampleLatent($0, using: &walkRNG) }
            let strip = trainer.generate(walk.latents)
            let stripURL = out.appendingPathComponent("interpolation.png")
            try SampleGrid(images: strip, columns: frames).png().write(to: stripURL)
            print("interpolation strip (\(walks) walks × \(frames) frames) → \(stripURL.path)")
            let found = ObjectDetector.forImages(channels: trainer.imageShape[0]).centres(of: strip)
            for r in 0..<walks {
                let centres = found[(r * frames)..<((r + 1) * frames)].map { $0[0] }
                let (length, missing) = LatentInterpolation.path(Array(centres))
                let ends = [centres.first!, centres.last!].map { c in c.map { String(format: "(%.1f, %.1f)", $0.x, $0.y) } ?? "none" }
                print("walk \(r): object \(ends[0]) → \(ends[1]), path \(String(format: "%.1f", length)) px, "
                      + "\(missing) frames without an object")
            }
        }
    }
}
