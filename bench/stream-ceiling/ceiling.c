// ceiling.c - how fast can a gradient loop (read x and dy, write dx: 12
// bytes per element) stream on this machine? Hand-written AVX-512 variants
// (software prefetch hint and distance, unroll, alignment, non-temporal
// stores), timed interleaved in one process against a PyTorch-like plain loop
// and actc's own kernels, on the same buffers call after call as bench/ does.
// See README.md beside it; docs/benchmarks-grad.md "Streams at 262144 and
// 64M (session 17, l3pref)" has the results.
#include <immintrin.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void (*Kernel)(const float *, const float *, float *, int64_t);

// actc's kernels, linked from objects made by run.sh (no prefix: as built;
// s_: --stream-bytes=65536; with -DEXTRA, four more builds a_ to d_).
#define ACTC(P)                                                                \
  void P##sigmoid_grad_f32(const float *, const float *, float *, int64_t);    \
  void P##tanh_grad_f32(const float *, const float *, float *, int64_t);       \
  void P##sigmoid_grad_from_y_f32(const float *, const float *, float *,       \
                                  int64_t);
ACTC()
ACTC(s_)
#ifdef EXTRA // four more builds of actc, prefixed a_ to d_
ACTC(a_)
ACTC(b_)
ACTC(c_)
ACTC(d_)
#endif

// dx = dy * y * (1 - y): PyTorch's sigmoid_backward, as gcc vectorizes it.
__attribute__((noinline, optimize("O3"))) static void
plain(const float *restrict y, const float *restrict dy, float *restrict dx,
      int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    dx[i] = dy[i] * (1.0f - y[i]) * y[i];
}

// bench/peer_bandwidth.cpp's "limit: NT stores": dx = x * dy, streamed.
__attribute__((noinline)) static void ntLimit(const float *x, const float *dy,
                                              float *dx, int64_t n) {
  int64_t i = 0;
  for (; i < n && ((uintptr_t)(dx + i) & 63); ++i)
    dx[i] = x[i] * dy[i];
  for (; i + 16 <= n; i += 16)
    _mm512_stream_ps(dx + i,
                     _mm512_mul_ps(_mm512_loadu_ps(x + i), _mm512_loadu_ps(dy + i)));
  for (; i < n; ++i)
    dx[i] = x[i] * dy[i];
  _mm_sfence();
}

static inline __m512 trivial(__m512 y, __m512 dy) {
  __m512 one = _mm512_set1_ps(1.0f);
  return _mm512_mul_ps(dy, _mm512_mul_ps(_mm512_sub_ps(one, y), y));
}

// One variant: body B, unroll U (vectors a step), prefetch hint H (-1: none;
// 3: t0, 2: t1, 1: t2, 0: nta, 7: t0 of x and dy plus prefetchw of dx) D
// bytes ahead of each vector's loads, non-temporal stores (NT: aligned dx).
#define VARIANT(NAME, B, U, H, D, NT)                                          \
  __attribute__((noinline)) static void NAME(const float *x, const float *dy,  \
                                             float *dx, int64_t n) {           \
    int64_t i = 0;                                                             \
    for (; i + 16 * (U) <= n; i += 16 * (U)) {                                 \
      for (int u = 0; u < (U); ++u) {                                          \
        if ((H) >= 0 && (H) <= 3) {                                            \
          _mm_prefetch((const char *)(x + i + 16 * u) + (D), (H) & 3);         \
          _mm_prefetch((const char *)(dy + i + 16 * u) + (D), (H) & 3);        \
        } else if ((H) == 7) {                                                 \
          _mm_prefetch((const char *)(x + i + 16 * u) + (D), _MM_HINT_T0);     \
          _mm_prefetch((const char *)(dy + i + 16 * u) + (D), _MM_HINT_T0);    \
          __builtin_prefetch((const char *)(dx + i + 16 * u) + (D), 1, 3);     \
        }                                                                      \
        __m512 v = B(_mm512_loadu_ps(x + i + 16 * u),                          \
                     _mm512_loadu_ps(dy + i + 16 * u));                        \
        if (NT)                                                                \
          _mm512_stream_ps(dx + i + 16 * u, v);                                \
        else                                                                   \
          _mm512_storeu_ps(dx + i + 16 * u, v);                                \
      }                                                                        \
    }                                                                          \
    for (; i < n; ++i) {                                                       \
      __mmask16 m = 1;                                                         \
      __m512 v = B(_mm512_maskz_loadu_ps(m, x + i), _mm512_maskz_loadu_ps(m, dy + i)); \
      _mm512_mask_storeu_ps(dx + i, m, v);                                     \
    }                                                                          \
    if (NT)                                                                    \
      _mm_sfence();                                                            \
  }

