/// The small DCGAN ("dcgan-half") of `lattice bench gan` and `lattice reproduce gan`, as experiment
/// YAML: z of 64 from N(0, 1); G = dense → 64×4×4, BatchNorm, ReLU, four 4×4 stride-2 padding-1
/// transposed convs 32, 16, 8, `channels` (BatchNorm + ReLU between), tanh; D = four 4×4 stride-2
/// padding-1 convs 8, 16, 32, 64, leaky ReLU 0.2, BatchNorm on all but the first, dense 1024 → 1;
/// batch 64; Adam 2e-4, β (0.5, 0.999); one D step and one G step per iteration. With `coordConv`,
/// AddCoords comes before every (transposed) convolution of G and D ("coorddcgan-half").
///
/// `Examples/configs/gan/{dcgan,coorddcgan}-half-{squares,sortofclevr}.yaml` hold the same models
/// (a test checks that they agree).
public enum HalfDCGAN {
    /// The experiment config for `dataset` (`GAN/Squares-v0` or `GAN/SortOfClevr-v0`).
    public static func yaml(coordConv: Bool, dataset: String = "GAN/Squares-v0", seed: UInt64 = 1, steps: Int = 3000,
                            sampleEvery: Int = 500) -> String {
        let channels = dataset.contains("SortOfClevr") ? 3 : 1
        let transposed = coordConv ? "coordconvTranspose2d" : "convTranspose2d"
        let conv = coordConv ? "coordconv2d" : "conv2d"
        var generator = ["dense: {units: 1024}", "reshape: {shape: [64, 4, 4]}", "batchNorm2d", "relu"]
        for (i, filters) in [32, 16, 8, channels].enumerated() {
            generator.append("\(transposed): {filters: \(filters), kernel: 4, stride: 2, padding: 1}")
            generator += i < 3 ? ["batchNorm2d", "relu"] : ["tanh"]
        }
        var discriminator: [String] = []
        for (i, filters) in [8, 16, 32, 64].enumerated() {
            discriminator.append("\(conv): {filters: \(filters), kernel: 4, stride: 2, padding: 1}")
            if i > 0 { discriminator.append("batchNorm2d") }
            discriminator.append("leakyRelu: {slope: 0.2}")
        }
        discriminator += ["flatten", "dense: {units: 1}"]
        func list(_ layers: [String]) -> String { layers.map { "    - " + $0 }.joined(separator: "\n") }
        return """
        name: \(coordConv ? "coorddcgan" : "dcgan")-half-\(channels == 3 ? "sortofclevr" : "squares")
        seed: \(seed)
        dataset: \(dataset)
        model:
          generator:
        \(list(generator))
          discriminator:
        \(list(discriminator))
        trainer:
          id: gan
          latentSize: 64
          latentDistribution: normal
          loss: nonSaturating
          discriminatorSteps: 1
          generatorSteps: 1
          discriminatorLearningRate: 2.0e-4
          generatorLearningRate: 2.0e-4
          beta1: 0.5
          batchSize: 64
          sampleEvery: \(sampleEvery)
        budget:
          steps: \(steps)
        logging:
          everySteps: 100
          checkpointEvery: 1000
        """
    }
}
