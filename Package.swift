// swift-tools-version:6.1
import PackageDescription

/// Lattice: CoordConv research in Swift — tensors and autodiff on OpenBLAS, RL and GAN trainers,
/// environments and datasets, all plugins found by name. See README.md and DESIGN.md.
let releaseFlags: [SwiftSetting] = []

let package = Package(
    name: "Lattice",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lattice", targets: ["lattice"]),
        .library(name: "LatticeTensor", targets: ["LatticeTensor"]),
        .library(name: "LatticeNN", targets: ["LatticeNN"]),
        .library(name: "LatticeRL", targets: ["LatticeRL"]),
        .library(name: "LatticeRuntime", targets: ["LatticeRuntime"]),
    ],
    traits: [
        .trait(name: "SDL", description: "The SDL2 viewer (lattice watch / play); needs libsdl2-dev."),
        .default(enabledTraits: ["SDL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // System libraries
        .systemLibrary(
            name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CSDL2", path: "Sources/CSDL2", providers: [.apt(["libsdl2-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", providers: [.apt(["zlib1g-dev"])]),
        // Hand-written C kernels behind LatticeTensor's Backend seam: element-wise loops built once per instruction
        // set (Backend+Kernels.swift) and AVX-512 pointwise convolutions (Backend+PointwiseKernels.swift).
        .target(name: "CKernels", path: "Sources/CKernels"),

        // Layers of the package
        .target(name: "LatticeTensor", dependencies: ["CBLAS", "CKernels"], swiftSettings: releaseFlags),
        .target(name: "LatticeNN", dependencies: ["LatticeTensor"], swiftSettings: releaseFlags),
        .target(name: "LatticeRL", dependencies: ["LatticeNN"], swiftSettings: releaseFlags),
        .target(
            name: "LatticeRuntime",
            dependencies: ["LatticeRL", "CZlib", .product(name: "Yams", package: "Yams")],
            swiftSettings: releaseFlags),

        // Plugins
        .target(
            name: "StandardLayers", dependencies: ["LatticeRuntime"], path: "Plugins/StandardLayers",
            swiftSettings: releaseFlags),
        .target(
            name: "CoordConv", dependencies: ["LatticeRuntime"], path: "Plugins/CoordConv",
            swiftSettings: releaseFlags),
        .target(
            name: "Supervised", dependencies: ["LatticeRuntime"], path: "Plugins/Supervised",
            swiftSettings: releaseFlags),

        .target(name: "A2C", dependencies: ["LatticeRuntime"], path: "Plugins/A2C", swiftSettings: releaseFlags),
        .target(name: "PPO", dependencies: ["LatticeRuntime"], path: "Plugins/PPO", swiftSettings: releaseFlags),
        .target(name: "GAN", dependencies: ["LatticeRuntime"], path: "Plugins/GAN", swiftSettings: releaseFlags),

        .target(
            name: "SDLViewer",
            dependencies: ["LatticeRuntime", .target(name: "CSDL2", condition: .when(traits: ["SDL"]))],
            path: "Plugins/SDLViewer", swiftSettings: releaseFlags),

        // Environments and datasets
        .target(
            name: "GridWorld", dependencies: ["LatticeRuntime"], path: "Environments/GridWorld",
            swiftSettings: releaseFlags),
        .target(
            name: "MinAtar", dependencies: ["LatticeRuntime"], path: "Environments/MinAtar",
            swiftSettings: releaseFlags),
        .target(
            name: "Datasets", dependencies: ["LatticeRuntime"], path: "Environments/Datasets",
            swiftSettings: releaseFlags),

        // The CLI
        .executableTarget(
            name: "lattice",
            dependencies: [
                "LatticeRuntime", "StandardLayers", "CoordConv", "Supervised", "A2C", "PPO", "GAN", "SDLViewer", "GridWorld",
                "MinAtar", "Datasets", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: releaseFlags),

        // Tests
        .testTarget(name: "LatticeTensorTests", dependencies: ["LatticeTensor"]),
        .testTarget(name: "LatticeNNTests", dependencies: ["LatticeNN"], resources: [.copy("Fixtures")]),
        .testTarget(name: "LatticeRLTests", dependencies: ["LatticeRL"]),
        .testTarget(name: "LatticeRuntimeTests", dependencies: ["LatticeRuntime"]),
        .testTarget(name: "MinAtarTests", dependencies: ["MinAtar"]),
        .testTarget(name: "GridWorldTests", dependencies: ["GridWorld"]),
        .testTarget(name: "SupervisedTests", dependencies: ["Supervised", "Datasets", "StandardLayers", "CoordConv"]),
        .testTarget(name: "RLTrainerTests", dependencies: ["A2C", "PPO", "GridWorld", "MinAtar", "StandardLayers", "CoordConv"]),
        .testTarget(name: "GANTests", dependencies: ["GAN", "Datasets", "StandardLayers", "CoordConv"]),
        .testTarget(name: "ViewerTests", dependencies: ["SDLViewer", "MinAtar", "GridWorld"]),
        .testTarget(name: "ConformanceTests", dependencies: ["MinAtar", "GridWorld", "StandardLayers", "CoordConv", "Datasets", "Supervised"]),
    ],
    swiftLanguageModes: [.v6]
)
