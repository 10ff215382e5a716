import LatticeRuntime

extension DatasetsPlugin {
    /// Registers the Not-so-Clevr datasets (the CoordConv paper's supervised tasks).
    static func registerNotSoClevr(into registries: inout Registries) throws {}
}
