/* Non-temporal stores (actc --stream-bytes): the same kernels built to
 * stream outputs from 1 byte on (s_*) and never (p_*), timed interleaved on
 * the same buffers at sizes from 1 MiB to 256 MiB of output, one thread.
 * Prints a markdown table of GB/s (bytes each kernel must move) and the
 * median of the per-round ratios streaming / plain, [min-max].
 *
 *   streaming ROUNDS        (scripts/bench-stream.sh builds and runs it)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define KERNELS(P)                                                             \
  void P##relu_f32(const float *, float *, int64_t);                           \
  void P##sigmoid_f32(const float *, float *, int64_t);                        \
  void P##gelu_f32(const float *, float *, int64_t);                           \
  void P##sigmoid_grad_f32(const float *, const float *, float *, int64_t);    \
  void P##relu_bias_f32(const float *, const float *, float *, int64_t,        \
                        int64_t);                                              \
  void P##relu_bias_grad_f32(const float *, const float *, const float *,      \
                             float *, float *, int64_t, int64_t);
KERNELS(s_)
KERNELS(p_)

enum { COLS = 1024, MAX_ROUNDS = 64 };
static float *x, *y, *dy, *bias, *dbias;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int compare(const void *a, const void *b) {
  double u = *(const double *)a, v = *(const double *)b;
  return u < v ? -1 : u > v;
}

/* Runs kernel k (0..5), streaming or plain, on n elements. */
static void run(int k, int streaming, long n) {
  long rows = n / COLS;
  switch (k) {
  case 0: (streaming ? s_relu_f32 : p_relu_f32)(x, y, n); break;
  case 1: (streaming ? s_sigmoid_f32 : p_sigmoid_f32)(x, y, n); break;
  case 2: (streaming ? s_gelu_f32 : p_gelu_f32)(x, y, n); break;
  case 3: (streaming ? s_sigmoid_grad_f32 : p_sigmoid_grad_f32)(x, dy, y, n); break;
  case 4: (streaming ? s_relu_bias_f32 : p_relu_bias_f32)(x, bias, y, rows, COLS); break;
  case 5:
    (streaming ? s_relu_bias_grad_f32 : p_relu_bias_grad_f32)(x, bias, dy, y, dbias, rows, COLS);
    break;
  }
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 9;
  if (rounds < 1 || rounds > MAX_ROUNDS)
    rounds = 9;
  static const char *names[] = {"relu", "sigmoid (fast)", "gelu (fast)",
                                "sigmoid_grad (fast)", "relu_bias",
                                "relu_bias_grad"};
  static const double bytesPerElement[] = {8, 8, 8, 12, 8, 12};
  static const long sizes[] = {1L << 18, 1L << 20, 1L << 22, 1L << 23,
                               1L << 24, 1L << 26};
  long maxN = sizes[5];
  x = aligned_alloc(64, maxN * 4);
  y = aligned_alloc(64, maxN * 4);
  dy = aligned_alloc(64, maxN * 4);
  bias = aligned_alloc(64, COLS * 4);
  dbias = aligned_alloc(64, COLS * 4);
  for (long i = 0; i < maxN; ++i) {
    x[i] = (float)(i % 1000) / 100.0f - 5.0f;
    dy[i] = 1.0f;
    y[i] = 0.0f;
  }
  for (int c = 0; c < COLS; ++c)
    bias[c] = 0.01f * c;

  printf("| kernel | output | streaming GB/s | plain GB/s | streaming / plain |\n");
  printf("|---|---:|---:|---:|---:|\n");
  for (int k = 0; k < 6; ++k) {
    for (int s = 0; s < 6; ++s) {
      long n = sizes[s];
      /* Batches of about 64M elements, so small sizes are timed many times
       * (their buffers stay in cache after the first call: that is the
       * point of measuring them). */
      long reps = (1L << 26) / n;
      double ratio[MAX_ROUNDS], ts[MAX_ROUNDS], tp[MAX_ROUNDS];
      run(k, 0, n);
      run(k, 1, n);
      for (int r = 0; r < rounds; ++r) {
        for (int turn = 0; turn < 2; ++turn) {
          int streaming = (r + turn) & 1;
          double t0 = now();
          for (long q = 0; q < reps; ++q)
            run(k, streaming, n);
          double t = (now() - t0) / reps;
          (streaming ? ts : tp)[r] = t;
        }
        ratio[r] = tp[r] / ts[r];
      }
      qsort(ratio, rounds, sizeof(double), compare);
      qsort(ts, rounds, sizeof(double), compare);
      qsort(tp, rounds, sizeof(double), compare);
      double bytes = bytesPerElement[k] * n;
      printf("| %s | %ld MiB | %.1f | %.1f | %.2f [%.2f-%.2f] |\n", names[k],
             n * 4 >> 20, bytes / ts[rounds / 2] / 1e9,
             bytes / tp[rounds / 2] / 1e9, ratio[rounds / 2], ratio[0],
             ratio[rounds - 1]);
    }
  }
  return 0;
}
