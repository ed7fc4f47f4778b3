// ab-run.c: times the old and the new build of each kernel ab.sh lists,
// interleaved (each round runs old then new or new then old, alternately,
// on the same buffers), and compares their outputs bit for bit.
#include "ab-run.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef void (*Forward)(const float *, float *, int64_t);
typedef void (*Gradient)(const float *, const float *, float *, int64_t);

static void call(const struct Pair *p, void *f, const float *x,
                 const float *dy, float *out, int64_t n) {
  if (p->inputs == 1)
    ((Forward)f)(x, out, n);
  else
    ((Gradient)f)(x, dy, out, n);
}
static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}
static int byValue(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  int64_t n = atoll(argv[1]);
  int rounds = argc > 2 ? atoi(argv[2]) : 21;
  int f64 = argc > 3 && strcmp(argv[3], "f64") == 0;
  size_t bytes = n * (f64 ? 8 : 4);
  float *x = aligned_alloc(64, bytes), *dy = aligned_alloc(64, bytes),
        *a = aligned_alloc(64, bytes), *b = aligned_alloc(64, bytes);
  srand(1);
  for (int64_t i = 0; i < n; ++i) {
    float u = 12.0f * rand() / RAND_MAX - 6.0f, v = 2.0f * rand() / RAND_MAX - 1.0f;
    if (f64)
      ((double *)x)[i] = u, ((double *)dy)[i] = v;
    else
      x[i] = u, dy[i] = v;
  }
  int batch = n >= (1 << 22) ? 1 : (int)(2000000 / n + 1);
  double *ratio = malloc(rounds * sizeof(double)),
         *told = malloc(rounds * sizeof(double)),
         *tnew = malloc(rounds * sizeof(double));
  printf("n=%lld rounds=%d batch=%d %s\n%-34s %7s %15s %8s %8s %s\n",
         (long long)n, rounds, batch, f64 ? "f64" : "f32", "kernel", "new/old", "[range]",
         "old el/ns", "new el/ns", "outputs");
  for (int k = 0; k < npairs; ++k) {
    const struct Pair *p = &pairs[k];
    // From y for the _grad_from_y kernels: x's values in (0, 1) do as well.
    call(p, p->old, x, dy, a, n);
    call(p, p->new, x, dy, b, n);
    int same = memcmp(a, b, bytes) == 0;
    for (int r = 0; r < rounds; ++r) {
      double t[2];
      for (int j0 = 0; j0 < 2; ++j0) {
        int j = (j0 + r) & 1;
        double t0 = now();
        for (int q = 0; q < batch; ++q)
          call(p, j ? p->new : p->old, x, dy, a, n);
        t[j] = (now() - t0) / batch;
      }
      ratio[r] = t[0] / t[1];
      told[r] = t[0];
      tnew[r] = t[1];
    }
    qsort(ratio, rounds, 8, byValue);
    qsort(told, rounds, 8, byValue);
    qsort(tnew, rounds, 8, byValue);
    printf("%-34s %7.3f [%.3f-%.3f] %8.2f %8.2f %s\n", p->name,
           ratio[rounds / 2], ratio[0], ratio[rounds - 1],
           n / told[rounds / 2] * 1e-9, n / tnew[rounds / 2] * 1e-9,
           same ? "identical" : "DIFFER");
  }
  return 0;
}
