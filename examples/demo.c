/* The actc demo: links kernels compiled from examples/activations.act (and
 * the prelude's gelu and silu), prints f(x) for a few x and times each kernel
 * against a plain libm loop over the same formula.
 *
 * Built by scripts/demo.sh:
 *   actc examples/activations.act -o activations.o --header activations.h
 *   actc --only gelu,silu -o prelude.o --header prelude.h
 *   cc -O2 demo.c activations.o prelude.o -lm
 */
#define _POSIX_C_SOURCE 200809L
#include "activations.h"
#include "prelude.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* The same formulas, written plainly in C, as a user would without actc. */
static float ref_mish(float x) { return x * tanhf(logf(1.0f + expf(x))); }
static float ref_leaky(float x) { return x >= 0 ? x : 0.01f * x; }
static float ref_swish(float x) { return x / (1.0f + expf(-x)); }
static float ref_selu(float x) {
  return 1.0507009873554805f * (x > 0 ? x : 1.6732632423543772f * (expf(x) - 1));
}
static float ref_gelu(float x) { return 0.5f * x * (1.0f + erff(x * 0.70710678f)); }
static float ref_silu(float x) { return x / (1.0f + expf(-x)); }
static float ref_mix(float x) { return 0.5f * ref_gelu(x) + 0.5f * (x > 0 ? x : 0); }

static void k_mish(const float *x, float *y, int64_t n) { mish_textbook_f32(x, y, n); }
static void k_leaky(const float *x, float *y, int64_t n) { leaky_f32(x, y, n); }
static void k_swish(const float *x, float *y, int64_t n) { swish_beta_f32(x, y, n, 1.0f); }
static void k_selu(const float *x, float *y, int64_t n) { selu_block_f32(x, y, n); }
static void k_gelu(const float *x, float *y, int64_t n) { gelu_f32(x, y, n); }
static void k_silu(const float *x, float *y, int64_t n) { silu_f32(x, y, n); }
static void k_mix(const float *x, float *y, int64_t n) { gelu_relu_mix_f32(x, y, n); }

/* The plain loops: the formula inlined into a loop calling libm. */
#define LIBM_LOOP(name)                                                        \
  static void loop_##name(const float *x, float *y, int64_t n) {              \
    for (int64_t i = 0; i < n; ++i)                                            \
      y[i] = ref_##name(x[i]);                                                 \
  }
LIBM_LOOP(mish)
LIBM_LOOP(leaky)
LIBM_LOOP(swish)
LIBM_LOOP(selu)
LIBM_LOOP(gelu)
LIBM_LOOP(silu)
LIBM_LOOP(mix)

struct entry {
  const char *name;
  void (*kernel)(const float *, float *, int64_t);
  void (*libm_loop)(const float *, float *, int64_t);
};

static const struct entry entries[] = {
    {"mish_textbook", k_mish, loop_mish}, {"leaky", k_leaky, loop_leaky},
    {"swish_beta", k_swish, loop_swish},  {"selu_block", k_selu, loop_selu},
    {"gelu", k_gelu, loop_gelu},          {"silu", k_silu, loop_silu},
    {"gelu_relu_mix", k_mix, loop_mix},
};
enum { NUM_ENTRIES = sizeof(entries) / sizeof(entries[0]) };

static double now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

/* Median of `repeats` timings of one pass over n elements, in ns/element. */
static double time_kernel(void (*kernel)(const float *, float *, int64_t),
                          const float *x, float *y, int64_t n, int repeats) {
  double samples[64];
  for (int r = 0; r < repeats; ++r) {
    double start = now_ns();
    for (int inner = 0; inner < 50; ++inner)
      kernel(x, y, n);
    samples[r] = (now_ns() - start) / (50.0 * n);
  }
  for (int i = 1; i < repeats; ++i)
    for (int j = i; j > 0 && samples[j - 1] > samples[j]; --j) {
      double t = samples[j];
      samples[j] = samples[j - 1];
      samples[j - 1] = t;
    }
  return samples[repeats / 2];
}


int main(void) {
  const float points[] = {-20.0f, -3.0f, -1.0f, -0.5f, 0.0f, 0.5f, 1.0f, 3.0f, 20.0f};
  enum { NUM_POINTS = sizeof(points) / sizeof(points[0]) };

  printf("%-14s", "x");
  for (int p = 0; p < NUM_POINTS; ++p)
    printf("%12g", points[p]);
  printf("\n");
  for (int e = 0; e < NUM_ENTRIES; ++e) {
    float y[NUM_POINTS];
    entries[e].kernel(points, y, NUM_POINTS);
    printf("%-14s", entries[e].name);
    for (int p = 0; p < NUM_POINTS; ++p)
      printf("%12.6g", y[p]);
    printf("\n");
  }

  float row[2][5] = {{1, 2, 3, 4, 5}, {1000, 1001, 1002, -1000, 0}};
  float soft[2][5];
  softmax_rows_f32(&row[0][0], &soft[0][0], 2, 5);
  printf("\nsoftmax_rows of {1..5} and {1000, 1001, 1002, -1000, 0}:\n");
  for (int r = 0; r < 2; ++r) {
    for (int c = 0; c < 5; ++c)
      printf("%12.6g", soft[r][c]);
    printf("\n");
  }

  enum { N = 4096 };
  float *x = aligned_alloc(64, N * sizeof(float));
  float *y = aligned_alloc(64, N * sizeof(float));
  srand(1);
  for (int i = 0; i < N; ++i)
    x[i] = -6.0f + 12.0f * (float)rand() / (float)RAND_MAX;

  printf("\nn = %d floats, one thread, median of 15 (ns/element; lower is better)\n", N);
  printf("%-14s %10s %10s %8s\n", "activation", "actc", "libm loop", "speedup");
  for (int e = 0; e < NUM_ENTRIES; ++e) {
    double ours = time_kernel(entries[e].kernel, x, y, N, 15);
    double plain = time_kernel(entries[e].libm_loop, x, y, N, 15);
    printf("%-14s %10.3f %10.3f %7.1fx\n", entries[e].name, ours, plain, plain / ours);
  }
  free(x);
  free(y);
  return 0;
}
