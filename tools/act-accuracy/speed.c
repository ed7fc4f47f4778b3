/* act-speed - f32 forward speed of actc's accurate and fast kernels against
 * plain C loops (bench/naive_loops.c, gcc -O3 -march=native -ffast-math).
 *
 *   act-speed ACCURATE.so FAST.so NAIVE.so [REPEATS]
 *
 * One thread. For each activation and n in {4096, 262144}: inputs uniform
 * in [-8, 8] (a fixed seed), then REPEATS rounds (default 15) that time
 * the three kernels one after the other (interleaved, so a busy machine
 * slows all three alike), each over enough calls to take ~2 ms; the best
 * round of each is kept. Prints ns per element and the ratios
 * accurate / naive and fast / naive (speed: > 1 is faster than the loop).
 * Built by scripts/accuracy-speed.sh.
 */

#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef void (*Kernel)(const float *, float *, int64_t);

static const char *names[] = {
    "sigmoid",  "tanh",   "softplus",  "silu",       "gelu",
    "gelu_tanh", "quick_gelu", "mish", "elu",        "selu",
    "logsigmoid", "tanhshrink", "softsign", "hard_swish", "relu"};

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

/* ns per element of one call, over `calls` calls. */
static double timeKernel(Kernel k, const float *x, float *y, int64_t n,
                         int calls) {
  double start = now();
  for (int c = 0; c < calls; ++c)
    k(x, y, n);
  return (now() - start) * 1e9 / ((double)calls * n);
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: act-speed ACCURATE.so FAST.so NAIVE.so [REPEATS]\n");
    return 2;
  }
  int repeats = argc > 4 ? atoi(argv[4]) : 15;
  void *libs[3];
  for (int i = 0; i < 3; ++i)
    if (!(libs[i] = dlopen(argv[1 + i], RTLD_NOW | RTLD_LOCAL))) {
      fprintf(stderr, "act-speed: %s\n", dlerror());
      return 2;
    }
  const int64_t sizes[] = {4096, 262144};
  float *x = aligned_alloc(64, sizeof(float) * 262144);
  float *y = aligned_alloc(64, sizeof(float) * 262144);
  srand(1);
  for (int64_t i = 0; i < 262144; ++i)
    x[i] = 16.0f * rand() / RAND_MAX - 8.0f;
  printf("| function | n | accurate ns/elt | fast ns/elt | gcc loop ns/elt "
         "| accurate vs loop | fast vs loop | fast vs accurate |\n");
  printf("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
  for (size_t f = 0; f < sizeof(names) / sizeof(names[0]); ++f) {
    char symbol[64];
    Kernel k[3];
    snprintf(symbol, sizeof(symbol), "%s_f32", names[f]);
    k[0] = (Kernel)dlsym(libs[0], symbol);
    k[1] = (Kernel)dlsym(libs[1], symbol);
    snprintf(symbol, sizeof(symbol), "naive_%s", names[f]);
    k[2] = (Kernel)dlsym(libs[2], symbol);
    if (!k[0] || !k[1] || !k[2])
      continue;
    for (int s = 0; s < 2; ++s) {
      int64_t n = sizes[s];
      double best[3] = {1e30, 1e30, 1e30};
      int calls[3];
      for (int v = 0; v < 3; ++v) { /* calibrate to ~2 ms */
        double t = timeKernel(k[v], x, y, n, 1) * n;
        calls[v] = t > 0 ? (int)(2e6 / t) + 1 : 1000;
      }
      for (int r = 0; r < repeats; ++r)
        for (int v = 0; v < 3; ++v) {
          double t = timeKernel(k[v], x, y, n, calls[v]);
          if (t < best[v])
            best[v] = t;
        }
      printf("| %s | %lld | %.3f | %.3f | %.3f | %.2fx | %.2fx | %.2fx |\n",
             names[f], (long long)n, best[0], best[1], best[2],
             best[2] / best[0], best[2] / best[1], best[0] / best[1]);
      fflush(stdout);
    }
  }
  return 0;
}
