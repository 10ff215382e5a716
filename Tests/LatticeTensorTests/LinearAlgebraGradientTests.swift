import XCTest
@testable import LatticeTensor

final class LinearAlgebraGradientTests: XCTestCase {
    func testMatmulValues() {
        let a = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let b = Tensor(shape: [3, 2], scalars: [7, 8, 9, 10, 11, 12])
        XCTAssertEqual(matmul(a, b).scalars, [58, 64, 139, 154])
        XCTAssertEqual(matmul(b, a, transposeA: true, transposeB: true).scalars, [58, 139, 64, 154])
    }

    func testMatmulGradients() {
        let a = randomTensor([3, 4], seed: 21), b = randomTensor([4, 5], seed: 22)
        checkGradients([a, b]) { matmul($0[0], $0[1]) }
        let at = randomTensor([4, 3], seed: 23), bt = randomTensor([5, 4], seed: 24)
        checkGradients([at, bt]) { matmul($0[0], $0[1], transposeA: true, transposeB: true) }
        checkGradients([a, bt]) { matmul($0[0], $0[1], transposeB: true) }
        checkGradients([at, b]) { matmul($0[0], $0[1], transposeA: true) }
    }

    func testBatchedMatmul() {
        let a = randomTensor([2, 3, 4], seed: 25), b = randomTensor([2, 4, 2], seed: 26)
        let shared = randomTensor([4, 2], seed: 27)
        checkGradients([a, b]) { matmul($0[0], $0[1]) }
        checkGradients([a, shared]) { matmul($0[0], $0[1]) }
        let c = matmul(a, b)
        let c1 = matmul(a.slice(alongAxis: 0, from: 1, to: 2).reshaped([3, 4]), b.slice(alongAxis: 0, from: 1, to: 2).reshaped([4, 2]))
        assertClose(c.slice(alongAxis: 0, from: 1, to: 2).reshaped([3, 2]), c1)
    }

    func testSharedSubexpressionsAccumulate() {
        let x = Tensor([1.5, -2]).trackingGradients()
        let y = x * x + x          // dy/dx = 2x + 1
        let z = (y * y).sum()      // dz/dx = 2y(2x + 1)
        let g = gradients(of: z, wrt: [x])[0].scalars
        let expected0: Float = 2 * 3.75 * 4      // y = 3.75, 2x + 1 = 4
        let expected1: Float = 2 * 2 * -3        // y = 2, 2x + 1 = −3
        XCTAssertEqual(g[0], expected0, accuracy: 1e-4)
        XCTAssertEqual(g[1], expected1, accuracy: 1e-4)
    }

    func testNoGradientScopeRecordsNothing() {
        let x = Tensor([1, 2]).trackingGradients()
        let y = withoutGradients { x * 3 }
        XCTAssertFalse(y.isTracked)
        XCTAssertTrue((x * 3).isTracked)
        XCTAssertFalse(stopGradient(x * 3).isTracked)
        let g = gradients(of: (x * stopGradient(x)).sum(), wrt: [x])[0]
        XCTAssertEqual(g.scalars, [1, 2], "stopGradient blocks the second path")
    }

    func testUnrelatedParameterGetsZeros() {
        let x = Tensor([1, 2]).trackingGradients(), w = Tensor([3, 4, 5]).trackingGradients()
        let g = gradients(of: (x * 2).sum(), wrt: [x, w])
        XCTAssertEqual(g[1].scalars, [0, 0, 0])
    }

    func testDeepGraph() {
        // 100,000 nodes deep: the backward pass and freeing the graph must not overflow the stack.
        var x = Tensor([0.5]).trackingGradients()
        let start = x
        for _ in 0..<100_000 { x = x + 1e-5 }
        let g = gradients(of: x.sum(), wrt: [start])[0]
        XCTAssertEqual(g.scalar, 1)
        XCTAssertEqual(x.scalar, 1.5, accuracy: 1e-2)
    }

    func testParameterUpdateKeepsIdentityAndCopiesWhenShared() {
        let p = Parameter(Tensor([1, 2]))
        let y = (p.value * 2).sum()
        p.update { $0[0] = 10 }                       // the graph still holds the old value
        let g = gradients(of: y, wrt: [p.value])[0]
        XCTAssertEqual(g.scalars, [2, 2], "same leaf after an in-place update")
        XCTAssertEqual(p.value.scalars, [10, 2])
        let y2 = (p.value * p.value).sum()
        XCTAssertEqual(gradients(of: y2, wrt: [p.value])[0].scalars, [20, 4])
    }
}
