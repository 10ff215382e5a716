// AVX-512 kernels for pointwise convolutions with few channels (see include/PointwiseKernels.h).
//
// Forward: per block of 64 positions (four 16-lane vectors, the last ones masked at the end of a
// row), the outputs of up to six filters stay in 24 registers while the channels stream past:
// four loads of x and six broadcast weights feed 24 fused multiply-adds. The block of x (C × 64)
// stays in L1 across the filter blocks.
//
// Filter gradient: per block of up to four filters × six channels, 24 registers hold 16-lane
// partial dot products over the whole row of positions; the lanes are summed at the end.
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
LATTICE_AVX512 void forward_block(const int FB, const float *w, const float *bias, const float *x, float *y,
                                  int64_t c, int64_t p, int64_t f0, int64_t p0, int64_t count, int relu,
                                  int prefetch) {
    __m512 acc[6][4];
    __mmask16 m[4];
    for (int v = 0; v < 4; v++) m[v] = lanes(count - 16 * v);
    for (int i = 0; i < FB; i++) {
        __m512 b = _mm512_set1_ps(bias ? bias[f0 + i] : 0.0f);
        for (int v = 0; v < 4; v++) acc[i][v] = b;
    }
    const float *xp = x + p0;
    const float *wp = w + f0 * c;
    if (count >= 64) {
        for (int64_t k = 0; k < c; k++) {
            const float *row = xp + k * p;
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
            const float *row = xp + k * p;
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
        float *out = y + (f0 + i) * p + p0;
        for (int v = 0; v < 4; v++) {
            __m512 r = relu ? _mm512_max_ps(acc[i][v], zero) : acc[i][v];
            _mm512_mask_storeu_ps(out + 16 * v, m[v], r);
        }
    }
}

__attribute__((target("avx512f")))
void lattice_pointwise_forward(const float *w, const float *bias, const float *x, float *y,
                               int64_t c, int64_t f, int64_t p, int relu) {
    for (int64_t p0 = 0; p0 < p; p0 += 64) {
        int64_t count = p - p0 < 64 ? p - p0 : 64;
        int64_t f0 = 0;
        for (; f0 + 6 <= f; f0 += 6) forward_block(6, w, bias, x, y, c, p, f0, p0, count, relu, f0 == 0 && p0 + 320 <= p);
        switch (f - f0) {
        case 5: forward_block(5, w, bias, x, y, c, p, f0, p0, count, relu, f0 == 0 && p0 + 320 <= p); break;
        case 4: forward_block(4, w, bias, x, y, c, p, f0, p0, count, relu, f0 == 0 && p0 + 320 <= p); break;
        case 3: forward_block(3, w, bias, x, y, c, p, f0, p0, count, relu, f0 == 0 && p0 + 320 <= p); break;
        case 2: forward_block(2, w, bias, x, y, c, p, f0, p0, count, relu, f0 == 0 && p0 + 320 <= p); break;
        case 1: forward_block(1, w, bias, x, y, c, p, f0, p0, count, relu, f0 == 0 && p0 + 320 <= p); break;
        default: break;
        }
    }
}

/// Sum of the 16 lanes, in a fixed pairwise order.
LATTICE_AVX512 float lane_sum(__m512 v) {
    __m256 h = _mm256_add_ps(_mm512_castps512_ps256(v), _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(v), 1)));
    __m128 q = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    q = _mm_add_ps(q, _mm_movehl_ps(q, q));
    q = _mm_add_ss(q, _mm_shuffle_ps(q, q, 1));
    return _mm_cvtss_f32(q);
}

/// dw[f0 + i, c0 + j] += Σ_q g[f0 + i, q]·x[c0 + j, q] for i < FB, j < CB, over positions q in [q0, q1).
LATTICE_AVX512 void filter_gradient_block(const int FB, const int CB, const float *g, const float *x, float *dw,
                                          int64_t c, int64_t p, int64_t f0, int64_t c0, int64_t q0, int64_t q1) {
    __m512 acc[4][6];
    for (int i = 0; i < FB; i++)
        for (int j = 0; j < CB; j++) acc[i][j] = _mm512_setzero_ps();
    const float *gp = g + f0 * p, *xp = x + c0 * p;
    int64_t q = q0;
    for (; q + 16 <= q1; q += 16) {
        __m512 gv[4];
        for (int i = 0; i < FB; i++) gv[i] = _mm512_loadu_ps(gp + i * p + q);
        for (int j = 0; j < CB; j++) {
            __m512 xv = _mm512_loadu_ps(xp + j * p + q);
            for (int i = 0; i < FB; i++) acc[i][j] = _mm512_fmadd_ps(gv[i], xv, acc[i][j]);
        }
    }
    if (q < q1) {
        __mmask16 m = lanes(q1 - q);
        __m512 gv[4];
        for (int i = 0; i < FB; i++) gv[i] = _mm512_maskz_loadu_ps(m, gp + i * p + q);
        for (int j = 0; j < CB; j++) {
            __m512 xv = _mm512_maskz_loadu_ps(m, xp + j * p + q);
            for (int i = 0; i < FB; i++) acc[i][j] = _mm512_fmadd_ps(gv[i], xv, acc[i][j]);
        }
    }
    for (int i = 0; i < FB; i++)
        for (int j = 0; j < CB; j++) dw[(f0 + i) * c + c0 + j] += lane_sum(acc[i][j]);
}

/// The channel blocks of one block of FB filters over positions [q0, q1): six at a time, then the rest.
LATTICE_AVX512 void filter_gradient_row(const int FB, const float *g, const float *x, float *dw,
                                        int64_t c, int64_t p, int64_t f0, int64_t q0, int64_t q1) {
    int64_t c0 = 0;
    for (; c0 + 6 <= c; c0 += 6) filter_gradient_block(FB, 6, g, x, dw, c, p, f0, c0, q0, q1);
    switch (c - c0) {
    case 5: filter_gradient_block(FB, 5, g, x, dw, c, p, f0, c0, q0, q1); break;
    case 4: filter_gradient_block(FB, 4, g, x, dw, c, p, f0, c0, q0, q1); break;
    case 3: filter_gradient_block(FB, 3, g, x, dw, c, p, f0, c0, q0, q1); break;
    case 2: filter_gradient_block(FB, 2, g, x, dw, c, p, f0, c0, q0, q1); break;
    case 1: filter_gradient_block(FB, 1, g, x, dw, c, p, f0, c0, q0, q1); break;
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
        int64_t f0 = 0;
        for (; f0 + 4 <= f; f0 += 4) filter_gradient_row(4, g, x, dw, c, p, f0, q0, q1);
        switch (f - f0) {
        case 3: filter_gradient_row(3, g, x, dw, c, p, f0, q0, q1); break;
        case 2: filter_gradient_row(2, g, x, dw, c, p, f0, q0, q1); break;
        case 1: filter_gradient_row(1, g, x, dw, c, p, f0, q0, q1); break;
        default: break;
        }
    }
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

#endif
