import XCTest
import LatticeTensor
@testable import LatticeNN

final class DatasetGenerationTests: XCTestCase {
    let data = NotSoClevr()

    func testNotSoClevrSizesAndIndexing() {
        XCTAssertEqual(data.count, 3136)
        XCTAssertEqual(data.centre(0), PixelCentre(x: 4, y: 4))
        XCTAssertEqual(data.centre(1), PixelCentre(x: 5, y: 4))
        XCTAssertEqual(data.centre(56), PixelCentre(x: 4, y: 5))
        XCTAssertEqual(data.centre(3135), PixelCentre(x: 59, y: 59))
        var seen = Set<PixelCentre>()
        for i in 0..<data.count {
            let c = data.centre(i)
            XCTAssertTrue((4...59).contains(c.x) && (4...59).contains(c.y))
            XCTAssertEqual(data.index(of: c), i)
            seen.insert(c)
        }
        XCTAssertEqual(seen.count, 3136)
    }

    func testQuadrantSplit() throws {
        let (train, test) = try data.split("quadrant")
        XCTAssertEqual(test.count, 729)
        XCTAssertEqual(train.count, 2407)
        for i in test { let c = data.centre(i); XCTAssertTrue(c.x >= 33 && c.y >= 33, "\(c)") }
        for i in train { let c = data.centre(i); XCTAssertFalse(c.x >= 33 && c.y >= 33, "\(c)") }
        XCTAssertEqual(Set(train + test), Set(0..<3136))
        // Hand-picked members: (33, 33) and (59, 59) are test; (32, 59) and (59, 32) are train.
        XCTAssertTrue(test.contains(data.index(of: PixelCentre(x: 33, y: 33))))
        XCTAssertTrue(test.contains(3135))
        XCTAssertTrue(train.contains(data.index(of: PixelCentre(x: 32, y: 59))))
        XCTAssertTrue(train.contains(data.index(of: PixelCentre(x: 59, y: 32))))
    }

    func testUniformSplitIsSeededDisjointAndComplete() throws {
        let a = try data.split("uniform", seed: 42)
        let b = try data.split("uniform", seed: 42)
        let c = try data.split("uniform", seed: 43)
        XCTAssertEqual(a.test.count, 627)
        XCTAssertEqual(a.train.count, 2509)
        XCTAssertEqual(a.train, b.train)
        XCTAssertEqual(a.test, b.test)
        XCTAssertNotEqual(a.test, c.test)
        XCTAssertTrue(Set(a.train).isDisjoint(with: a.test))
        XCTAssertEqual(Set(a.train).union(a.test), Set(0..<3136))
        // A random fifth has test centres in every quadrant.
        let quadrants = Set(a.test.map { i -> Int in let p = data.centre(i); return (p.x >= 32 ? 1 : 0) + (p.y >= 32 ? 2 : 0) })
        XCTAssertEqual(quadrants.count, 4)
        XCTAssertThrowsError(try data.split("uniformm")) { error in
            XCTAssertTrue("\(error)".contains("uniform, quadrant"), "\(error)")
        }
    }

    func testRenderedSquareOneHotAndTargets() {
        let i = data.index(of: PixelCentre(x: 10, y: 20))
        let image = data.images([0, i])
        XCTAssertEqual(image.shape, [2, 1, 64, 64])
        let pixels = Array(image.scalars[4096..<8192])
        XCTAssertEqual(pixels.filter { $0 == 1 }.count, 81)
        XCTAssertEqual(pixels.filter { $0 == 0 }.count, 4096 - 81)
        for row in 0..<64 {
            for col in 0..<64 {
                let inside = (16...24).contains(row) && (6...14).contains(col)
                XCTAssertEqual(pixels[row * 64 + col], inside ? 1 : 0, "(\(row), \(col))")
            }
        }
        // Example 0 is centred at (4, 4): its square touches the top-left corner.
        XCTAssertEqual(image.scalars[0], 1)
        XCTAssertEqual(image.scalars[8 * 64 + 8], 1)
        XCTAssertEqual(image.scalars[9 * 64 + 8], 0)

        let map = data.oneHotMaps([i])
        XCTAssertEqual(map.shape, [1, 1, 64, 64])
        XCTAssertEqual(map.scalars.reduce(0, +), 1)
        XCTAssertEqual(map.scalars[20 * 64 + 10], 1)
        XCTAssertEqual(data.labels([i, 3135]), [1290, 59 * 64 + 59])

        let xy = data.coordinates([i])
        XCTAssertEqual(xy.shape, [1, 2])
        XCTAssertEqual(xy.scalars[0], 20.0 / 63 - 1, accuracy: 1e-6)
        XCTAssertEqual(xy.scalars[1], 40.0 / 63 - 1, accuracy: 1e-6)
        let ends = data.coordinates([0, 3135]).scalars
        let first: Float = 8.0 / 63 - 1, last: Float = 1 - 8.0 / 63
        for (value, expected) in zip(ends, [first, first, last, last]) { XCTAssertEqual(value, expected, accuracy: 1e-6) }
        XCTAssertEqual(data.pixelCoordinates([i]).scalars, [10, 20])
        XCTAssertEqual(NotSoClevr.denormalise(xy.scalars[0]), 10, accuracy: 1e-4)
    }

