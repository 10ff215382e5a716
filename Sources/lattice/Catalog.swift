import A2C
import CoordConv
import Datasets
import GAN
import GridWorld
import LatticeRuntime
import MinAtar
import PPO
import SDLViewer
import StandardLayers
import Supervised

/// The one list of plugin modules the CLI registers, in order.
enum Catalog {
    static var modules: [any PluginModule.Type] {
        [
        StandardLayersPlugin.self,
        CoordConvPlugin.self,
        SupervisedPlugin.self,
        A2CPlugin.self,
        PPOPlugin.self,
        GANPlugin.self,
        MinAtarPlugin.self,
        GridWorldPlugin.self,
        DatasetsPlugin.self,
            SDLViewerPlugin.self,
        ]
    }

    /// Registries filled by every module.
    static func registries() throws -> Registries { try Registries(modules: modules) }
}
