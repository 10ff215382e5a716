// CoordConv layer plugin.
//
// The layers themselves — `AddCoords`, `CoordConv2D`, `CoordConvTranspose2D` — live in
// `Sources/LatticeNN/Layers/CoordConv/`, so they are testable from `LatticeNNTests` and usable by any
// target below the runtime. This module only holds the registration glue, which comes with the runtime:
// once `LatticeRuntime` has `Registry`/`PluginModule`, it registers
//
//   addcoords             → AddCoords(withRadius:tile:)
//   coordconv2d           → CoordConv2D(channels:filters:kernel:options:withRadius:tile:useBias:rng:)
//   coordconvtranspose2d  → CoordConvTranspose2D(channels:filters:kernel:options:outputPadding:withRadius:tile:useBias:rng:)
//
// with the config keys `filters`, `kernel`, `stride`, `padding`, `dilation`, `useBias` (as `conv2d`),
// plus `withRadius` (default false) and `tile` ([height, width], for vector inputs). Channels come from
// shape inference (`outputShape(for:)`). Parameter names are `weight` and `bias`, like `conv2d`.

import LatticeRuntime
