import LatticeTensor

/// Asterix's rules and state (spec §2). Slot i of the 8 entity slots lives on row i+1; slots are
/// bitmasks plus a vector of columns, so the whole state is a few words with no heap storage.
struct AsterixGame: MinAtarGame {
    static let name = "Asterix"
    static let channelCount = 4
    static let minimalActionSet = [0, 1, 2, 3, 4]

    /// Steps between difficulty ramps, minus one (the ramp fires when the timer is below 0: every 102 steps).
    static let rampInterval = 100
    static let initialSpawnSpeed = 10
    static let initialMoveInterval = 5

    var playerX = 5
    var playerY = 5
    /// Bit i: slot i holds an entity.
    var occupied: UInt8 = 0
    /// Bit i: slot i's entity moves right (else left).
    var movingRight: UInt8 = 0
    /// Bit i: slot i's entity is gold (else an enemy).
    var gold: UInt8 = 0
    /// Column of slot i's entity.
    var entityX = SIMD8<Int32>(repeating: 0)
    var spawnSpeed = initialSpawnSpeed
    var spawnTimer = initialSpawnSpeed
    var moveSpeed = initialMoveInterval
    var moveTimer = initialMoveInterval
    var rampTimer = rampInterval
    var rampIndex = 0
    var terminal = false

    init() {}

    mutating func reset(rng: inout RandomGenerator) {
        self = AsterixGame()
    }

    mutating func act(_ action: Int, rng: inout RandomGenerator, ramping: Bool) -> Int {
        var reward = 0
        // 1. Spawn (pattern A).
        if spawnTimer == 0 {
            spawn(rng: &rng)
            spawnTimer = spawnSpeed
        }
        // 2. Move the player.
        switch action {
        case 1: playerX = max(0, playerX &- 1)
        case 2: playerY = max(1, playerY &- 1)
        case 3: playerX = min(9, playerX &+ 1)
        case 4: playerY = min(8, playerY &+ 1)
        default: break
        }
        // 3. Contact.
        reward &+= contact()
        // 4. Move the entities (pattern A), then contact again.
        if moveTimer == 0 {
            moveTimer = moveSpeed
            var live = occupied
            while live != 0 {
                let slot = live.trailingZeroBitCount
                live &= live &- 1
                let bit: UInt8 = 1 << UInt8(slot)
                let x = entityX[slot] &+ (movingRight & bit != 0 ? 1 : -1)
                if x < 0 || x > 9 {
                    occupied &= ~bit
                } else {
                    entityX[slot] = x
                }
            }
            reward &+= contact()
        }
        // 5. Timers.
        spawnTimer &-= 1
        moveTimer &-= 1
        // 6. Ramping.
        if ramping && (spawnSpeed > 1 || moveSpeed > 1) {
            if rampTimer >= 0 {
                rampTimer &-= 1
            } else {
                if moveSpeed > 1 && rampIndex % 2 == 1 { moveSpeed &-= 1 }
                if spawnSpeed > 1 { spawnSpeed &-= 1 }
                rampIndex &+= 1
                rampTimer = Self.rampInterval
            }
        }
        return reward
    }

    /// Gold on the player's cell is collected (+1); an enemy there ends the episode.
    /// Only slot `playerY − 1` can share the player's row.
    @inline(__always)
    private mutating func contact() -> Int {
        let slot = playerY &- 1
        let bit: UInt8 = 1 << UInt8(truncatingIfNeeded: slot)
        guard occupied & bit != 0, Int(entityX[slot]) == playerX else { return 0 }
        if gold & bit != 0 {
            occupied &= ~bit
            return 1
        }
        terminal = true
        return 0
    }

    /// Draws the direction (`u < 0.5` ⇒ from x=0 moving right), then gold (`u < 1/3`), then a uniformly
    /// random empty slot; with no empty slot the two draws are still made and nothing spawns.
    private mutating func spawn(rng: inout RandomGenerator) {
        let right = rng.nextUniform() < 0.5
        let isGold = rng.nextUniform() < Float(1.0 / 3.0)
        let empty = ~occupied
        let emptyCount = empty.nonzeroBitCount
        guard emptyCount > 0 else { return }
        var k = rng.nextInt(below: emptyCount)
        var candidates = empty
        while k > 0 { candidates &= candidates &- 1; k &-= 1 }
        let slot = candidates.trailingZeroBitCount
        let bit: UInt8 = 1 << UInt8(slot)
        occupied |= bit
        entityX[slot] = right ? 0 : 9
        if right { movingRight |= bit } else { movingRight &= ~bit }
        if isGold { gold |= bit } else { gold &= ~bit }
    }

    /// Channels: 0 player, 1 enemy, 2 trail (the cell behind each entity, if on the board), 3 gold.
    func write(into board: UnsafeMutablePointer<Float>) {
        board[MinAtarBoard.index(0, playerY, playerX)] = 1
        var live = occupied
        while live != 0 {
            let slot = live.trailingZeroBitCount
            live &= live &- 1
            let bit: UInt8 = 1 << UInt8(slot)
            let x = Int(entityX[slot]), y = slot &+ 1
            board[MinAtarBoard.index(gold & bit != 0 ? 3 : 1, y, x)] = 1
            let trail = movingRight & bit != 0 ? x &- 1 : x &+ 1
            if MinAtarBoard.contains(trail) { board[MinAtarBoard.index(2, y, trail)] = 1 }
        }
    }
}
