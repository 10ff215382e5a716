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

/// Positions per tile of the stack kernels below (512 measured a little faster than 256 or 1024 on the
/// CoordConv classifier: `lattice bench coordconv`).
#define LATTICE_STACK_TILE 512

/// A stack of `layers` pointwise convolutions over one image of p positions: layer l maps channels[l]
/// to channels[l + 1] with w[l] [channels[l+1], channels[l]], bias[l] (may be NULL) and a ReLU when
/// relu[l]; y[l] receives layer l's output [channels[l+1], p]. Each output has the same value as
/// lattice_pointwise_forward gives it.
void lattice_pointwise_stack_forward(int64_t layers, const int64_t *channels, const float *const *w,
                                     const float *const *bias, const int *relu, const float *x,
                                     float *const *y, int64_t p);

/// The stack's gradients for one image, from dy (the last layer's output gradient): wacc[l] (16-lane
/// partial sums, [channels[l+1]·channels[l]·16], 64-byte aligned) += the filter gradient, bacc[l]
/// ([channels[l+1]·16]) += the bias gradient, and dx [channels[0], p] = the input gradient when not NULL.
/// wt[l] is w[l] transposed ([channels[l], channels[l+1]]); y as the forward pass left it. `scratch` holds
/// 3·LATTICE_STACK_TILE·(the widest channel count) floats.
void lattice_pointwise_stack_backward(int64_t layers, const int64_t *channels, const float *const *wt,
                                      const int *relu, const float *x, const float *const *y, const float *dy,
                                      float *dx, float *const *wacc, float *const *bacc, float *scratch, int64_t p);

/// out[k] = Σ of the 16 lanes acc[16k ..< 16k + 16] in a fixed pairwise order (acc 64-byte aligned).
void lattice_lane_sums(const float *acc, float *out, int64_t n);

#endif
