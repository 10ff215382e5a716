import LatticeRuntime

/// Registers the datasets by id.
public enum DatasetsPlugin: PluginModule {
    public static func register(into registries: inout Registries) throws {
        try registerNotSoClevr(into: &registries)
        try registerGANDatasets(into: &registries)
        try registries.datasets.register(
            "Synthetic/Blobs-v0", summary: "points from Gaussian clusters; target = cluster index",
            parameters: [
                ParameterInfo("classes", "int", default: "4", ""), ParameterInfo("dimensions", "int", default: "2", ""),
                ParameterInfo("count", "int", default: "2000", ""), ParameterInfo("spread", "float", default: "0.5", ""),
                ParameterInfo("testFraction", "float", default: "0.2", ""), ParameterInfo("seed", "int", default: "0", "data seed"),
            ]
        ) { config, _ in
            var r = try ConfigSectionReader(config)
            let classes = try r.read("classes", default: 4)
            let dimensions = try r.read("dimensions", default: 2)
            let count = try r.read("count", default: 2000)
            let spread = try r.read("spread", default: Float(0.5))
            let testFraction = try r.read("testFraction", default: 0.2)
            let seed = try r.read("seed", default: UInt64(0))
            try r.finish()
            return GaussianBlobs(classes: max(classes, 1), dimensions: max(dimensions, 2), count: max(count, 2),
                                 spread: spread, testFraction: testFraction, seed: seed)
        }
    }
}
