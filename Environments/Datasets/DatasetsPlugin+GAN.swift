import LatticeRuntime

extension DatasetsPlugin {
    /// Registers the GAN datasets (Squares, Sort-of-Clevr).
    static func registerGANDatasets(into registries: inout Registries) throws {}
}
