import LatticeTensor

extension SeaquestGame {
    /// One step in the reference's order: spawns, player, friendly bullets, divers, enemy subs,
    /// enemy bullets, fish, then timers, oxygen and surfacing. Lists are walked from the end.
    mutating func act(_ action: Int, rng: inout RandomGenerator, ramping: Bool) -> Int {
        var reward = 0
        // 1. Spawns (pattern A).
        if enemySpawnTimer == 0 {
            spawnEnemy(rng: &rng)
            enemySpawnTimer = enemySpawnSpeed
        }
        if diverSpawnTimer == 0 {
            spawnDiver(rng: &rng)
            diverSpawnTimer = Self.diverSpawnSpeed
        }
        // 2. Player.
        switch action {
        case 5:
            if shotTimer == 0 {
                friendlyBullets.append(SeaquestEntity(x: Int32(subX), y: Int32(subY), dx: facingRight ? 1 : -1))
                shotTimer = Self.shotCoolDown
            }
        case 1: subX = max(0, subX &- 1); facingRight = false
        case 3: subX = min(9, subX &+ 1); facingRight = true
        case 2: subY = max(0, subY &- 1)
        case 4: subY = min(8, subY &+ 1)
        default: break
        }
        // 3. Friendly bullets: move, leave the board, or hit a fish (checked first) or a sub.
        var i = friendlyBullets.count &- 1
        while i >= 0 {
            var bullet = friendlyBullets[i]
            bullet.x &+= bullet.dx
            if bullet.x < 0 || bullet.x > 9 {
                friendlyBullets.remove(at: i)
            } else {
                friendlyBullets[i] = bullet
                if let f = fish.firstIndex(atX: Int(bullet.x), y: Int(bullet.y)) {
                    fish.remove(at: f)
                    friendlyBullets.remove(at: i)
                    reward &+= 1
                } else if let s = subs.firstIndex(atX: Int(bullet.x), y: Int(bullet.y)) {
                    subs.remove(at: s)
                    friendlyBullets.remove(at: i)
                    reward &+= 1
                }
            }
            i &-= 1
        }
        // 4. Divers: pick-up, else move (pattern B, every 6 steps) and try the pick-up again.
        i = divers.count &- 1
        while i >= 0 {
            var diver = divers[i]
            if diver.isAt(subX, subY) && diverCount < 6 {
                divers.remove(at: i)
                diverCount &+= 1
            } else if diver.moveTimer == 0 {
                diver.moveTimer = Int32(Self.diverMoveInterval)
                diver.x &+= diver.dx
                if diver.x < 0 || diver.x > 9 {
                    divers.remove(at: i)
                } else if diver.isAt(subX, subY) && diverCount < 6 {
                    divers.remove(at: i)
                    diverCount &+= 1
                } else {
                    divers[i] = diver
                }
            } else {
                diver.moveTimer &-= 1
                divers[i] = diver
            }
            i &-= 1
        }
        // 5. Enemy subs: collide, move (pattern B), then shoot (pattern B, every 11 steps) — the shot
        //    timer runs for the sub object even when it was removed this step (reference quirk).
        i = subs.count &- 1
        while i >= 0 {
            var sub = subs[i]
            var removed = false
            if sub.isAt(subX, subY) { terminal = true }
            if sub.moveTimer == 0 {
                sub.moveTimer = Int32(moveSpeed)
                sub.x &+= sub.dx
                if sub.x < 0 || sub.x > 9 {
                    removed = true
                } else if sub.isAt(subX, subY) {
                    terminal = true
                } else if let b = friendlyBullets.firstIndex(atX: Int(sub.x), y: Int(sub.y)) {
                    friendlyBullets.remove(at: b)
                    removed = true
                    reward &+= 1
                }
            } else {
                sub.moveTimer &-= 1
            }
            if sub.shotTimer == 0 {
                sub.shotTimer = Int32(Self.enemyShotInterval)
                enemyBullets.append(SeaquestEntity(x: sub.x, y: sub.y, dx: sub.dx))
            } else {
                sub.shotTimer &-= 1
            }
            if removed { subs.remove(at: i) } else { subs[i] = sub }
            i &-= 1
        }
        // 6. Enemy bullets.
        i = enemyBullets.count &- 1
        while i >= 0 {
            var bullet = enemyBullets[i]
            if bullet.isAt(subX, subY) {
                terminal = true
            } else {
                bullet.x &+= bullet.dx
                if bullet.x < 0 || bullet.x > 9 {
                    enemyBullets.remove(at: i)
                } else {
                    if bullet.isAt(subX, subY) { terminal = true }
                    enemyBullets[i] = bullet
                }
            }
            i &-= 1
        }
        // 7. Fish: as subs, without shooting.
        i = fish.count &- 1
        while i >= 0 {
            var one = fish[i]
            if one.isAt(subX, subY) { terminal = true }
            if one.moveTimer == 0 {
                one.moveTimer = Int32(moveSpeed)
                one.x &+= one.dx
                if one.x < 0 || one.x > 9 {
                    fish.remove(at: i)
                } else {
                    if one.isAt(subX, subY) {
                        terminal = true
                        fish[i] = one
                    } else if let b = friendlyBullets.firstIndex(atX: Int(one.x), y: Int(one.y)) {
                        friendlyBullets.remove(at: b)
                        fish.remove(at: i)
                        reward &+= 1
                    } else {
                        fish[i] = one
                    }
                }
            } else {
                one.moveTimer &-= 1
                fish[i] = one
            }
            i &-= 1
        }
        // 8. Timers, oxygen, surfacing.
        if enemySpawnTimer > 0 { enemySpawnTimer &-= 1 }
        if diverSpawnTimer > 0 { diverSpawnTimer &-= 1 }
        if shotTimer > 0 { shotTimer &-= 1 }
        if oxygen <= 0 { terminal = true }
        if subY > 0 {
            oxygen &-= 1
            surface = false
        } else if !surface {
            if diverCount == 0 {
                terminal = true
            } else {
                reward &+= surfaceUp(ramping: ramping)
            }
        }
        return reward
    }