#include "variants.h" // gen-variants.sh

#include "ab-timing.h"


// Usage: ceiling N ROUNDS MISALIGN_FLOATS [name-substring ...]
int main(int argc, char **argv) {
  int64_t n = argc > 1 ? atoll(argv[1]) : 262144;
  int rounds = argc > 2 ? atoi(argv[2]) : 31;
  int misalign = argc > 3 ? atoi(argv[3]) : 0;
  int nk = 0;
  const char *names[256];
  Kernel kernels[256];
  for (int k = 0; k < (int)(sizeof(all) / sizeof(all[0])); ++k) {
    int keep = argc <= 4;
    if (misalign % 16 && strstr(all[k].name, "_nt"))
      continue; // aligned non-temporal stores only
    for (int a = 4; a < argc; ++a)
      keep |= strstr(all[k].name, argv[a]) != NULL;
    if (keep) {
      names[nk] = all[k].name;
      kernels[nk++] = all[k].kernel;
    }
  }
  size_t bytes = (size_t)(n + 64) * 4;
  float *x = aligned_alloc(64, bytes), *dy = aligned_alloc(64, bytes),
        *dx = aligned_alloc(64, bytes), *y = aligned_alloc(64, bytes);
  srand(1);
  for (int64_t i = 0; i < n + 64; ++i) {
    x[i] = 12.0f * rand() / RAND_MAX - 6.0f;
    y[i] = 1.0f / (1.0f + __builtin_expf(-x[i]));
    dy[i] = 2.0f * rand() / RAND_MAX - 1.0f;
    dx[i] = 0;
  }
  x += misalign, y += misalign, dy += misalign, dx += misalign;
  // Batches of ~0.5 ms (one call at 64M).
  int batch = n >= (1 << 22) ? 1 : (int)(500000.0 / (n * 0.12) + 1);
  double *t = malloc(sizeof(double) * nk * rounds);
  for (int k = 0; k < nk; ++k) // warm up
    for (int b = 0; b < batch; ++b)
      kernels[k](strstr(names[k], "from_y") || strstr(names[k], "plain") ? y : x, dy, dx, n);
  for (int r = 0; r < rounds; ++r)
    for (int j = 0; j < nk; ++j) {
      int k = (j + r) % nk;
      const float *in = strstr(names[k], "from_y") || strstr(names[k], "plain") ? y : x;
      double t0 = abNow();
      for (int b = 0; b < batch; ++b)
        kernels[k](in, dy, dx, n);
      t[k * rounds + r] = (abNow() - t0) / batch;
    }
  printf("n=%lld rounds=%d batch=%d misalign=%d floats\n", (long long)n, rounds,
         batch, misalign);
  printf("%-28s %8s %8s %8s %8s\n", "variant", "el/ns", "min", "max", "GB/s");
  for (int k = 0; k < nk; ++k) {
    double *s = t + k * rounds;
    qsort(s, rounds, sizeof(double), abByValue);
    double med = s[rounds / 2];
    printf("%-28s %8.3f %8.3f %8.3f %8.1f\n", names[k], n / med * 1e-9,
           n / s[rounds - 1] * 1e-9, n / s[0] * 1e-9, 12.0 * n / med * 1e-9);
  }
  return 0;
}
