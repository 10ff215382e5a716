import Foundation

/// Times closures (median of repetitions after a warm-up) and prints rows as a table or JSON lines
/// (`{"suite", "case", "value", "unit", "reference", "ratio"}`, as DESIGN.md fixes).
final class BenchmarkReport {
    /// One printed row.
    struct Row {
        var name: String
        var value: Double
        var unit: String
        var reference: Double?
        var detail: String
    }

    let suite: String
    let json: Bool
    /// Width of the case column and the title of the reference column, per suite.
    var nameWidth = 26
    var referenceTitle = "reference"
    private var rows: [Row] = []

    init(suite: String, json: Bool) {
        self.suite = suite
        self.json = json
    }

    /// Median wall time in seconds of `body` over `repetitions` runs, after `warmup` untimed runs.
    static func median(repetitions: Int, warmup: Int = 2, _ body: () -> Void) -> Double {
        for _ in 0..<warmup { body() }
        var times: [Double] = []
        for _ in 0..<max(1, repetitions) {
            let start = DispatchTime.now().uptimeNanoseconds
            body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return median(of: times)
    }

    /// The median of `values` (the mean of the middle two for an even count; `nan` for none).
    static func median(of values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted(), n = sorted.count
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }

    /// CPU seconds the calling thread has used (less sensitive than wall time to other processes on a
    /// shared machine).
    static func threadCPUSeconds() -> Double { cpuSeconds(CLOCK_THREAD_CPUTIME_ID) }

    /// CPU seconds used by all the threads of this process so far, OpenBLAS's included (the work a
    /// multi-threaded case does, whatever else runs on the machine).
    static func processCPUSeconds() -> Double { cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) }

    private static func cpuSeconds(_ clock: clockid_t) -> Double {
        var t = timespec()
        clock_gettime(clock, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// Adds and prints a row.
    func add(_ name: String, value: Double, unit: String, reference: Double? = nil, detail: String = "") {
        let row = Row(name: name, value: value, unit: unit, reference: reference, detail: detail)
        rows.append(row)
        if json {
            var object: [String: Any] = ["suite": suite, "case": name, "value": rounded(value), "unit": unit]
            if let reference {
                object["reference"] = rounded(reference)
                object["ratio"] = rounded(value / reference)
            }
            let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            print(String(decoding: data, as: UTF8.self))
        } else {
            if rows.count == 1 {
                print(pad("case", nameWidth) + pad("value", 14) + pad("unit", 12) + pad(referenceTitle, 12) + pad("ratio", 8) + "detail")
            }
            let ref = reference.map { format($0) } ?? "—"
            let ratio = reference.map { String(format: "%.2f", value / $0) } ?? "—"
            print(pad(name, nameWidth) + pad(format(value), 14) + pad(unit, 12) + pad(ref, 12) + pad(ratio, 8) + detail)
        }
    }

    /// Prints closing lines (memory) for the table.
    func finish() {
        let peak = PeakMemory.peakResidentMegabytes()
        if json {
            print("{\"case\":\"peak-rss\",\"suite\":\"\(suite)\",\"unit\":\"MiB\",\"value\":\(rounded(peak))}")
        } else {
            print(String(format: "peak RSS %.1f MiB", peak))
        }
    }

    private func rounded(_ v: Double) -> Double { (v * 1000).rounded() / 1000 }
    private func format(_ v: Double) -> String { v >= 100 ? String(format: "%.1f", v) : String(format: "%.3g", v) }
    private func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s + " " : s + String(repeating: " ", count: n - s.count) }
}

/// Resident memory of this process.
enum PeakMemory {
    /// Peak resident set size (getrusage), MiB.
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// Current resident set size (/proc/self/statm), MiB.
    static func currentResidentMegabytes() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }
}