    func testSquaresBatch() {
        var rng = RandomGenerator(seed: 9)
        let batch = Squares().batch(count: 64, rng: &rng)
        XCTAssertEqual(batch.images.shape, [64, 1, 64, 64])
        XCTAssertEqual(batch.centres.count, 64)
        let s = batch.images.scalars
        for n in 0..<64 {
            let c = batch.centres[n]
            XCTAssertTrue((4...59).contains(c.x) && (4...59).contains(c.y))
            let img = s[(n * 4096)..<((n + 1) * 4096)]
            XCTAssertTrue(img.allSatisfy { $0 == -1 || $0 == 1 })
            XCTAssertEqual(img.filter { $0 == 1 }.count, 81)
            let base = n * 4096
            XCTAssertEqual(s[base + (c.y - 4) * 64 + c.x - 4], 1)
            XCTAssertEqual(s[base + (c.y + 4) * 64 + c.x + 4], 1)
            if c.x + 5 < 64 { XCTAssertEqual(s[base + c.y * 64 + c.x + 5], -1) }
            if c.y - 5 >= 0 { XCTAssertEqual(s[base + (c.y - 5) * 64 + c.x], -1) }
        }
        var again = RandomGenerator(seed: 9)
        XCTAssertEqual(Squares().batch(count: 64, rng: &again).centres, batch.centres)
        // Centres cover the whole range 4…59 on both axes.
        var many = RandomGenerator(seed: 1)
        let centres = (0..<3000).map { _ in Squares().randomCentre(rng: &many) }
        XCTAssertEqual(centres.map(\.x).min(), 4); XCTAssertEqual(centres.map(\.x).max(), 59)
        XCTAssertEqual(centres.map(\.y).min(), 4); XCTAssertEqual(centres.map(\.y).max(), 59)
    }

    func testSortOfClevrObjectsAndColours() {
        let data = SortOfClevr(seed: 5)
        XCTAssertEqual(data.count, 50_000)
        let indices = Array(0..<100)
        let images = data.images(indices)
        XCTAssertEqual(images.shape, [100, 3, 64, 64])
        let s = images.scalars
        XCTAssertTrue(s.allSatisfy { $0 == -1 || $0 == 1 })
        var shapes = Set<SortOfClevr.Shape>()
        func rgb(_ n: Int, _ c: PixelCentre) -> [Float] {
            (0..<3).map { s[(n * 3 + $0) * 4096 + c.y * 64 + c.x] }
        }
        for n in indices {
            let objects = data.objects(n)
            XCTAssertEqual(objects.map(\.colour), [.red, .blue])
            let (r, b) = (objects[0].centre, objects[1].centre)
            for c in [r, b] { XCTAssertTrue((10..<54).contains(c.x) && (10..<54).contains(c.y), "\(c)") }
            let dx = Double(r.x - b.x), dy = Double(r.y - b.y)
            XCTAssertGreaterThanOrEqual((dx * dx + dy * dy).squareRoot(), 20)
            XCTAssertEqual(rgb(n, r), [1, -1, -1], "red centre of image \(n)")
            XCTAssertEqual(rgb(n, b), [-1, -1, 1], "blue centre of image \(n)")
            // Blue is drawn last, so all its pixels show: 21·21 = 441 for a square, 317 lattice points
            // within radius 10 for a disc.
            var blue = 0
            for p in 0..<4096 where s[(n * 3) * 4096 + p] == -1 && s[(n * 3 + 2) * 4096 + p] == 1 { blue += 1 }
            XCTAssertEqual(blue, objects[1].shape == .square ? 441 : 317, "image \(n)")
            let corner = PixelCentre(x: b.x + 10, y: b.y + 10)
            if objects[1].shape == .square { XCTAssertEqual(rgb(n, corner), [-1, -1, 1]) } else { XCTAssertNotEqual(rgb(n, corner), [-1, -1, 1]) }
            shapes.insert(objects[0].shape); shapes.insert(objects[1].shape)
            XCTAssertEqual(rgb(n, PixelCentre(x: 0, y: 0)), [1, 1, 1])
        }
        XCTAssertEqual(shapes.count, 2)
    }

    func testSortOfClevrIsDeterministicByIndex() {
        let data = SortOfClevr(seed: 5)
        let pair = data.images([7, 123])
        let single = data.images([123])
        XCTAssertEqual(Array(pair.scalars[(3 * 4096)...]), single.scalars)
        XCTAssertEqual(SortOfClevr(seed: 5).objects(49_999), data.objects(49_999))
        XCTAssertNotEqual((0..<10).map { SortOfClevr(seed: 6).objects($0) }, (0..<10).map { data.objects($0) })
        XCTAssertNotEqual(data.objects(0), data.objects(1))
    }
}
