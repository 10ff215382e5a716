// AVX-512 kernels for pointwise convolutions with few channels (see include/PointwiseKernels.h).
//
// Forward: per block of 64 positions (four 16-lane vectors, the last ones masked at the end of a
// row), the outputs of up to six filters stay in 24 registers while the channels stream past:
// four loads of x and six broadcast weights feed 24 fused multiply-adds. The block of x (C × 64)
// stays in L1 across the filter blocks.
//
// Filter gradient: per block of up to four filters × six channels, 24 registers hold 16-lane
// partial dot products over the whole row of positions; the lanes are summed at the end.
//
// Stacks of pointwise convolutions (lattice_pointwise_stack_*): at the end of the file.
#include "PointwiseKernels.h"

#if defined(__x86_64__)
#include <immintrin.h>

#define LATTICE_AVX512 __attribute__((target("avx512f"), always_inline)) static inline

int lattice_pointwise_kernels_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx512f") ? 1 : 0;
}

/// Mask of the first n (≤ 16, may be ≤ 0) lanes.
LATTICE_AVX512 __mmask16 lanes(int64_t n) {
    if (n >= 16) return (__mmask16)0xFFFF;
    if (n <= 0) return 0;
    return (__mmask16)((1u << n) - 1u);
}

/// One block of `FB` filters (starting at row f0) × 64 positions (starting at p0, `count` valid).
/// Input rows start at `xp` (the block's first position) `xs` floats apart; output rows at `yp`, `ys` apart.
LATTICE_AVX512 void forward_block(const int FB, const float *w, const float *bias, const float *xp, int64_t xs,
                                  float *yp, int64_t ys, int64_t c, int64_t f0, int64_t count, int relu,
                                  int prefetch) {
    __m512 acc[6][4];
    __mmask16 m[4];
    for (int v = 0; v < 4; v++) m[v] = lanes(count - 16 * v);
    for (int i = 0; i < FB; i++) {
        __m512 b = _mm512_set1_ps(bias ? bias[f0 + i] : 0.0f);
        for (int v = 0; v < 4; v++) acc[i][v] = b;
    }
    const float *wp = w + f0 * c;
    if (count >= 64) {
        for (int64_t k = 0; k < c; k++) {
            const float *row = xp + k * xs;
            if (prefetch) {
                for (int l = 0; l < 4; l++) _mm_prefetch((const char *)(row + 256 + 16 * l), _MM_HINT_T1);
            }
            __m512 x0 = _mm512_loadu_ps(row), x1 = _mm512_loadu_ps(row + 16);
            __m512 x2 = _mm512_loadu_ps(row + 32), x3 = _mm512_loadu_ps(row + 48);
            for (int i = 0; i < FB; i++) {
                __m512 s = _mm512_set1_ps(wp[i * c + k]);
                acc[i][0] = _mm512_fmadd_ps(s, x0, acc[i][0]);
                acc[i][1] = _mm512_fmadd_ps(s, x1, acc[i][1]);
                acc[i][2] = _mm512_fmadd_ps(s, x2, acc[i][2]);
                acc[i][3] = _mm512_fmadd_ps(s, x3, acc[i][3]);
            }
        }
    } else {
        for (int64_t k = 0; k < c; k++) {
            const float *row = xp + k * xs;
            __m512 xv[4];
            for (int v = 0; v < 4; v++) xv[v] = _mm512_maskz_loadu_ps(m[v], row + 16 * v);
            for (int i = 0; i < FB; i++) {
                __m512 s = _mm512_set1_ps(wp[i * c + k]);
                for (int v = 0; v < 4; v++) acc[i][v] = _mm512_fmadd_ps(s, xv[v], acc[i][v]);
            }
        }
    }
    __m512 zero = _mm512_setzero_ps();
    for (int i = 0; i < FB; i++) {
        float *out = yp + (f0 + i) * ys;
        for (int v = 0; v < 4; v++) {
            __m512 r = relu ? _mm512_max_ps(acc[i][v], zero) : acc[i][v];
            _mm512_mask_storeu_ps(out + 16 * v, m[v], r);
        }
    }
}

