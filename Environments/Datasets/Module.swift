// Dataset plugin: Not-so-Clevr and the square/GAN datasets of the CoordConv paper.
//
// The generators — `NotSoClevr`, `Squares`, `SortOfClevr` (pure, seeded, no files) — live in
// `Sources/LatticeNN/Data/`, so they are testable from `LatticeNNTests`. This module only holds the
// registration glue, which comes with the runtime: once `LatticeRuntime` has `Registry`/`PluginModule`
// and a `Dataset` protocol, it registers
//
//   not-so-clevr  (split: uniform | quadrant, seed; task: classification | regression | rendering)
//   squares       (GAN stream: Squares().batch(count:rng:))
//   sort-of-clevr (seed, count = 50000)
//
// Task inputs and targets per Not-so-Clevr task: classification (x, y) → label y·64 + x
// (`coordinates`, `labels`); regression one-hot map → (x, y) (`oneHotMaps`, `coordinates`); rendering
// (x, y) → image (`coordinates`, `images`).

import LatticeRuntime
