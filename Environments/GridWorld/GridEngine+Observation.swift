/// Observation writers: egocentric view with occlusion, full one-hot grid, and pixels.
extension GridEngine {
    /// Channels of the egocentric one-hot view: objects 11 + colours 6 + door states 3.
    static let egocentricChannels = 20
    /// Channels of the full one-hot grid: the 20 above + 4 agent directions.
    static let fullChannels = 24
    /// First colour channel.
    static let colorChannel = 11
    /// First door-state channel.
    static let stateChannel = 17
    /// First direction channel (full mode).
    static let directionChannel = 20

    /// Writes the current observation in the engine's mode.
    func writeObservation(into observation: UnsafeMutableBufferPointer<Float>) {
        precondition(observation.count >= observationCount,
                     "\(id): observation buffer holds \(observation.count) scalars, needs \(observationCount)")
        let out = observation.baseAddress!
        switch mode {
        case .egocentric: writeEgocentric(out)
        case .full: writeFull(out)
        case .pixels: writePixels(out)
        }
    }

    /// Sets the one-hot channels of `c` at `index` of a plane of `planeSize` scalars.
    @inline(__always)
    private func encode(_ c: GridCell, at index: Int, planeSize: Int, _ out: UnsafeMutablePointer<Float>) {
        out[Int(c.object) &* planeSize &+ index] = 1
        if c.hasColor {
            out[(GridEngine.colorChannel &+ Int(c.color)) &* planeSize &+ index] = 1
        }
        if c.object == GridCell.doorObject {
            out[(GridEngine.stateChannel &+ Int(c.state)) &* planeSize &+ index] = 1
        }
    }

    /// Fills `view` with the 7×7 cells in front of the agent, rotated so the agent looks up from
    /// (3, 6): view cell (vx, vy) is world `agent + forward·(6 − vy) + right·(vx − 3)`; outside is wall.
    func gatherView() {
        let d = agentDirection
        let fx = GridEngine.dx(d), fy = GridEngine.dy(d)
        let rx = GridEngine.dx((d &+ 1) & 3), ry = GridEngine.dy((d &+ 1) & 3)
        for vy in 0..<7 {
            let ahead = 6 &- vy
            let bx = agentX &+ fx &* ahead &- 3 &* rx
            let by = agentY &+ fy &* ahead &- 3 &* ry
            for vx in 0..<7 {
                view[vy &* 7 &+ vx] = cell(bx &+ rx &* vx, by &+ ry &* vx)
            }
        }
    }

    /// MiniGrid's `process_vis` on the 7×7 view: light spreads from the agent (3, 6) row by row upwards,
    /// sideways and diagonally up, and stops at cells that cannot be seen behind.
    func computeVisibility() {
        visible.update(repeating: false, count: 49)
        visible[6 &* 7 &+ 3] = true
        var j = 6
        while j >= 0 {
            let row = j &* 7
            for i in 0..<6 where visible[row &+ i] && view[row &+ i].seeBehind {
                visible[row &+ i &+ 1] = true
                if j > 0 {
                    visible[row &- 7 &+ i &+ 1] = true
                    visible[row &- 7 &+ i] = true
                }
            }
            var i = 6
            while i >= 1 {
                if visible[row &+ i] && view[row &+ i].seeBehind {
                    visible[row &+ i &- 1] = true
                    if j > 0 {
                        visible[row &- 7 &+ i &- 1] = true
                        visible[row &- 7 &+ i] = true
                    }
                }
                i &-= 1
            }
            j &-= 1
        }
    }

    /// The `[20, 7, 7]` egocentric one-hot view.
    func writeEgocentric(_ out: UnsafeMutablePointer<Float>) {
        gatherView()
        computeVisibility()
        view[6 &* 7 &+ 3] = carrying  // the agent's own cell shows what it holds (empty if nothing)
        out.update(repeating: 0, count: GridEngine.egocentricChannels &* 49)
        for k in 0..<49 {
            if visible[k] {
                encode(view[k], at: k, planeSize: 49, out)
            } else {
                out[k] = 1  // channel 0: unseen
            }
        }
    }

    /// The `[24, H, W]` full one-hot grid with the agent and its direction.
    func writeFull(_ out: UnsafeMutablePointer<Float>) {
        let plane = width &* height
        out.update(repeating: 0, count: GridEngine.fullChannels &* plane)
        let agentIndex = agentY &* width &+ agentX
        for k in 0..<plane where k != agentIndex {
            encode(cells[k], at: k, planeSize: plane, out)
        }
        out[Int(GridCell.agentObject) &* plane &+ agentIndex] = 1
        out[(GridEngine.colorChannel &+ Int(GridCell.red)) &* plane &+ agentIndex] = 1
        out[(GridEngine.directionChannel &+ agentDirection) &* plane &+ agentIndex] = 1
    }

    /// The `[3, 8·H, 8·W]` RGB grid in [0, 1], from the pre-drawn 8×8 sprites.
    func writePixels(_ out: UnsafeMutablePointer<Float>) {
        guard let sprites, let agentMasks else { return }
        let rowLength = 8 &* width
        let plane = rowLength &* 8 &* height
        let agentIndex = agentY &* width &+ agentX
        for y in 0..<height {
            for x in 0..<width {
                let sprite = sprites + GridEngine.spriteIndex(cells[y &* width &+ x]) &* 192
                let origin = (8 &* y) &* rowLength &+ 8 &* x
                for ch in 0..<3 {
                    let target: UnsafeMutablePointer<Float> = out + (ch &* plane &+ origin)
                    let source: UnsafeMutablePointer<Float> = sprite + ch &* 64
                    for py in 0..<8 {
                        (target + py &* rowLength).update(from: source + py &* 8, count: 8)
                    }
                }
                if y &* width &+ x == agentIndex {
                    let mask = agentMasks + agentDirection &* 64
                    for py in 0..<8 {
                        for px in 0..<8 where mask[py &* 8 &+ px] {
                            let o = origin &+ py &* rowLength &+ px
                            out[o] = 1; out[plane &+ o] = 0; out[2 &* plane &+ o] = 0
                        }
                    }
                }
            }
        }
    }
}
