import LatticeRuntime

extension DatasetsPlugin {
    /// Registers the Not-so-Clevr datasets (the CoordConv paper's supervised tasks):
    /// `NotSoClevr/Uniform-v0` (seeded 80/20 split) and `NotSoClevr/Quadrant-v0` (test = bottom-right quadrant).
    static func registerNotSoClevr(into registries: inout Registries) throws {
        let task = ParameterInfo("task", "string", default: "classification",
                                 NotSoClevrDataset.Task.allCases.map(\.rawValue).joined(separator: " | "))
        let scale = ParameterInfo("coordinateScale", "string", default: "normalized",
                                  "centres as inputs/targets: normalized (2c/63 − 1) | pixels (c, the reference code's classifier input)")
        for (id, split) in [("NotSoClevr/Uniform-v0", "uniform"), ("NotSoClevr/Quadrant-v0", "quadrant")] {
            let isUniform = split == "uniform"
            try registries.datasets.register(
                id, summary: isUniform ? "3136 squares on 64×64, seeded 80/20 split (2509/627)"
                                       : "3136 squares on 64×64, test = centres x ≥ 33 and y ≥ 33 (2407/729)",
                parameters: isUniform ? [task, scale, ParameterInfo("seed", "int", default: "0", "draws the split")] : [task, scale]
            ) { config, _ in
                var r = try ConfigSectionReader(config)
                let name = try r.readChoice("task", default: "classification",
                                            choices: NotSoClevrDataset.Task.allCases.map(\.rawValue))
                let seed = isUniform ? try r.read("seed", default: UInt64(0)) : 0
                let scaleName = try r.readChoice("coordinateScale", default: "normalized",
                                                 choices: NotSoClevrDataset.CoordinateScale.allCases.map(\.rawValue))
                try r.finish()
                return try NotSoClevrDataset(task: NotSoClevrDataset.Task(rawValue: name)!, split: split, seed: seed,
                                             coordinateScale: NotSoClevrDataset.CoordinateScale(rawValue: scaleName)!)
            }
        }
    }
}