    /// Surfacing with divers: a full crew (6) gives `oxygen·10/200` (floor) and empties the crew;
    /// oxygen refills; then one diver is used up — so a full rescue leaves −1 (reference quirk, kept).
    /// With ramping, each surfacing lowers the spawn period by 1 and, on odd ramps, the move period (min 2).
    private mutating func surfaceUp(ramping: Bool) -> Int {
        surface = true
        var reward = 0
        if diverCount == 6 {
            diverCount = 0
            reward = oxygen &* 10 / Self.maxOxygen
        }
        oxygen = Self.maxOxygen
        diverCount &-= 1
        if ramping && (enemySpawnSpeed > 1 || moveSpeed > 2) {
            if moveSpeed > 2 && rampIndex % 2 == 1 { moveSpeed &-= 1 }
            if enemySpawnSpeed > 1 { enemySpawnSpeed &-= 1 }
            rampIndex &+= 1
        }
        return reward
    }

    /// Draws the side (`u < 0.5` ⇒ x=0 moving right), the kind (`u < 1/3` ⇒ sub), the row (1–8); skips
    /// the spawn when a fish or sub in that row travels the other way.
    private mutating func spawnEnemy(rng: inout RandomGenerator) {
        let right = rng.nextUniform() < 0.5
        let isSub = rng.nextUniform() < Float(1.0 / 3.0)
        let y = Int32(1 &+ rng.nextInt(below: 8))
        let dx: Int32 = right ? 1 : -1
        for k in 0..<subs.count where subs[k].y == y && subs[k].dx != dx { return }
        for k in 0..<fish.count where fish[k].y == y && fish[k].dx != dx { return }
        let enemy = SeaquestEntity(x: right ? 0 : 9, y: y, dx: dx, moveTimer: Int32(moveSpeed),
                                   shotTimer: Int32(Self.enemyShotInterval))
        if isSub { subs.append(enemy) } else { fish.append(enemy) }
    }

    /// Draws the side and the row (1–8) of a new diver; no direction check.
    private mutating func spawnDiver(rng: inout RandomGenerator) {
        let right = rng.nextUniform() < 0.5
        let y = Int32(1 &+ rng.nextInt(below: 8))
        divers.append(SeaquestEntity(x: right ? 0 : 9, y: y, dx: right ? 1 : -1,
                                     moveTimer: Int32(Self.diverMoveInterval)))
    }

    /// Channels: 0 sub front, 1 sub back, 2 friendly bullet, 3 trail, 4 enemy bullet, 5 fish, 6 enemy sub,
    /// 7 oxygen gauge (row 9, columns 0 ..< oxygen·10/200), 8 diver gauge (row 9, columns 9−count ... 8), 9 diver.
    func write(into board: UnsafeMutablePointer<Float>) {
        board[MinAtarBoard.index(0, subY, subX)] = 1
        let back = facingRight ? subX &- 1 : subX &+ 1
        if MinAtarBoard.contains(back) { board[MinAtarBoard.index(1, subY, back)] = 1 }
        Self.mark(friendlyBullets, channel: 2, trail: false, on: board)
        Self.mark(enemyBullets, channel: 4, trail: false, on: board)
        Self.mark(fish, channel: 5, trail: true, on: board)
        Self.mark(subs, channel: 6, trail: true, on: board)
        Self.mark(divers, channel: 9, trail: true, on: board)
        let oxygenCells = max(0, oxygen) &* 10 / Self.maxOxygen
        for x in 0..<min(oxygenCells, 10) { board[MinAtarBoard.index(7, 9, x)] = 1 }
        if diverCount > 0 {
            for x in max(0, 9 &- diverCount)..<9 { board[MinAtarBoard.index(8, 9, x)] = 1 }
        }
    }

    /// Sets each entity's cell on `channel` and, with `trail`, the cell behind it on channel 3.
    @inline(__always)
    private static func mark(_ list: FixedList<SeaquestEntity>, channel: Int, trail: Bool,
                             on board: UnsafeMutablePointer<Float>) {
        for k in 0..<list.count {
            let e = list[k]
            let x = Int(e.x), y = Int(e.y)
            guard MinAtarBoard.contains(x) else { continue }
            board[MinAtarBoard.index(channel, y, x)] = 1
            let behind = x &- Int(e.dx)
            if trail && MinAtarBoard.contains(behind) { board[MinAtarBoard.index(3, y, behind)] = 1 }
        }
    }
}
