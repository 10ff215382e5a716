import Foundation
import LatticeNN
import LatticeRuntime
import LatticeTensor
import XCTest

/// A shape-only layer for building models in tests: output = input with the channel axis set to `filters`.
final class FakeConv: Layer {
    let filters: Int
    let kernel: Int
    init(filters: Int, kernel: Int) { self.filters = filters; self.kernel = kernel }
    func callAsFunction(_ x: Tensor) -> Tensor { x }
    func namedParameters() -> [(String, Parameter)] { [] }
    func outputShape(for inputShape: [Int]) throws -> [Int] {
        guard inputShape.count == 4 else {
            throw ShapeError(layer: "conv2d", inputShape: inputShape, reason: "expected [batch, channels, height, width]")
        }
        return [inputShape[0], filters, inputShape[2], inputShape[3]]
    }
}

/// An identity layer.
final class FakeActivation: Layer {
    func callAsFunction(_ x: Tensor) -> Tensor { x }
    func namedParameters() -> [(String, Parameter)] { [] }
    func outputShape(for inputShape: [Int]) throws -> [Int] { inputShape }
}

enum FakeLayers: PluginModule {
    static func register(into registries: inout Registries) throws {
        for id in ["conv2d", "coordconv2d"] {
            try registries.layers.register(id, summary: "fake convolution",
                                           parameters: [ParameterInfo("filters", "int", default: "16")]) { config, _ in
                try config.checkNoUnknownKeys(allowed: ["filters", "kernel", "stride"])
                let filters = try config.decode(Int.self, "filters", default: 16)
                let kernel = try config.decode(Int.self, "kernel", default: 3)
                _ = try config.decode(Int.self, "stride", default: 1)
                return { _, _ in FakeConv(filters: filters, kernel: kernel) }
            }
        }
        try registries.layers.register("relu") { config, _ in
            try config.checkNoUnknownKeys(allowed: [])
            return { _, _ in FakeActivation() }
        }
    }
}

/// Runs `body` and returns the `ConfigError` it throws, failing the test if it throws none or another type.
func configError(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> ConfigError? {
    do {
        try body()
        XCTFail("expected a ConfigError, got none", file: file, line: line)
    } catch let error as ConfigError {
        return error
    } catch {
        XCTFail("expected a ConfigError, got \(error)", file: file, line: line)
    }
    return nil
}

/// A fresh temporary directory.
func temporaryDirectory(_ name: String = #function) throws -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("LatticeRuntimeTests-\(name.filter(\.isLetter))-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Whether `python3 -c "import <module>"` succeeds.
func pythonHas(_ module: String) -> Bool {
    (try? runPython("import \(module)")) != nil
}

/// Runs a Python snippet and returns its stdout; throws on a non-zero exit.
func runPython(_ code: String, arguments: [String] = []) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["python3", "-c", code] + arguments
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    let errData = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw NSError(domain: "python", code: Int(process.terminationStatus),
                      userInfo: [NSLocalizedDescriptionKey: String(decoding: errData, as: UTF8.self)])
    }
    return String(decoding: data, as: UTF8.self)
}
