import LatticeRuntime
import XCTest

/// Compares RGBA byte arrays pixel by pixel and reports the first difference briefly (not the whole arrays).
func assertSamePixels(_ actual: [UInt8], _ expected: [UInt8], width: Int, _ message: String = "",
                      file: StaticString = #filePath, line: UInt = #line) {
    guard actual.count == expected.count else {
        XCTFail("\(message) \(actual.count) bytes, expected \(expected.count)", file: file, line: line)
        return
    }
    var differing = 0, first: Int?
    for i in stride(from: 0, to: actual.count, by: 4)
    where actual[i] != expected[i] || actual[i + 1] != expected[i + 1] || actual[i + 2] != expected[i + 2] || actual[i + 3] != expected[i + 3] {
        differing += 1
        if first == nil { first = i / 4 }
    }
    if let first {
        let i = first * 4
        XCTFail("\(message) \(differing) pixels differ; first at (\(first % width), \(first / width)): "
                + "\(Array(actual[i..<(i + 4)])) instead of \(Array(expected[i..<(i + 4)]))", file: file, line: line)
    }
}
