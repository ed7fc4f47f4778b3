/* Foundation benchmark: actc's f32 forward kernels against the same formula
 * as a gcc -O3 -march=native -ffast-math loop, side by side in one run.
 *
 * Each (activation, size) row times both contenders interleaved, `REPEATS`
 * times, and reports medians (min-max) in elements per ns and the ratio of
 * the medians. Sizes: 4096 (L1), 262144 (L2), 64M (DRAM); at 64M a plain
 * copy (memcpy) gives the bandwidth limit. Output is a Markdown table. */
#define _POSIX_C_SOURCE 200809L
#include "actc_bench.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void (*kernel_fn)(const float *, float *, int64_t);

#define NAIVE(name) void naive_##name(const float *, float *, int64_t);
NAIVE(sigmoid) NAIVE(tanh) NAIVE(elu) NAIVE(selu) NAIVE(celu) NAIVE(softplus)
NAIVE(gelu) NAIVE(gelu_tanh) NAIVE(quick_gelu) NAIVE(silu) NAIVE(mish)
NAIVE(logsigmoid) NAIVE(tanhshrink) NAIVE(softsign) NAIVE(relu) NAIVE(relu6)
NAIVE(leaky_relu) NAIVE(hardtanh) NAIVE(hard_sigmoid) NAIVE(hard_swish)
NAIVE(identity)

struct row {
  const char *name;
  kernel_fn actc;
  kernel_fn naive;
  int transcendental;
};

#define ROW(name, t) {#name, name##_f32, naive_##name, t}
static const struct row rows[] = {
    ROW(sigmoid, 1),    ROW(tanh, 1),        ROW(elu, 1),
    ROW(selu, 1),       ROW(celu, 1),        ROW(softplus, 1),
    ROW(gelu, 1),       ROW(gelu_tanh, 1),   ROW(quick_gelu, 1),
    ROW(silu, 1),       ROW(mish, 1),        ROW(logsigmoid, 1),
    ROW(tanhshrink, 1), ROW(softsign, 0),    ROW(relu, 0),
    ROW(relu6, 0),      ROW(leaky_relu, 0),  ROW(hardtanh, 0),
    ROW(hard_sigmoid, 0), ROW(hard_swish, 0), ROW(identity, 0),
};
enum { NUM_ROWS = sizeof(rows) / sizeof(rows[0]), REPEATS = 9 };

static void copy_kernel(const float *x, float *y, int64_t n) {
  memcpy(y, x, (size_t)n * sizeof(float));
}

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

/* Elements per ns of one timed batch (enough calls for ~2 ms). */
static double rate(kernel_fn kernel, const float *x, float *y, int64_t n) {
  int calls = (int)(2e6 / (double)n) + 1;
  double start = now_ns();
  for (int c = 0; c < calls; ++c)
    kernel(x, y, n);
  return (double)n * calls / (now_ns() - start);
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

struct stats {
  double median, min, max;
};

static struct stats summarize(double *samples) {
  qsort(samples, REPEATS, sizeof(double), compare);
  struct stats s = {samples[REPEATS / 2], samples[0], samples[REPEATS - 1]};
  return s;
}

int main(int argc, char **argv) {
  const int64_t sizes[] = {4096, 262144, 64 << 20};
  int64_t max_n = sizes[2];
  if (argc > 1 && strcmp(argv[1], "--quick") == 0)
    max_n = sizes[1];
  float *x = aligned_alloc(64, (size_t)sizes[2] * sizeof(float));
  float *y = aligned_alloc(64, (size_t)sizes[2] * sizeof(float));
  srand(1);
  for (int64_t i = 0; i < sizes[2]; ++i)
    x[i] = -6.0f + 12.0f * (float)rand() / (float)RAND_MAX;
  memset(y, 0, (size_t)sizes[2] * sizeof(float));

  printf("| activation | n | actc el/ns (min-max) | gcc -ffast-math el/ns "
         "(min-max) | actc / gcc |\n|---|---:|---:|---:|---:|\n");
  for (int s = 0; s < 3 && sizes[s] <= max_n; ++s) {
    int64_t n = sizes[s];
    if (n == sizes[2]) {
      double copy[REPEATS];
      for (int r = 0; r < REPEATS; ++r)
        copy[r] = rate(copy_kernel, x, y, n);
      struct stats c = summarize(copy);
      printf("| memcpy (bandwidth limit) | %lld | %.3f (%.3f-%.3f) | | |\n",
             (long long)n, c.median, c.min, c.max);
    }
    for (int k = 0; k < NUM_ROWS; ++k) {
      double ours[REPEATS], theirs[REPEATS];
      rate(rows[k].actc, x, y, n); /* warm-up */
      rate(rows[k].naive, x, y, n);
      for (int r = 0; r < REPEATS; ++r) {
        ours[r] = rate(rows[k].actc, x, y, n);
        theirs[r] = rate(rows[k].naive, x, y, n);
      }
      struct stats a = summarize(ours), b = summarize(theirs);
      printf("| %s | %lld | %.3f (%.3f-%.3f) | %.3f (%.3f-%.3f) | %.2fx |\n",
             rows[k].name, (long long)n, a.median, a.min, a.max, b.median,
             b.min, b.max, a.median / b.median);
      fflush(stdout);
    }
  }
  free(x);
  free(y);
  return 0;
}
