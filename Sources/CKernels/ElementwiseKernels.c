// Element-wise kernels, compiled once per instruction set; see ElementwiseKernels.h.
#include "ElementwiseKernels.h"

// Plain IEEE operations only: a multiply followed by an add must not become one fused multiply-add, so
// every build of a kernel (and the Swift reference code) rounds identically.
#pragma clang fp contract(off)

#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

CLONES
void lattice_adam_step(float *restrict p, const float *restrict g, float *restrict m, float *restrict v, long n,
                       float scale, float shrink, float l2, float b1, float c1, float b2, float c2, float stepSize,
                       float root, float eps) {
    for (long i = 0; i < n; i++) {
        float pi = p[i] * shrink;
        float gi = g[i] * scale + l2 * pi;
        float mi = b1 * m[i] + c1 * gi;
        float vi = b2 * v[i] + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] = pi - stepSize * (mi / (__builtin_elementwise_sqrt(vi) / root + eps));
    }
}

// The loop of one variant; inlined with constant flags, so each of the four variants is its own branch-free loop.
static inline __attribute__((always_inline))
void rmsprop_loop(float *restrict p, const float *restrict g, float *restrict v, float *restrict mean,
                  float *restrict buffer, long n, float scale, float wd, float a, float c, float eps, float mu,
                  float lr, const int centred, const int momentum) {
    for (long i = 0; i < n; i++) {
        float gi = g[i] * scale + wd * p[i];
        float vi = a * v[i] + c * gi * gi;
        v[i] = vi;
        float s;
        if (centred) {
            float mi = a * mean[i] + c * gi;
            mean[i] = mi;
            float variance = vi - mi * mi;
            s = __builtin_elementwise_sqrt(variance < 0 ? 0.0f : variance) + eps;
        } else {
            s = __builtin_elementwise_sqrt(vi) + eps;
        }
        if (momentum) {
            float bi = mu * buffer[i] + gi / s;
            buffer[i] = bi;
            p[i] = p[i] - lr * bi;
        } else {
            p[i] = p[i] - lr * (gi / s);
        }
    }
}

CLONES
void lattice_rmsprop_step(float *restrict p, const float *restrict g, float *restrict v, float *restrict mean,
                          float *restrict buffer, long n, float scale, float wd, float a, float c, float eps, float mu,
                          float lr) {
    if (mean && buffer) {
        rmsprop_loop(p, g, v, mean, buffer, n, scale, wd, a, c, eps, mu, lr, 1, 1);
    } else if (mean) {
        rmsprop_loop(p, g, v, mean, buffer, n, scale, wd, a, c, eps, mu, lr, 1, 0);
    } else if (buffer) {
        rmsprop_loop(p, g, v, mean, buffer, n, scale, wd, a, c, eps, mu, lr, 0, 1);
    } else {
        rmsprop_loop(p, g, v, mean, buffer, n, scale, wd, a, c, eps, mu, lr, 0, 0);
    }
}

CLONES
double lattice_sum_of_squares(const float *restrict x, long n) {
    double s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long i = 0;
    for (; i + 8 <= n; i += 8) {
        for (int j = 0; j < 8; j++) {
            double xj = (double)x[i + j];
            s[j] += xj * xj;
        }
    }
    for (int j = 0; i < n; i++, j++) {
        double xi = (double)x[i];
        s[j] += xi * xi;
    }
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}
