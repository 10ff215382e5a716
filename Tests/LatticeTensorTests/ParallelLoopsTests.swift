import XCTest
@testable import LatticeTensor

/// `ParallelLoops` and the ops that run on it: every part runs once, and the DCGAN's ops (stride-2
/// convolutions, BatchNorm, activations, the coordinate map) give the same bits on the worker pool as on
/// the calling thread alone, forward and backward.
final class ParallelLoopsTests: XCTestCase {
    func testForEachRunsEveryIndexOnce() {
        for count in [0, 1, 2, 3, 17, 64] {
            let hits = UnsafeMutableBufferPointer<Int>.allocate(capacity: Swift.max(count, 1))
            hits.initialize(repeating: 0)
            defer { hits.deallocate() }
            ParallelLoops.forEach(count) { i in hits[i] += 1 }
            XCTAssertEqual(Array(hits.prefix(count)), [Int](repeating: 1, count: count), "count \(count)")
        }
    }

    func testForEachRangeCoversTheItemsInOrderWithoutOverlap() {
        for (count, perItem) in [(0, 1), (5, 1), (16_385, 1), (40_001, 1), (100_003, 1), (7, 10_000), (64, 4096), (3, 1 << 20)] {
            let seen = UnsafeMutableBufferPointer<Int>.allocate(capacity: Swift.max(count, 1))
            seen.initialize(repeating: 0)
            defer { seen.deallocate() }
            ParallelLoops.forEachRange(count, elementsPerItem: perItem) { r in
                for i in r { seen[i] += 1 }
                if perItem == 1 && r.upperBound < count { XCTAssertEqual(r.count % 8, 0, "ranges are whole SIMD blocks") }
            }
            XCTAssertEqual(Array(seen.prefix(count)), [Int](repeating: 1, count: count), "count \(count) × \(perItem)")
        }
    }

    func testSumPartsAddsTheBlocksInOrder() {
        for (parts, count, stride) in [(1, 5, 5), (3, 17, 20), (8, 64, 64), (5, 1, 3)] {
            let x = randomTensor([parts * stride], seed: UInt64(parts * 100 + count))
            var expected = [Float](repeating: 0, count: count)
            for part in 0..<parts { for k in 0..<count { expected[k] = part == 0 ? x.scalars[k] : expected[k] + x.scalars[part * stride + k] } }
            var got = [Float](repeating: .nan, count: count)
            x.withUnsafeBufferPointer { xs in
                got.withUnsafeMutableBufferPointer { ParallelLoops.sumParts(xs.baseAddress!, parts: parts, count: count, stride: stride, into: $0.baseAddress!) }
            }
            XCTAssertEqual(got, expected)
        }
    }

    /// The value and the gradients of every input of `f`, on the pool and inline: equal bit for bit.
    func assertSameBitsInline(_ inputs: [Tensor], file: StaticString = #filePath, line: UInt = #line, _ f: ([Tensor]) -> Tensor) {
        func run() -> [Tensor] {
            let tracked = inputs.map { $0.trackingGradients() }
            let y = f(tracked)
            let weights = randomTensor(y.shape, seed: 4242)
            return [y.detached] + gradients(of: (y * weights).sum(), wrt: tracked)
        }
        let pooled = run(), inline = ParallelLoops.$runsInline.withValue(true) { run() }
        XCTAssertEqual(pooled.count, inline.count, file: file, line: line)
        for (i, (a, b)) in zip(pooled, inline).enumerated() {
            XCTAssertEqual(a.shape, b.shape, file: file, line: line)
            XCTAssertTrue(a.scalars.elementsEqual(b.scalars) { $0.bitPattern == $1.bitPattern }, "tensor \(i) differs", file: file, line: line)
        }
    }

    func testDCGANOpsGiveTheSameBitsOnThePoolAndInline() {
        let o = ConvolutionOptions(stride: 2, padding: 1)
        // Several chunks (with an uneven last one) for the convolutions, both the per-image and the batched GEMMs.
        for (i, xs) in [[9, 3, 32, 32], [13, 8, 8, 8], [5, 16, 4, 4]].enumerated() {
            let seed = UInt64(10 * i)
            let x = randomTensor(xs, seed: seed), w = randomTensor([6, xs[1], 4, 4], seed: seed + 1), b = randomTensor([6], seed: seed + 2)
            assertSameBitsInline([x, w, b]) { conv2d($0[0], filter: $0[1], bias: $0[2], options: o) }
            let wt = randomTensor([xs[1], 5, 4, 4], seed: seed + 3), bt = randomTensor([5], seed: seed + 4)
            assertSameBitsInline([x, wt, bt]) { convTranspose2d($0[0], filter: $0[1], bias: $0[2], options: o) }
        }
        let big = randomTensor([16, 8, 32, 32], seed: 50)   // 131 072 scalars: several parts
        let scale = randomTensor([8], seed: 51), offset = randomTensor([8], seed: 52)
        assertSameBitsInline([big, scale, offset]) { batchNormalized($0[0], scale: $0[1], offset: $0[2], epsilon: 1e-5).output }
        assertSameBitsInline([big]) { leakyReLU($0[0], slope: 0.2) }
        assertSameBitsInline([big]) { relu($0[0]) }
        assertSameBitsInline([big.reshaped([-1]).slice(alongAxis: 0, from: 0, to: 131_067)]) { tanh($0[0]) }
        assertSameBitsInline([big, randomTensor([1, 8, 32, 32], seed: 53)]) { $0[0].addingToEveryImage($0[1]) }
    }
}
