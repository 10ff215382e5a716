import LatticeTensor

/// Breakout's rules and state (spec §3). Bricks are a 30-bit mask: bit `(row−1)·10 + column` for rows 1–3.
struct BreakoutGame: MinAtarGame {
    static let name = "Breakout"
    static let channelCount = 4
    static let minimalActionSet = [0, 1, 3]

    /// All 30 bricks of rows 1–3.
    static let fullWall: UInt32 = (1 << 30) - 1
    /// Column step of directions 0 up-left, 1 up-right, 2 down-right, 3 down-left.
    static let stepX: SIMD4<Int32> = [-1, 1, 1, -1]
    /// Row step of the four directions.
    static let stepY: SIMD4<Int32> = [-1, -1, 1, 1]
    /// Horizontal flip `[1, 0, 3, 2]`, vertical flip `[3, 2, 1, 0]`, reversal `[2, 3, 0, 1]`.
    static let flipX: SIMD4<Int32> = [1, 0, 3, 2]
    static let flipY: SIMD4<Int32> = [3, 2, 1, 0]
    static let reverse: SIMD4<Int32> = [2, 3, 0, 1]

    var ballX = 0
    var ballY = 3
    var ballDirection = 2
    var paddleX = 4
    var lastX = 0
    var lastY = 3
    var bricks = fullWall
    var strike = false
    var terminal = false

    init() {}

    /// Ball on row 3, from column 0 moving down-right (`randint(2) == 0`) or column 9 moving down-left.
    mutating func reset(rng: inout RandomGenerator) {
        self = BreakoutGame()
        if rng.nextInt(below: 2) == 1 {
            ballX = 9
            ballDirection = 3
        }
        lastX = ballX
        lastY = ballY
    }

    @inline(__always)
    static func brickBit(_ row: Int, _ column: Int) -> UInt32 {
        1 << UInt32(truncatingIfNeeded: (row &- 1) &* 10 &+ column)
    }

    mutating func act(_ action: Int, rng: inout RandomGenerator, ramping: Bool) -> Int {
        var reward = 0
        // 1. Paddle.
        if action == 1 { paddleX = max(0, paddleX &- 1) } else if action == 3 { paddleX = min(9, paddleX &+ 1) }
        // 2. Proposed move.
        lastX = ballX
        lastY = ballY
        var direction = ballDirection
        var newX = ballX &+ Int(Self.stepX[direction])
        var newY = ballY &+ Int(Self.stepY[direction])
        // 3. Side walls.
        if newX < 0 || newX > 9 {
            newX = min(max(newX, 0), 9)
            direction = Int(Self.flipX[direction])
        }
        // 4. Ceiling, brick, bottom row.
        var strikeToggle = false
        if newY < 0 {
            newY = 0
            direction = Int(Self.flipY[direction])
        } else if newY >= 1, newY <= 3, bricks & Self.brickBit(newY, newX) != 0 {
            strikeToggle = true
            if !strike {
                reward &+= 1
                strike = true
                bricks &= ~Self.brickBit(newY, newX)
                newY = lastY
                direction = Int(Self.flipY[direction])
            }
        } else if newY == 9 {
            if bricks == 0 { bricks = Self.fullWall }
            if lastX == paddleX {
                direction = Int(Self.flipY[direction])
                newY = lastY
            } else if newX == paddleX {
                direction = Int(Self.reverse[direction])
                newY = lastY
            } else {
                terminal = true
            }
        }
        // 5. Strike flag.
        if !strikeToggle { strike = false }
        // 6. Commit.
        ballX = newX
        ballY = newY
        ballDirection = direction
        return reward
    }

    /// Channels: 0 paddle (row 9), 1 ball, 2 trail (the ball's last position), 3 bricks.
    func write(into board: UnsafeMutablePointer<Float>) {
        board[MinAtarBoard.index(0, 9, paddleX)] = 1
        board[MinAtarBoard.index(1, ballY, ballX)] = 1
        board[MinAtarBoard.index(2, lastY, lastX)] = 1
        var remaining = bricks
        while remaining != 0 {
            let k = remaining.trailingZeroBitCount
            remaining &= remaining &- 1
            board[300 &+ 10 &+ k] = 1  // channel 3, row 1 + k/10, column k%10: rows 1–3 are contiguous.
        }
    }
}
