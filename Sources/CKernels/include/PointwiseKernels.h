// Hand-written AVX-512 kernels for pointwise (1×1) convolutions with few channels, behind
// LatticeTensor's kernel seam. Row-major slices of one image: x [C, P], w [F, C], y [F, P].
// Call only when lattice_pointwise_kernels_available() returns 1 (an x86-64 CPU with AVX-512F);
// everywhere else LatticeTensor uses BLAS.
#ifndef LATTICE_POINTWISE_KERNELS_H
#define LATTICE_POINTWISE_KERNELS_H

#include <stdint.h>

/// 1 when this CPU runs the kernels below (x86-64 with AVX-512F), else 0.
int lattice_pointwise_kernels_available(void);

/// y[f, p] = act(bias[f] + Σ_c w[f, c]·x[c, p]); act = max(·, 0) when relu ≠ 0; bias may be NULL.
/// Each output is summed over c in increasing order, one fused multiply-add per term.
void lattice_pointwise_forward(const float *w, const float *bias, const float *x, float *y,
                               int64_t c, int64_t f, int64_t p, int relu);

/// dw[f, c] += Σ_p g[f, p]·x[c, p]: sixteen lane sums over p in order, then the lanes added pairwise
/// in a fixed tree, then added to dw.
void lattice_pointwise_filter_gradient(const float *g, const float *x, float *dw,
                                       int64_t c, int64_t f, int64_t p);

#endif
