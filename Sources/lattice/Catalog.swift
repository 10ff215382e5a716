import CoordConv
import Datasets
import GridWorld
import LatticeRuntime
import MinAtar
import StandardLayers
import Supervised

/// The one list of plugin modules the CLI registers, in order.
enum Catalog {
    static let modules: [any PluginModule.Type] = [
        StandardLayersPlugin.self,
        CoordConvPlugin.self,
        SupervisedPlugin.self,
        MinAtarPlugin.self,
        GridWorldPlugin.self,
        DatasetsPlugin.self,
    ]

    /// Registries filled by every module.
    static func registries() throws -> Registries { try Registries(modules: modules) }
}
