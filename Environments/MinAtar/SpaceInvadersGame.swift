import LatticeTensor

/// Space Invaders' rules and state (spec §6). Each map is 10 rows of 10-bit masks (bit c = column c)
/// held in a SIMD vector, so rolling rows and shifting the alien block are a few register operations.
struct SpaceInvadersGame: MinAtarGame {
    static let name = "SpaceInvaders"
    static let channelCount = 6
    static let minimalActionSet = [0, 1, 3, 5]

    static let shotCoolDown = 5
    static let initialMoveInterval = 12
    static let enemyShotInterval = 10
    /// The move interval never ramps below this.
    static let minimumMoveInterval = 6
    /// Columns 2–7 of a row.
    static let alienRow: UInt16 = 0b00_1111_1100
    /// Rows 0–3 × columns 2–7: the starting block of 24 aliens.
    static let alienBlock = SIMD16<UInt16>(alienRow, alienRow, alienRow, alienRow, 0, 0, 0, 0,
                                           0, 0, 0, 0, 0, 0, 0, 0)

    var cannonX = 5
    var aliens = alienBlock
    var friendlyBullets = SIMD16<UInt16>(repeating: 0)
    var enemyBullets = SIMD16<UInt16>(repeating: 0)
    /// −1 left, +1 right.
    var alienDirection = -1
    var enemyMoveInterval = initialMoveInterval
    var alienMoveTimer = initialMoveInterval
    var alienShotTimer = enemyShotInterval
    var shotTimer = 0
    var rampIndex = 0
    var terminal = false

    init() {}

    mutating func reset(rng: inout RandomGenerator) {
        self = SpaceInvadersGame()
    }

    /// Number of aliens on the board.
    var alienCount: Int {
        var n = 0
        for r in 0..<10 { n &+= aliens[r].nonzeroBitCount }
        return n
    }

    /// The OR of all alien rows (which columns hold an alien).
    @inline(__always)
    private var occupiedColumns: UInt16 {
        var m: UInt16 = 0
        for r in 0..<10 { m |= aliens[r] }
        return m
    }

    mutating func act(_ action: Int, rng: inout RandomGenerator, ramping: Bool) -> Int {
        var reward = 0
        // 1. Player: fire (no move that step), or move.
        switch action {
        case 5:
            if shotTimer == 0 {
                friendlyBullets[9] |= 1 << UInt16(truncatingIfNeeded: cannonX)
                shotTimer = Self.shotCoolDown
            }
        case 1: cannonX = max(0, cannonX &- 1)
        case 3: cannonX = min(9, cannonX &+ 1)
        default: break
        }
        let cannon: UInt16 = 1 << UInt16(truncatingIfNeeded: cannonX)
        // 2. Friendly bullets roll up; row 0 wraps into row 9 and is cleared.
        for r in 0..<9 { friendlyBullets[r] = friendlyBullets[r &+ 1] }
        friendlyBullets[9] = 0
        // 3. Enemy bullets roll down; row 9 wraps into row 0 and is cleared.
        for r in stride(from: 9, to: 0, by: -1) { enemyBullets[r] = enemyBullets[r &- 1] }
        enemyBullets[0] = 0
        if enemyBullets[9] & cannon != 0 { terminal = true }
        // 4. Aliens (pattern A).
        if aliens[9] & cannon != 0 { terminal = true }
        if alienMoveTimer == 0 {
            alienMoveTimer = min(alienCount, enemyMoveInterval)
            let columns = occupiedColumns
            if (columns & 1 != 0 && alienDirection < 0) || (columns & (1 << 9) != 0 && alienDirection > 0) {
                alienDirection = -alienDirection
                if aliens[9] != 0 { terminal = true }
                for r in stride(from: 9, to: 0, by: -1) { aliens[r] = aliens[r &- 1] }
                aliens[0] = 0
            } else if alienDirection < 0 {
                aliens &>>= 1
            } else {
                aliens = (aliens &<< 1) & 0x3FF
            }
            if aliens[9] & cannon != 0 { terminal = true }
        }
        // 5. Alien shot (pattern A): the lowest alien of the occupied column nearest the cannon
        //    (ties to the lower column).
        if alienShotTimer == 0 {
            alienShotTimer = Self.enemyShotInterval
            let columns = occupiedColumns
            if columns != 0 {
                var column = -1
                var d = 0
                while column < 0 {
                    if cannonX &- d >= 0 && columns & (1 << UInt16(cannonX &- d)) != 0 {
                        column = cannonX &- d
                    } else if cannonX &+ d <= 9 && columns & (1 << UInt16(cannonX &+ d)) != 0 {
                        column = cannonX &+ d
                    }
                    d &+= 1
                }
                let bit: UInt16 = 1 << UInt16(column)
                var r = 9
                while aliens[r] & bit == 0 { r &-= 1 }
                enemyBullets[r] |= bit
            }
        }
        // 6. Kills.
        let hits = aliens & friendlyBullets
        if hits != SIMD16<UInt16>(repeating: 0) {
            for r in 0..<10 { reward &+= hits[r].nonzeroBitCount }
            aliens &= ~hits
            friendlyBullets &= ~hits
        }
        // 7. Timers.
        if shotTimer > 0 { shotTimer &-= 1 }
        alienMoveTimer &-= 1
        alienShotTimer &-= 1
        // 8. New wave (direction and move timer carry over).
        if aliens == SIMD16<UInt16>(repeating: 0) {
            if ramping && enemyMoveInterval > Self.minimumMoveInterval {
                enemyMoveInterval &-= 1
                rampIndex &+= 1
            }
            aliens = Self.alienBlock
        }
        return reward
    }

    /// Channels: 0 cannon, 1 alien, 2 alien moving left / 3 alien moving right (a copy of channel 1),
    /// 4 friendly bullet, 5 enemy bullet.
    func write(into board: UnsafeMutablePointer<Float>) {
        board[MinAtarBoard.index(0, 9, cannonX)] = 1
        let directionChannel = alienDirection < 0 ? 2 : 3
        for r in 0..<10 {
            var a = aliens[r]
            while a != 0 {
                let c = a.trailingZeroBitCount
                a &= a &- 1
                board[MinAtarBoard.index(1, r, c)] = 1
                board[MinAtarBoard.index(directionChannel, r, c)] = 1
            }
            var f = friendlyBullets[r]
            while f != 0 {
                let c = f.trailingZeroBitCount
                f &= f &- 1
                board[MinAtarBoard.index(4, r, c)] = 1
            }
            var e = enemyBullets[r]
            while e != 0 {
                let c = e.trailingZeroBitCount
                e &= e &- 1
                board[MinAtarBoard.index(5, r, c)] = 1
            }
        }
    }
}
