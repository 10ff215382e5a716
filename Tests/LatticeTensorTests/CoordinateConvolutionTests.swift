import XCTest
@testable import LatticeTensor

/// `coordinateConv2d` / `coordinateConvTranspose2d` against the convolution of the explicit concatenation
/// `[x, planes]`, and finite differences for them and for `addingToEveryImage`.
final class CoordinateConvolutionTests: XCTestCase {
    /// `planes` `[k, H, W]` repeated for each of `n` images and appended after the channels of `x`.
    func concatenated(_ x: Tensor, _ planes: Tensor) -> Tensor {
        let n = x.shape[0]
        return Tensor.concat([x, planes.reshaped([1] + planes.shape).broadcast(to: [n] + planes.shape)], alongAxis: 1)
    }

    /// `fast` equals `reference`, and so do the gradients of Σ y·r (r random) with respect to `inputs`.
    func assertSameValuesAndGradients(_ fast: Tensor, _ reference: Tensor, wrt inputs: [Tensor], seed: UInt64,
                                      file: StaticString = #filePath, line: UInt = #line) {
        assertClose(fast, reference, file: file, line: line)
        let r = randomTensor(fast.shape, seed: seed)
        for (a, e) in zip(gradients(of: (fast * r).sum(), wrt: inputs), gradients(of: (reference * r).sum(), wrt: inputs)) {
            assertClose(a, e, tolerance: 1e-3, file: file, line: line)
        }
    }

    func testConvolutionEqualsTheConvolutionOfTheConcatenation() {
        // 4×4 stride 2 (the DCGAN's, several chunks), 3×3 same, 3×3 stride 2 on odd sizes, 5×5 valid.
        let cases: [([Int], Int, ConvolutionOptions)] = [
            ([7, 1, 64, 64], 4, ConvolutionOptions(stride: 2, padding: 1)), ([3, 5, 16, 12], 4, ConvolutionOptions(stride: 2, padding: 1)),
            ([2, 3, 9, 7], 3, ConvolutionOptions(stride: 1, padding: 1)), ([4, 2, 11, 13], 3, ConvolutionOptions(stride: 2, padding: 1)),
            ([2, 1, 9, 9], 5, ConvolutionOptions()),
        ]
        for (i, (xs, kernel, o)) in cases.enumerated() {
            let seed = UInt64(100 * i), k = 2 + i % 2
            let x = randomTensor(xs, seed: seed).trackingGradients(), planes = randomTensor([k, xs[2], xs[3]], seed: seed + 1)
            let w = randomTensor([3, xs[1] + k, kernel, kernel], seed: seed + 2).trackingGradients()
            let b = randomTensor([3], seed: seed + 3).trackingGradients()
            assertSameValuesAndGradients(coordinateConv2d(x, planes: planes, filter: w, bias: b, options: o),
                                         conv2d(concatenated(x, planes), filter: w, bias: b, options: o), wrt: [x, w, b], seed: seed + 4)
        }
    }

    func testTransposedConvolutionEqualsTheTransposedConvolutionOfTheConcatenation() {
        let cases: [([Int], Int, ConvolutionOptions, Int)] = [
            ([9, 8, 32, 32], 4, ConvolutionOptions(stride: 2, padding: 1), 0), ([3, 4, 5, 6], 4, ConvolutionOptions(stride: 2, padding: 1), 0),
            ([2, 3, 5, 4], 3, ConvolutionOptions(stride: 2, padding: 1), 1), ([2, 2, 3, 3], 3, ConvolutionOptions(), 0),
        ]
        for (i, (xs, kernel, o, extra)) in cases.enumerated() {
            let seed = UInt64(700 + 100 * i), k = 2 + i % 2
            let x = randomTensor(xs, seed: seed).trackingGradients(), planes = randomTensor([k, xs[2], xs[3]], seed: seed + 1)
            let w = randomTensor([xs[1] + k, 2, kernel, kernel], seed: seed + 2).trackingGradients()
            let b = randomTensor([2], seed: seed + 3).trackingGradients()
            assertSameValuesAndGradients(
                coordinateConvTranspose2d(x, planes: planes, filter: w, bias: b, options: o, outputPadding: (extra, extra)),
                convTranspose2d(concatenated(x, planes), filter: w, bias: b, options: o, outputPadding: (extra, extra)),
                wrt: [x, w, b], seed: seed + 4)
        }
    }

    func testFiniteDifferences() {
        let o = ConvolutionOptions(stride: 2, padding: 1)
        let planes = randomTensor([2, 8, 8], seed: 1)
        checkGradients([randomTensor([2, 1, 8, 8], seed: 2), randomTensor([2, 3, 4, 4], seed: 3), randomTensor([2], seed: 4)]) {
            coordinateConv2d($0[0], planes: planes, filter: $0[1], bias: $0[2], options: o)
        }
        let small = randomTensor([3, 4, 4], seed: 5)
        checkGradients([randomTensor([2, 2, 4, 4], seed: 6), randomTensor([5, 2, 4, 4], seed: 7), randomTensor([2], seed: 8)]) {
            coordinateConvTranspose2d($0[0], planes: small, filter: $0[1], bias: $0[2], options: o)
        }
        checkGradients([randomTensor([3, 2, 3, 5], seed: 9), randomTensor([1, 2, 3, 5], seed: 10)]) { $0[0].addingToEveryImage($0[1]) }
    }

    func testAddingToEveryImageMatchesBroadcasting() {
        let x = randomTensor([5, 3, 7, 9], seed: 20), map = randomTensor([1, 3, 7, 9], seed: 21)
        XCTAssertEqual(x.addingToEveryImage(map), x + map)
    }
}
