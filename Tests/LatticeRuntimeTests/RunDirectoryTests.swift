import Foundation
import LatticeRuntime
import XCTest

final class RunDirectoryTests: XCTestCase {
    private let date = Date(timeIntervalSince1970: 1_704_164_645)  // 2024-01-02 03:04:05 UTC
    private let utc = TimeZone(identifier: "UTC")!

    func testCreateNamesAndLayout() throws {
        let parent = try temporaryDirectory().appendingPathComponent("runs")
        let run = try RunDirectory.create(in: parent, name: "breakout ppo", date: date, timeZone: utc)
        XCTAssertEqual(run.url.lastPathComponent, "breakout_ppo-20240102-030405")
        var isDir: ObjCBool = false
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.checkpointsURL.path, isDirectory: &isDir) && isDir.boolValue)
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.mediaURL.path, isDirectory: &isDir) && isDir.boolValue)
        XCTAssertEqual(run.configURL.lastPathComponent, "config.yaml")
        XCTAssertEqual(run.metricsURL.lastPathComponent, "metrics.csv")

        let second = try RunDirectory.create(in: parent, name: "breakout ppo", date: date, timeZone: utc)
        XCTAssertEqual(second.url.lastPathComponent, "breakout_ppo-20240102-030405-2")
        let third = try RunDirectory.create(in: parent, name: "breakout ppo", date: date, timeZone: utc)
        XCTAssertEqual(third.url.lastPathComponent, "breakout_ppo-20240102-030405-3")
    }

    func testSummaryAndConfigRoundTrip() throws {
        let run = try RunDirectory.create(in: try temporaryDirectory(), name: "x", date: date, timeZone: utc)
        let summary = TrainingSummary(trainer: "ppo", steps: 100, seconds: 2.5, stopReason: .budgetExhausted("100 steps"),
                                      finalMetrics: ["rollout/episodeReturn": 3.5], lastCheckpoint: "checkpoints/step-000000100.safetensors")
        try run.writeSummary(summary)
        XCTAssertEqual(try run.readSummary(), summary)
        try run.writeConfig("name: x\n")
        XCTAssertEqual(try String(contentsOf: run.configURL, encoding: .utf8), "name: x\n")
    }

    func testCheckpointNamingRotationAndLatest() throws {
        let run = try RunDirectory.create(in: try temporaryDirectory(), name: "x", date: date, timeZone: utc)
        XCTAssertEqual(RunDirectory.checkpointFileName(step: 1000), "step-000001000.safetensors")
        XCTAssertEqual(RunDirectory.checkpointStep(fileName: "step-000001000.safetensors"), 1000)
        XCTAssertNil(RunDirectory.checkpointStep(fileName: "step-.safetensors"))
        XCTAssertNil(RunDirectory.checkpointStep(fileName: "notes.txt"))
        XCTAssertNil(try run.latestCheckpoint())

        for step in [10_000, 1000, 3000, 2000] {
            try Data([1]).write(to: run.checkpointURL(step: step))
        }
        try Data().write(to: run.checkpointsURL.appendingPathComponent("notes.txt"))
        XCTAssertEqual(try run.latestCheckpoint()?.lastPathComponent, "step-000010000.safetensors")

        let removed = try run.rotateCheckpoints(keepLast: 2)
        XCTAssertEqual(removed.map(\.lastPathComponent), ["step-000001000.safetensors", "step-000002000.safetensors"])
        XCTAssertEqual(try run.checkpoints().map(\.step), [3000, 10_000])
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.checkpointsURL.appendingPathComponent("notes.txt").path))
        XCTAssertEqual(try run.rotateCheckpoints(keepLast: 0), [])
        XCTAssertEqual(try run.checkpoints().count, 2)
    }
}

final class RunDirectoryExperimentTests: XCTestCase {
    func testCreateForExperimentWritesResolvedConfigAndSinks() throws {
        let base = try temporaryDirectory()
        let experiment = try ExperimentConfig(yaml: """
            name: exp
            environment: g
            trainer: {id: t, learningRate: 1e-4}
            logging: {console: false, runsDirectory: out}
            """)
        let run = try RunDirectory.create(for: experiment, base: base)
        XCTAssertEqual(run.url.deletingLastPathComponent().lastPathComponent, "out")
        let saved = try ExperimentConfig(contentsOf: run.configURL)
        XCTAssertEqual(saved, experiment)
        let sink = try run.makeMetricsSink(logging: experiment.logging)
        XCTAssertEqual(sink.sinks.count, 2)
        sink.write(step: 1, metrics: ["a/b": 1])
        sink.close()
        XCTAssertEqual(try String(contentsOf: run.metricsURL, encoding: .utf8), "step,a/b\n1,1.0\n")
        let files = try FileManager.default.contentsOfDirectory(atPath: run.url.path)
        XCTAssertEqual(files.filter { $0.hasPrefix("events.out.tfevents.") }.count, 1)
    }

    func testSummaryJSONShape() throws {
        let summary = TrainingSummary(trainer: "ppo", steps: 3, seconds: 1, stopReason: .diverged("NaN loss at step 3"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(summary.stopReason), as: UTF8.self)
        XCTAssertEqual(json, #"{"detail":"NaN loss at step 3","kind":"diverged"}"#)
        XCTAssertEqual(try JSONDecoder().decode(TrainingSummary.self, from: encoder.encode(summary)), summary)
    }
}
