import LatticeTensor

/// One Seaquest object: a bullet, a fish, an enemy sub or a diver.
struct SeaquestEntity {
    var x: Int32
    var y: Int32
    /// +1 moving right, −1 moving left.
    var dx: Int32
    /// Movement timer (fish, subs, divers).
    var moveTimer: Int32 = 0
    /// Shot timer (enemy subs).
    var shotTimer: Int32 = 0

    /// Whether the entity sits on column `x`, row `y`.
    @inline(__always)
    func isAt(_ x: Int, _ y: Int) -> Bool { Int(self.x) == x && Int(self.y) == y }
}

extension FixedList where Element == SeaquestEntity {
    /// Index of the first element on (x, y), if any.
    @inline(__always)
    func firstIndex(atX x: Int, y: Int) -> Int? {
        var i = 0
        while i < count {
            if self[i].isAt(x, y) { return i }
            i &+= 1
        }
        return nil
    }
}

/// Seaquest's rules and state (spec §5).
struct SeaquestGame: MinAtarGame {
    static let name = "Seaquest"
    static let channelCount = 10
    static let minimalActionSet = [0, 1, 2, 3, 4, 5]

    static let maxOxygen = 200
    static let initialSpawnSpeed = 20
    static let diverSpawnSpeed = 30
    static let initialMoveInterval = 5
    static let shotCoolDown = 5
    static let enemyShotInterval = 10
    static let diverMoveInterval = 5
    /// Room per list; the rules keep fewer than about 35 of any kind alive (an entity lives at most
    /// ~33 steps and the fastest spawn period is 1), so the cap is never reached in play.
    static let listCapacity = 64

    var oxygen = maxOxygen
    var diverCount = 0
    var subX = 5
    var subY = 0
    var facingRight = false
    var surface = true
    var enemySpawnSpeed = initialSpawnSpeed
    var enemySpawnTimer = initialSpawnSpeed
    var diverSpawnTimer = diverSpawnSpeed
    var moveSpeed = initialMoveInterval
    var rampIndex = 0
    var shotTimer = 0
    var terminal = false
    var friendlyBullets = FixedList(capacity: listCapacity, filler: SeaquestEntity(x: 0, y: 0, dx: 1))
    var enemyBullets = FixedList(capacity: listCapacity, filler: SeaquestEntity(x: 0, y: 0, dx: 1))
    var fish = FixedList(capacity: listCapacity, filler: SeaquestEntity(x: 0, y: 0, dx: 1))
    var subs = FixedList(capacity: listCapacity, filler: SeaquestEntity(x: 0, y: 0, dx: 1))
    var divers = FixedList(capacity: listCapacity, filler: SeaquestEntity(x: 0, y: 0, dx: 1))

    init() {}

    /// Resets every field in place (the lists keep their storage).
    mutating func reset(rng: inout RandomGenerator) {
        oxygen = Self.maxOxygen
        diverCount = 0
        subX = 5
        subY = 0
        facingRight = false
        surface = true
        enemySpawnSpeed = Self.initialSpawnSpeed
        enemySpawnTimer = Self.initialSpawnSpeed
        diverSpawnTimer = Self.diverSpawnSpeed
        moveSpeed = Self.initialMoveInterval
        rampIndex = 0
        shotTimer = 0
        terminal = false
        friendlyBullets.removeAll()
        enemyBullets.removeAll()
        fish.removeAll()
        subs.removeAll()
        divers.removeAll()
    }
}