/// Output rows [0, f) over one block of `count` ≤ 64 positions (strides as in `forward_block`).
LATTICE_AVX512 void forward_filters(const float *w, const float *bias, const float *xp, int64_t xs, float *yp,
                                    int64_t ys, int64_t c, int64_t f, int64_t count, int relu, int prefetch) {
    int64_t f0 = 0;
    for (; f0 + 6 <= f; f0 += 6) forward_block(6, w, bias, xp, xs, yp, ys, c, f0, count, relu, f0 == 0 && prefetch);
    switch (f - f0) {
    case 5: forward_block(5, w, bias, xp, xs, yp, ys, c, f0, count, relu, f0 == 0 && prefetch); break;
    case 4: forward_block(4, w, bias, xp, xs, yp, ys, c, f0, count, relu, f0 == 0 && prefetch); break;
    case 3: forward_block(3, w, bias, xp, xs, yp, ys, c, f0, count, relu, f0 == 0 && prefetch); break;
    case 2: forward_block(2, w, bias, xp, xs, yp, ys, c, f0, count, relu, f0 == 0 && prefetch); break;
    case 1: forward_block(1, w, bias, xp, xs, yp, ys, c, f0, count, relu, f0 == 0 && prefetch); break;
    default: break;
    }
}

/// Positions [q0, q1) of y = act(W·x + b), rows `xs` and `ys` floats apart; prefetching while 320
/// positions remain before `limit` in the input row.
LATTICE_AVX512 void forward_range(const float *w, const float *bias, const float *x, int64_t xs, float *y, int64_t ys,
                                  int64_t c, int64_t f, int64_t q0, int64_t q1, int64_t limit, int relu) {
    for (int64_t p0 = q0; p0 < q1; p0 += 64) {
        int64_t count = q1 - p0 < 64 ? q1 - p0 : 64;
        forward_filters(w, bias, x + p0, xs, y + p0, ys, c, f, count, relu, p0 + 320 <= limit);
    }
}

__attribute__((target("avx512f")))
void lattice_pointwise_forward(const float *w, const float *bias, const float *x, float *y,
                               int64_t c, int64_t f, int64_t p, int relu) {
    forward_range(w, bias, x, p, y, p, c, f, 0, p, p, relu);
}

