import LatticeTensor

/// Freeway's rules and state (spec §4). Car i drives on row i+1; its signed speed gives the direction.
struct FreewayGame: MinAtarGame {
    static let name = "Freeway"
    static let channelCount = 7
    static let minimalActionSet = [0, 2, 4]

    /// Steps between chicken moves (the move timer is reset to this after each move).
    static let playerSpeed = 3
    /// Terminate-timer start: the episode lasts `timeLimit + 1` = 2501 steps.
    static let timeLimit = 2500
    /// The chicken's fixed column.
    static let chickenX = 4

    var chickenY = 9
    var carX = SIMD8<Int32>(repeating: 0)
    /// Signed speed: |speed| in 1...5, sign is the direction (+1 right).
    var carSpeed = SIMD8<Int32>(repeating: 1)
    var carTimer = SIMD8<Int32>(repeating: 1)
    var moveTimer = playerSpeed
    var terminateTimer = timeLimit
    var terminal = false

    init() {}

    /// Cars at column 0 with fresh speeds and directions; chicken on row 9.
    mutating func reset(rng: inout RandomGenerator) {
        self = FreewayGame()
        randomizeCars(rng: &rng)
    }

    /// Draws 8 speeds `randint(1, 6)` then 8 directions `sign(u − 0.5)` (u < 0.5 ⇒ left; the measure-zero
    /// u = 0.5 counts as right), keeping positions; each timer restarts at |speed|.
    private mutating func randomizeCars(rng: inout RandomGenerator) {
        for i in 0..<8 { carSpeed[i] = Int32(1 &+ rng.nextInt(below: 5)) }
        for i in 0..<8 {
            if rng.nextUniform() < 0.5 { carSpeed[i] = -carSpeed[i] }
        }
        carTimer = carSpeed.replacing(with: 0 &- carSpeed, where: carSpeed .< 0)
    }

    mutating func act(_ action: Int, rng: inout RandomGenerator, ramping: Bool) -> Int {
        var reward = 0
        // 1. Chicken.
        if (action == 2 || action == 4) && moveTimer == 0 {
            moveTimer = Self.playerSpeed
            chickenY = action == 2 ? max(0, chickenY &- 1) : min(9, chickenY &+ 1)
        }
        // 2. Crossing.
        if chickenY == 0 {
            reward &+= 1
            randomizeCars(rng: &rng)
            chickenY = 9
        }
        // 3. Cars (pattern B: speed s moves every s+1 steps).
        for i in 0..<8 {
            let row = i &+ 1
            if Int(carX[i]) == Self.chickenX && row == chickenY { chickenY = 9 }
            if carTimer[i] == 0 {
                let speed = carSpeed[i]
                carTimer[i] = speed < 0 ? -speed : speed
                var x = carX[i] &+ (speed < 0 ? -1 : 1)
                if x < 0 { x = 9 } else if x > 9 { x = 0 }
                carX[i] = x
                if Int(x) == Self.chickenX && row == chickenY { chickenY = 9 }
            } else {
                carTimer[i] &-= 1
            }
        }
        // 4. Timers.
        if moveTimer > 0 { moveTimer &-= 1 }
        terminateTimer &-= 1
        if terminateTimer < 0 { terminal = true }
        return reward
    }

    /// Channels: 0 chicken, 1 car, 1+|speed| the trail behind each car (wrapping around the board).
    func write(into board: UnsafeMutablePointer<Float>) {
        board[MinAtarBoard.index(0, chickenY, Self.chickenX)] = 1
        for i in 0..<8 {
            let row = i &+ 1, x = Int(carX[i]), speed = Int(carSpeed[i])
            board[MinAtarBoard.index(1, row, x)] = 1
            var trail = speed < 0 ? x &+ 1 : x &- 1
            if trail < 0 { trail = 9 } else if trail > 9 { trail = 0 }
            board[MinAtarBoard.index(1 &+ abs(speed), row, trail)] = 1
        }
    }
}
