// Lattice's hand-written C kernels: element-wise loops that Swift compiles for the baseline x86-64 (SSE2,
// with √ taken lane by lane), built here once per instruction set (AVX-512, AVX2, baseline) and chosen at
// load time for the CPU. Called only through LatticeTensor's `Backend`.
#ifndef LATTICE_ELEMENTWISE_KERNELS_H
#define LATTICE_ELEMENTWISE_KERNELS_H

#include <stddef.h>

/// One Adam step over n scalars, in place (PyTorch's order of operations, no fused multiply-adds):
/// p ← p·shrink; g' = g·scale + l2·p; m ← b1·m + c1·g'; v ← b2·v + c2·g'·g';
/// p ← p − stepSize · m / (√v / root + eps).
void lattice_adam_step(float *p, const float *g, float *m, float *v, long n, float scale, float shrink, float l2,
                       float b1, float c1, float b2, float c2, float stepSize, float root, float eps);

/// One RMSprop step over n scalars, in place (PyTorch's order of operations, no fused multiply-adds):
/// g' = g·scale + wd·p; v ← a·v + c·g'·g'; s = √v + eps, or with `mean` (centred, not NULL)
/// mean ← a·mean + c·g', s = √max(v − mean², 0) + eps; then with `buffer` (momentum, not NULL)
/// buffer ← mu·buffer + g'/s, p ← p − lr·buffer, else p ← p − lr·(g'/s).
void lattice_rmsprop_step(float *p, const float *g, float *v, float *mean, float *buffer, long n, float scale,
                          float wd, float a, float c, float eps, float mu, float lr);

/// Σ xᵢ² in double precision, over eight interleaved partial sums added in a fixed order (the same bits
/// on every instruction set).
double lattice_sum_of_squares(const float *x, long n);

#endif
