import LatticeRuntime

extension DatasetsPlugin {
    /// Registers the GAN datasets (Squares, Sort-of-Clevr).
    static func registerGANDatasets(into registries: inout Registries) throws {
        let entries: [(String, GANImageDataset.Kind, Int, String)] = [
            ("GAN/Squares-v0", .squares, 100_000,
             "64×64×1, one 9×9 square at a uniform centre in 4…59², pixels in [−1, 1]; target [x, y]"),
            ("GAN/SortOfClevr-v0", .sortOfClevr, 50_000,
             "64×64 RGB, white, a red and a blue 21×21 square or r-10 disc, centres in [10, 54) ≥ 20 apart; target [rx, ry, bx, by]"),
        ]
        for (id, kind, defaultCount, summary) in entries {
            try registries.datasets.register(
                id, summary: summary,
                parameters: [
                    ParameterInfo("count", "int", default: String(defaultCount), "training images (test: count / 10)"),
                    ParameterInfo("seed", "int", default: "0", "data seed"),
                ]
            ) { config, _ in
                var r = try ConfigSectionReader(config)
                let count = try r.read("count", default: defaultCount)
                let seed = try r.read("seed", default: UInt64(0))
                try r.finish()
                if count < 1 {
                    let node = config["count"]
                    throw ConfigError(.invalidValue, at: node?.location, path: node?.pathText ?? "count", "count must be at least 1")
                }
                return GANImageDataset(kind: kind, count: count, seed: seed)
            }
        }
    }
}
