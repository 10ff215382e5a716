import GridWorld
import LatticeRL
import XCTest

final class GridWorldMapTests: XCTestCase {
    func testParsesLegend() throws {
        let map = try GridWorldMap(parsing: """

            ######
            #v.KD#
            #LdOG#
            #BXF.#
            ######

            """)
        XCTAssertEqual(map.width, 6)
        XCTAssertEqual(map.height, 5)
        XCTAssertEqual(map.agentX, 1); XCTAssertEqual(map.agentY, 1); XCTAssertEqual(map.agentDirection, 1)
        func c(_ x: Int, _ y: Int) -> GridCell { map.cells[y * 6 + x] }
        XCTAssertEqual(c(1, 1), .empty, "the agent's cell is empty")
        XCTAssertEqual(c(0, 0), .wall)
        XCTAssertEqual(c(3, 1), .key(GridCell.yellow))
        XCTAssertEqual(c(4, 1), GridCell(object: 4, color: 4, state: 2))
        XCTAssertEqual(c(1, 2), GridCell(object: 9, color: 0, state: 0))
        XCTAssertEqual(c(2, 2), GridCell(object: 4, color: 4, state: 1))
        XCTAssertEqual(c(3, 2), GridCell(object: 4, color: 4, state: 0))
        XCTAssertEqual(c(4, 2), GridCell(object: 8, color: 1, state: 0))
        XCTAssertEqual(c(1, 3).object, 6)
        XCTAssertEqual(c(2, 3).object, 7)
        XCTAssertEqual(c(3, 3).object, 3)
        for (ch, d) in [("A", 0), (">", 0), ("v", 1), ("<", 2), ("^", 3)] {
            XCTAssertEqual(try GridWorldMap(parsing: "#\(ch)G#").agentDirection, d)
        }
    }

    func testUnknownCharacterReportsLineAndColumn() {
        XCTAssertThrowsError(try GridWorldMap(parsing: "#####\n#>.G#\n#.Z.#\n#####")) { error in
            XCTAssertEqual(error as? GridWorldMapError, .unknownCharacter(line: 3, column: 3, character: "Z"))
            let text = String(describing: error)
            XCTAssertTrue(text.contains("line 3, column 3"), text)
            XCTAssertTrue(text.contains("'Z'"), text)
            XCTAssertTrue(text.contains("'#' wall"), "lists the legend: \(text)")
        }
        // A leading blank line counts: the text's own line numbers are reported.
        XCTAssertThrowsError(try GridWorldMap(parsing: "\n#####\n#>.Q#")) { error in
            XCTAssertEqual(error as? GridWorldMapError, .unknownCharacter(line: 3, column: 4, character: "Q"))
        }
    }

    func testOtherErrors() {
        XCTAssertThrowsError(try GridWorldMap(parsing: "#####\n#>.G#\n#..#\n#####")) { error in
            XCTAssertEqual(error as? GridWorldMapError, .raggedRow(line: 3, width: 4, expected: 5, firstLine: 1))
        }
        XCTAssertThrowsError(try GridWorldMap(parsing: "#####\n#..G#\n#####")) { error in
            XCTAssertEqual(error as? GridWorldMapError, .missingAgent)
        }
        XCTAssertThrowsError(try GridWorldMap(parsing: "#####\n#>.<#\n#####")) { error in
            XCTAssertEqual(error as? GridWorldMapError, .multipleAgents(line: 2, column: 4, firstLine: 2, firstColumn: 2))
        }
        XCTAssertThrowsError(try GridWorldMap(parsing: "\n  \n")) { error in
            XCTAssertEqual(error as? GridWorldMapError, .empty)
        }
    }

    func testMapEnvironmentThroughCatalogue() throws {
        let env = try GridWorlds.make(id: "GridWorld/Map-v0", options: GridWorldOptions(map: "#####\n#>.G#\n#####"))
        _ = env.reset(seed: nil)
        let r = try play(env, [Act.forward, Act.forward])
        XCTAssertTrue(r.terminated)
        XCTAssertEqual(r.reward, 1 - 0.9 * 2 / 60, accuracy: 1e-6)  // maxSteps 4·5·3 = 60
        XCTAssertThrowsError(try GridWorlds.make(id: "GridWorld/Map-v0", options: GridWorldOptions()))
        XCTAssertThrowsError(try GridWorlds.make(id: "GridWorld/Map-v0", options: GridWorldOptions(map: "#?#"))) { error in
            XCTAssertEqual(error as? GridWorldMapError, .unknownCharacter(line: 1, column: 2, character: "?"))
        }
    }
}