/// Sum of the 16 lanes, in a fixed pairwise order.
LATTICE_AVX512 float lane_sum(__m512 v) {
    __m256 h = _mm256_add_ps(_mm512_castps512_ps256(v), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    __m128 q = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    q = _mm_add_ps(q, _mm_movehl_ps(q, q));
    q = _mm_add_ss(q, _mm_shuffle_ps(q, q, 1));
    return _mm_cvtss_f32(q);
}

/// a[i][j] (16 lanes) += gp[i·gs + q]·xp[j·xs + q] over q < count, lane q mod 16, for i < FB, j < CB.
LATTICE_AVX512 void accumulate_products(const int FB, const int CB, const float *gp, int64_t gs, const float *xp,
                                        int64_t xs, int64_t count, __m512 a[4][6]) {
    int64_t q = 0;
    for (; q + 16 <= count; q += 16) {
        __m512 gv[4];
        for (int i = 0; i < FB; i++) gv[i] = _mm512_loadu_ps(gp + i * gs + q);
        for (int j = 0; j < CB; j++) {
            __m512 xv = _mm512_loadu_ps(xp + j * xs + q);
            for (int i = 0; i < FB; i++) a[i][j] = _mm512_fmadd_ps(gv[i], xv, a[i][j]);
        }
    }
    if (q < count) {
        __mmask16 m = lanes(count - q);
        __m512 gv[4];
        for (int i = 0; i < FB; i++) gv[i] = _mm512_maskz_loadu_ps(m, gp + i * gs + q);
        for (int j = 0; j < CB; j++) {
            __m512 xv = _mm512_maskz_loadu_ps(m, xp + j * xs + q);
            for (int i = 0; i < FB; i++) a[i][j] = _mm512_fmadd_ps(gv[i], xv, a[i][j]);
        }
    }
}

/// The filter gradient of one block of FB filters (from f0) × CB channels (from c0): Σ_q g[f, q]·x[c, q]
/// over q < count (rows of g `gs` floats apart, of x `xs`). With `partials`, added lane by lane (lane
/// q mod 16) to the 16-lane sums out[(f·C + c)·16 …] (64-byte aligned); else summed across the lanes and
/// added to out[f·C + c].
LATTICE_AVX512 void gradient_block(const int FB, const int CB, const float *g, int64_t gs, const float *x, int64_t xs,
                                   int64_t count, float *out, int64_t c, int64_t f0, int64_t c0, const int partials) {
    __m512 acc[4][6];
    for (int i = 0; i < FB; i++)
        for (int j = 0; j < CB; j++)
            acc[i][j] = partials ? _mm512_load_ps(out + ((f0 + i) * c + c0 + j) * 16) : _mm512_setzero_ps();
    accumulate_products(FB, CB, g + f0 * gs, gs, x + c0 * xs, xs, count, acc);
    for (int i = 0; i < FB; i++)
        for (int j = 0; j < CB; j++) {
            if (partials) _mm512_store_ps(out + ((f0 + i) * c + c0 + j) * 16, acc[i][j]);
            else out[(f0 + i) * c + c0 + j] += lane_sum(acc[i][j]);
        }
}

/// The channel blocks of one block of FB filters: six at a time, then the rest.
LATTICE_AVX512 void gradient_row(const int FB, const float *g, int64_t gs, const float *x, int64_t xs, int64_t count,
                                 float *out, int64_t c, int64_t f0, const int partials) {
    int64_t c0 = 0;
    for (; c0 + 6 <= c; c0 += 6) gradient_block(FB, 6, g, gs, x, xs, count, out, c, f0, c0, partials);
    switch (c - c0) {
    case 5: gradient_block(FB, 5, g, gs, x, xs, count, out, c, f0, c0, partials); break;
    case 4: gradient_block(FB, 4, g, gs, x, xs, count, out, c, f0, c0, partials); break;
    case 3: gradient_block(FB, 3, g, gs, x, xs, count, out, c, f0, c0, partials); break;
    case 2: gradient_block(FB, 2, g, gs, x, xs, count, out, c, f0, c0, partials); break;
    case 1: gradient_block(FB, 1, g, gs, x, xs, count, out, c, f0, c0, partials); break;
    default: break;
    }
}

/// Every block of filters: four at a time, then the rest.
LATTICE_AVX512 void gradient_rows(const float *g, int64_t gs, const float *x, int64_t xs, int64_t count, float *out,
                                  int64_t c, int64_t f, const int partials) {
    int64_t f0 = 0;
    for (; f0 + 4 <= f; f0 += 4) gradient_row(4, g, gs, x, xs, count, out, c, f0, partials);
    switch (f - f0) {
    case 3: gradient_row(3, g, gs, x, xs, count, out, c, f0, partials); break;
    case 2: gradient_row(2, g, gs, x, xs, count, out, c, f0, partials); break;
    case 1: gradient_row(1, g, gs, x, xs, count, out, c, f0, partials); break;
    default: break;
    }
}

/// Positions per tile of the filter gradient: the tile's rows of g and x (at 64 + 64 channels, 512 KiB)
/// stay in L2 while every block of filters × channels passes over them.
#define FILTER_GRADIENT_TILE 1024

__attribute__((target("avx512f")))
void lattice_pointwise_filter_gradient(const float *g, const float *x, float *dw,
                                       int64_t c, int64_t f, int64_t p) {
    for (int64_t q0 = 0; q0 < p; q0 += FILTER_GRADIENT_TILE) {
        int64_t q1 = p - q0 < FILTER_GRADIENT_TILE ? p : q0 + FILTER_GRADIENT_TILE;
        gradient_rows(g + q0, p, x + q0, p, q1 - q0, dw, c, f, 0);
    }
}

// ---------------------------------------------------------------------------------------------------
// Stacks of pointwise convolutions, one image at a time, one tile of positions at a time.
//
// Run layer by layer, every layer's output of a whole batch (tens of MiB) goes out to memory and comes
// back for the next layer, and the backward pass writes and re-reads its masked gradients the same way;
// the kernels then wait on memory about a third of the time. Here the forward pass takes a tile of
// STACK_TILE positions through every layer while the tile's activations are still in L2 (each output is
// still stored: the backward pass needs it), and the backward pass takes a tile back through every layer
// with its gradients in L2, reading each stored activation once. Filter and bias gradients accumulate in
// 16-lane partial sums in memory (`acc`), over tiles and images in order, and are summed across lanes
// once at the end (lattice_lane_sums).

#define STACK_TILE LATTICE_STACK_TILE

__attribute__((target("avx512f")))
void lattice_pointwise_stack_forward(int64_t layers, const int64_t *channels, const float *const *w,
                                     const float *const *bias, const int *relu, const float *x,
                                     float *const *y, int64_t p) {
    for (int64_t t0 = 0; t0 < p; t0 += STACK_TILE) {
        int64_t t1 = p - t0 < STACK_TILE ? p : t0 + STACK_TILE;
        for (int64_t l = 0; l < layers; l++) {
            const float *in = l == 0 ? x : y[l - 1];
            forward_range(w[l], bias[l], in, p, y[l], p, channels[l], channels[l + 1], t0, t1, l == 0 ? p : t1, relu[l]);
        }
    }
}

/// out[j, q] = (y[j, q] > 0 ? g[j, q] : 0) when y is given, else g[j, q] (rows `ys`, `gs`, `count` apart),
/// and bacc[j] (16 lanes) += out[j, q] lane q mod 16, for q < count.
LATTICE_AVX512 void stack_mask_and_bias(const float *g, int64_t gs, const float *y, int64_t ys, float *out,
                                        float *bacc, int64_t f, int64_t count) {
    __m512 zero = _mm512_setzero_ps();
    for (int64_t j = 0; j < f; j++) {
        __m512 b = _mm512_load_ps(bacc + j * 16);
        for (int64_t q = 0; q < count; q += 16) {
            __mmask16 m = lanes(count - q);
            __m512 v = _mm512_maskz_loadu_ps(m, g + j * gs + q);
            if (y) v = _mm512_mask_blend_ps(_mm512_cmp_ps_mask(_mm512_maskz_loadu_ps(m, y + j * ys + q), zero, _CMP_GT_OQ), zero, v);
            if (out) _mm512_mask_storeu_ps(out + j * count + q, m, v);
            b = _mm512_add_ps(b, v);
        }
        _mm512_store_ps(bacc + j * 16, b);
    }
}

__attribute__((target("avx512f")))
void lattice_pointwise_stack_backward(int64_t layers, const int64_t *channels, const float *const *wt,
                                      const int *relu, const float *x, const float *const *y, const float *dy,
                                      float *dx, float *const *wacc, float *const *bacc, float *scratch, int64_t p) {
    int64_t widest = 0;
    for (int64_t l = 0; l <= layers; l++) widest = channels[l] > widest ? channels[l] : widest;
    float *masked = scratch, *buffers[2] = {scratch + widest * STACK_TILE, scratch + 2 * widest * STACK_TILE};
    for (int64_t t0 = 0; t0 < p; t0 += STACK_TILE) {
        int64_t count = p - t0 < STACK_TILE ? p - t0 : STACK_TILE;
        const float *g = dy + t0;
        int64_t gs = p;
        for (int64_t l = layers - 1; l >= 0; l--) {
            int64_t c = channels[l], f = channels[l + 1];
            // The gradient at the pre-activation: masked by the ReLU's output (into `masked`) or as it is.
            if (relu[l]) {
                stack_mask_and_bias(g, gs, y[l] + t0, p, masked, bacc[l], f, count);
                g = masked;
                gs = count;
            } else {
                stack_mask_and_bias(g, gs, NULL, 0, NULL, bacc[l], f, count);
            }
            const float *in = l == 0 ? x + t0 : y[l - 1] + t0;
            gradient_rows(g, gs, in, p, count, wacc[l], c, f, 1);
            if (l == 0 && !dx) break;
            // The input gradient Wᵀ·g: into the next buffer, or into dx for the first layer.
            float *out = l == 0 ? dx + t0 : buffers[l & 1];
            int64_t os = l == 0 ? p : count;
            forward_range(wt[l], NULL, g, gs, out, os, f, c, 0, count, 0, 0);
            g = out;
            gs = os;
        }
    }
}

/// out[k] = the 16 lanes of acc[k] summed in a fixed pairwise order, for k < n.
__attribute__((target("avx512f")))
void lattice_lane_sums(const float *acc, float *out, int64_t n) {
    for (int64_t k = 0; k < n; k++) out[k] = lane_sum(_mm512_load_ps(acc + k * 16));
}

#else

int lattice_pointwise_kernels_available(void) { return 0; }
void lattice_pointwise_forward(const float *w, const float *bias, const float *x, float *y,
                               int64_t c, int64_t f, int64_t p, int relu) {
    (void)w; (void)bias; (void)x; (void)y; (void)c; (void)f; (void)p; (void)relu;
}
void lattice_pointwise_filter_gradient(const float *g, const float *x, float *dw,
                                       int64_t c, int64_t f, int64_t p) {
    (void)g; (void)x; (void)dw; (void)c; (void)f; (void)p;
}

void lattice_pointwise_stack_forward(int64_t layers, const int64_t *channels, const float *const *w,
                                     const float *const *bias, const int *relu, const float *x,
                                     float *const *y, int64_t p) {
    (void)layers; (void)channels; (void)w; (void)bias; (void)relu; (void)x; (void)y; (void)p;
}
void lattice_pointwise_stack_backward(int64_t layers, const int64_t *channels, const float *const *wt,
                                      const int *relu, const float *x, const float *const *y, const float *dy,
                                      float *dx, float *const *wacc, float *const *bacc, float *scratch, int64_t p) {
    (void)layers; (void)channels; (void)wt; (void)relu; (void)x; (void)y; (void)dy; (void)dx; (void)wacc; (void)bacc;
    (void)scratch; (void)p;
}
void lattice_lane_sums(const float *acc, float *out, int64_t n) { (void)acc; (void)out; (void)n; }

#endif
