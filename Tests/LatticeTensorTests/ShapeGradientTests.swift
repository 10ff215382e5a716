import XCTest
@testable import LatticeTensor

final class ShapeGradientTests: XCTestCase {
    func testReductions() {
        let x = randomTensor([2, 3, 4], seed: 11)
        checkGradients([x]) { $0[0].sum() }
        checkGradients([x]) { $0[0].sum(alongAxes: [0, 2]) }
        checkGradients([x]) { $0[0].mean(alongAxis: 1, keepingDims: true) }
        let d = distinctValues([2, 3, 4], seed: 17)
        checkGradients([d]) { $0[0].max(alongAxis: 2) }
        checkGradients([d]) { $0[0].min(alongAxis: 0, keepingDims: true) }
        XCTAssertEqual(x.sum(alongAxes: [0, 2]).shape, [3])
        XCTAssertEqual(x.mean(alongAxis: 1, keepingDims: true).shape, [2, 1, 4])
    }

    func testReductionValues() {
        let x = Tensor(shape: [2, 3], scalars: [1, 5, 3, 4, 2, 6])
        XCTAssertEqual(x.sum(alongAxis: 0).scalars, [5, 7, 9])
        XCTAssertEqual(x.sum(alongAxis: 1).scalars, [9, 12])
        XCTAssertEqual(x.mean().scalar, 3.5)
        XCTAssertEqual(x.max(alongAxis: 1).scalars, [5, 6])
        XCTAssertEqual(x.min(alongAxis: 0).scalars, [1, 2, 3])
        XCTAssertEqual(x.argmax(alongAxis: 1).scalars, [1, 2])
        XCTAssertEqual(Tensor([3, 7, 7, 1]).argmax(alongAxis: 0).scalar, 1, "first maximum wins")
    }

    func testReshapePermuteTranspose() {
        let x = randomTensor([2, 3, 4], seed: 12)
        checkGradients([x]) { $0[0].reshaped([4, -1]) }
        checkGradients([x]) { $0[0].permuted([2, 0, 1]) }
        checkGradients([x]) { $0[0].transposed(0, 2) }
        let m = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(m.transposed().scalars, [1, 4, 2, 5, 3, 6])
        XCTAssertEqual(x.permuted([2, 0, 1])[3, 1, 2], x[1, 2, 3])
    }

    func testConcatSliceSplitPad() {
        let a = randomTensor([2, 3], seed: 13), b = randomTensor([2, 2], seed: 14)
        checkGradients([a, b]) { Tensor.concat([$0[0], $0[1], $0[0]], alongAxis: 1) }
        checkGradients([a]) { $0[0].slice(alongAxis: 1, from: 1, to: 3) }
        checkGradients([a]) { $0[0].split(sizes: [1, 2], alongAxis: 1)[1] * 3 }
        checkGradients([a]) { $0[0].padded([(1, 0), (2, 1)]) }
        let c = Tensor.concat([Tensor(shape: [1, 2], scalars: [1, 2]), Tensor(shape: [1, 1], scalars: [3])], alongAxis: 1)
        XCTAssertEqual(c.scalars, [1, 2, 3])
        let p = Tensor(shape: [1, 1], scalars: [5]).padded([(1, 1), (0, 1)], value: -1)
        XCTAssertEqual(p.shape, [3, 2])
        XCTAssertEqual(p.scalars, [-1, -1, 5, -1, -1, -1])
    }

    func testGatherAndOneHot() {
        let logits = randomTensor([4, 3], seed: 15)
        let actions = [2, 0, 1, 2]
        checkGradients([logits]) { $0[0].gathering(actions, alongAxis: 1) }
        let picked = logits.gathering(actions, alongAxis: 1)
        XCTAssertEqual(picked.shape, [4, 1])
        for (i, a) in actions.enumerated() { XCTAssertEqual(picked[i, 0], logits[i, a]) }
        // Repeated indices accumulate in the gradient.
        let x = Tensor([1, 2, 3]).trackingGradients()
        let g = gradients(of: x.gathering([0, 0, 2], alongAxis: 0).sum(), wrt: [x])[0]
        XCTAssertEqual(g.scalars, [2, 0, 1])
        XCTAssertEqual(Tensor.oneHot([1, 0], depth: 3).scalars, [0, 1, 0, 1, 0, 0])
    }

    func testSoftmaxFamily() {
        let x = randomTensor([3, 5], seed: 16, low: -3, high: 3)
        checkGradients([x]) { $0[0].softmax() }
        checkGradients([x]) { $0[0].softmax(alongAxis: 0) }
        checkGradients([x]) { $0[0].logSoftmax() }
        checkGradients([x]) { $0[0].logSumExp(alongAxis: 1) }
        checkGradients([x]) { $0[0].logSumExp(alongAxis: 0, keepingDims: true) }
        let big = Tensor(shape: [1, 3], scalars: [1000, 1001, 999])
        let ls = big.logSoftmax().scalars
        XCTAssertEqual(ls[1], -0.40760596, accuracy: 1e-4)  // Float32 spacing near 1000 is 6e-5
        XCTAssertEqual(big.logSumExp().scalar, 1001.40760596, accuracy: 1e-3)
        XCTAssertEqual(big.softmax().sum().scalar, 1, accuracy: 1e-6)
    }
}
