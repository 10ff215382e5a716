import Foundation
import LatticeRuntime
import XCTest

final class MetricsTests: XCTestCase {
    func testCSVWideFormatWithLateKeys() throws {
        let dir = try temporaryDirectory()
        let sink = try CSVSink(url: dir.appendingPathComponent("metrics.csv"))
        sink.write(step: 0, metrics: ["b/x": 2, "a/y": 1])
        sink.write(step: 1, metrics: ["a/y": 3])
        sink.write(step: 2, metrics: ["a/y": 4, "c/z": 0.5, "a/w": -1e-5])
        sink.write(step: 3, metrics: ["b/x": .nan])
        sink.close()
        sink.write(step: 4, metrics: ["a/y": 9])  // ignored after close
        XCTAssertNil(sink.lastError)
        let text = try String(contentsOf: sink.url, encoding: .utf8)
        XCTAssertEqual(text, """
            step,a/y,b/x,a/w,c/z
            0,1.0,2.0,,
            1,3.0,,,
            2,4.0,,-1e-05,0.5
            3,,nan,,

            """)
    }

    func testCRC32CCheckValues() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        // RFC 3720 appendix B.4 vectors.
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
        XCTAssertEqual(CRC32C.checksum((0..<32).map { UInt8($0) }), 0x46DD_794E)
        XCTAssertEqual(CRC32C.checksum([UInt8]()), 0)
        // mask(0xE3069283) = ((c >> 15) | (c << 17)) + 0xA282EAD8 mod 2^32.
        XCTAssertEqual(CRC32C.masked(Array("123456789".utf8)), 0xC78A_B0E5)
    }

    func testProtobufEncoding() {
        var w = ProtobufWriter()
        w.appendVarint(300)
        XCTAssertEqual(w.bytes, [0xAC, 0x02])
        var f = ProtobufWriter()
        f.float(2, 1.0)
        XCTAssertEqual(f.bytes, [0x15, 0x00, 0x00, 0x80, 0x3F])
        var s = ProtobufWriter()
        s.string(1, "ab")
        s.int(2, 1)
        XCTAssertEqual(s.bytes, [0x0A, 0x02, 0x61, 0x62, 0x10, 0x01])
        var d = ProtobufWriter()
        d.double(1, 1.0)
        XCTAssertEqual(d.bytes, [0x09, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F])
    }

    func testEmptyRecordFraming() {
        // Length 0 as 8 zero bytes, mask(CRC(8 zero bytes)), no payload, mask(CRC("")) = mask(0) = 0xA282EAD8.
        let record = TensorBoardSink.record([])
        XCTAssertEqual(record.count, 16)
        XCTAssertEqual(Array(record[0..<8]), [UInt8](repeating: 0, count: 8))
        XCTAssertEqual(Array(record[12..<16]), [0xD8, 0xEA, 0x82, 0xA2])
    }

    func testHistogramBuckets() {
        let h = Histogram(values: [0, 1, 2, 3, 4], bucketCount: 4)
        XCTAssertEqual(h.bucketLimits, [1, 2, 3, 4])
        XCTAssertEqual(h.buckets, [2, 1, 1, 1])  // (-∞,1] holds 0 and 1
        XCTAssertEqual(h.sum, 10)
        XCTAssertEqual(h.sumSquares, 30)
        XCTAssertEqual(Histogram(values: [5, 5]).buckets, [2])
    }

    func testTensorBoardFileNameAndFirstRecord() throws {
        let dir = try temporaryDirectory()
        let sink = try TensorBoardSink(directory: dir, hostName: "box", clock: { 1_700_000_000.5 })
        sink.close()
        XCTAssertEqual(sink.url.lastPathComponent, "events.out.tfevents.1700000000.box")
        let bytes = [UInt8](try Data(contentsOf: sink.url))
        // Payload: wall_time (9 bytes) + step 0 (2 bytes) + file_version (2 + 13 bytes) = 26 bytes.
        XCTAssertEqual(bytes[0], 26)
        XCTAssertEqual(bytes.count, 8 + 4 + 26 + 4)
        XCTAssertEqual(String(decoding: bytes[(12 + 13)..<(12 + 26)], as: UTF8.self), "brain.Event:2")
    }

    func testTensorBoardReadsBackScalarsImagesAndHistograms() throws {
        guard pythonHas("tensorboard") else { throw XCTSkip("python3 package 'tensorboard' is not installed") }
        let dir = try temporaryDirectory()
        let sink = try TensorBoardSink(directory: dir, hostName: "test")
        for step in 0..<5 {
            sink.write(step: step * 10, metrics: ["losses/policy": Double(step) * 0.5, "rollout/episodeReturn": Double(-step)])
        }
        sink.writeHistogram(tag: "weights/trunk", step: 40, values: [0, 1, 2, 3, 4], bucketCount: 4)
        sink.writeImage(tag: "media/frame", step: 40, png: [0x89, 0x50, 0x4E, 0x47], width: 10, height: 7)
        sink.close()
        XCTAssertNil(sink.lastError)
        let out = try runPython("""
            import sys
            from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
            acc = EventAccumulator(sys.argv[1], size_guidance={'scalars': 0, 'histograms': 0, 'images': 0})
            acc.Reload()
            for tag in sorted(acc.Tags()['scalars']):
                print(tag, ' '.join(f'{e.step}:{e.value:g}' for e in acc.Scalars(tag)))
            h = acc.Histograms('weights/trunk')[0]
            v = h.histogram_value
            print('hist', h.step, v.min, v.max, v.num, v.sum, v.sum_squares, list(v.bucket_limit), list(v.bucket))
            i = acc.Images('media/frame')[0]
            print('image', i.step, i.width, i.height, len(i.encoded_image_string))
            """, arguments: [dir.path])
        XCTAssertEqual(out.split(separator: "\n").map(String.init), [
            "losses/policy 0:0 10:0.5 20:1 30:1.5 40:2",
            "rollout/episodeReturn 0:0 10:-1 20:-2 30:-3 40:-4",
            "hist 40 0.0 4.0 5.0 10.0 30.0 [1.0, 2.0, 3.0, 4.0] [2.0, 1.0, 1.0, 1.0]",
            "image 40 10 7 4",
        ])
    }

    func testConsoleLineFormat() {
        XCTAssertEqual(ConsoleSink.formatLine(step: 2000, totalSteps: 10000, stepsPerSecond: 500,
                                              metrics: ["losses/policy": 0.0123, "a/b": 2]),
                       "step 2000/10000 (20%) | 500 steps/s | ETA 16s | losses/policy 0.0123 | a/b 2")
        XCTAssertEqual(ConsoleSink.formatLine(step: 5, totalSteps: nil, stepsPerSecond: nil, metrics: [:]), "step 5")
        // Headline metrics first, chart metrics last.
        XCTAssertEqual(ConsoleSink.formatLine(step: 1, totalSteps: nil, stepsPerSecond: nil,
                                              metrics: ["charts/learningRate": 1, "losses/approxKL": 2, "rollout/episodeReturn": 3],
                                              maxMetrics: 2),
                       "step 1 | rollout/episodeReturn 3 | losses/approxKL 2")
        XCTAssertEqual(ConsoleSink.formatDuration(65), "1m05s")
        XCTAssertEqual(ConsoleSink.formatDuration(7380), "2h03m")
    }

    func testConsolePlainLinesAreThrottled() {
        final class Box { var text = ""; var time = 0.0 }
        let box = Box()
        let sink = ConsoleSink(totalSteps: 100, isTerminal: false, environment: [:], plainInterval: 10,
                               output: { box.text += $0 }, clock: { box.time })
        for step in 0...6 {
            box.time = Double(step) * 4  // writes at t = 0, 4, …, 24 s: lines at 0, 12, 24; 30 steps in 12 s = 2.5 steps/s, ETA 70 / 2.5 = 28 s
            sink.write(step: step * 10, metrics: ["m/x": Double(step)])
        }
        sink.close()
        XCTAssertEqual(box.text, """
            step 0/100 (0%) | m/x 0
            step 30/100 (30%) | 2.5 steps/s | ETA 28s | m/x 3
            step 60/100 (60%) | 2.5 steps/s | ETA 16s | m/x 6

            """)
        XCTAssertFalse(box.text.contains("\u{1B}"))
    }

    func testConsoleTerminalRedrawsAndHonoursNoColor() {
        final class Box { var text = "" }
        let plain = Box(), colored = Box()
        let a = ConsoleSink(isTerminal: true, environment: ["NO_COLOR": "1"], output: { plain.text += $0 }, clock: { 0 })
        let b = ConsoleSink(isTerminal: true, environment: [:], output: { colored.text += $0 }, clock: { 0 })
        for sink in [a, b] {
            sink.write(step: 1, metrics: [:])
            sink.write(step: 2, metrics: [:])
            sink.close()
        }
        XCTAssertEqual(plain.text, "\r\u{1B}[2Kstep 1\r\u{1B}[2Kstep 2\n")
        XCTAssertFalse(a.useColor)
        XCTAssertTrue(b.useColor)
        XCTAssertTrue(colored.text.contains("\u{1B}[1mstep 2\u{1B}[0m"))
    }

    func testMetricsCallbackForwardsAndStopRequests() {
        let memory = MemorySink()
        var callbacks: [any TrainingCallback] = [MetricsCallback(sink: memory)]
        XCTAssertNil(callbacks.send(.metrics(step: 1, ["a/b": 1])))
        callbacks.append(ClosureCallback { event in
            if case .metrics(let step, _) = event, step >= 2 { return .stop("early stopping") }
            return .proceed
        })
        XCTAssertEqual(callbacks.send(.metrics(step: 2, ["a/b": 2])), .requested("early stopping"))
        let summary = TrainingSummary(trainer: "t", steps: 2, seconds: 1, stopReason: .requested("early stopping"))
        _ = callbacks.send(.finished(summary))
        XCTAssertEqual(memory.latest, ["a/b": 2])
        XCTAssertEqual(memory.records.count, 2)
        XCTAssertTrue(memory.isClosed)
        XCTAssertEqual(TrainingBudget(steps: 10, seconds: 5).exhausted(step: 3, elapsed: 6), .budgetExhausted("5.0 seconds"))
        XCTAssertNil(TrainingBudget(steps: 10).exhausted(step: 9))
    }
}

final class ConsoleCloseTests: XCTestCase {
    func testPlainModeShowsTheLastStateAtClose() {
        final class Box { var text = ""; var time = 0.0 }
        let box = Box()
        let sink = ConsoleSink(totalSteps: nil, isTerminal: false, environment: [:], plainInterval: 10,
                               output: { box.text += $0 }, clock: { box.time })
        sink.write(step: 0, metrics: [:])
        box.time = 2
        sink.write(step: 10, metrics: [:])  // within the interval: held back until close
        sink.close()
        XCTAssertEqual(box.text, "step 0\nstep 10 | 5.0 steps/s\n")
    }
}
