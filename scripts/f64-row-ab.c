// f64-row-ab.c: interleaved A/B of the f64 row kernels of two actc builds
// (scripts/f64-row-ab.sh links the old object's symbols as old_*). Each
// round runs old then new or new then old, alternately, on the same rows
// (x ~ U[-10, 10]); prints per kernel the median of the per-round speed
// ratios new/old, their range and both medians in ns/element (thread CPU
// time, so a loaded machine's waits are not counted).
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

typedef void (*Row)(const double *, double *, int64_t, int64_t);
void softmax_f64(const double *, double *, int64_t, int64_t);
void old_softmax_f64(const double *, double *, int64_t, int64_t);
void log_softmax_f64(const double *, double *, int64_t, int64_t);
void old_log_softmax_f64(const double *, double *, int64_t, int64_t);
static const struct {
  const char *name;
  Row old, new;
} kernels[] = {{"softmax_f64", old_softmax_f64, softmax_f64},
               {"log_softmax_f64", old_log_softmax_f64, log_softmax_f64}};

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}
static int byValue(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  int64_t rows = atoll(argv[1]), cols = atoll(argv[2]), n = rows * cols;
  int rounds = argc > 3 ? atoi(argv[3]) : 21;
  double *x = aligned_alloc(64, n * 8), *y = aligned_alloc(64, n * 8);
  srand(1);
  for (int64_t i = 0; i < n; ++i)
    x[i] = 20.0 * rand() / RAND_MAX - 10.0;
  int batch = (int)(2000000 / n + 1);
  double *ratio = malloc(rounds * 8), *told = malloc(rounds * 8),
         *tnew = malloc(rounds * 8);
  printf("%lld x %lld, rounds=%d batch=%d\n%-16s %7s %15s %9s %9s\n",
         (long long)rows, (long long)cols, rounds, batch, "kernel", "new/old",
         "[range]", "old ns/el", "new ns/el");
  for (size_t k = 0; k < sizeof(kernels) / sizeof(kernels[0]); ++k) {
    kernels[k].old(x, y, rows, cols);
    kernels[k].new(x, y, rows, cols);
    for (int r = 0; r < rounds; ++r) {
      double t[2];
      for (int j0 = 0; j0 < 2; ++j0) {
        int j = (j0 + r) & 1;
        double t0 = now();
        for (int q = 0; q < batch; ++q)
          (j ? kernels[k].new : kernels[k].old)(x, y, rows, cols);
        t[j] = (now() - t0) / batch;
      }
      ratio[r] = t[0] / t[1];
      told[r] = t[0];
      tnew[r] = t[1];
    }
    qsort(ratio, rounds, 8, byValue);
    qsort(told, rounds, 8, byValue);
    qsort(tnew, rounds, 8, byValue);
    printf("%-16s %7.3f [%.3f-%.3f] %9.3f %9.3f\n", kernels[k].name,
           ratio[rounds / 2], ratio[0], ratio[rounds - 1],
           told[rounds / 2] / n * 1e9, tnew[rounds / 2] / n * 1e9);
  }
  return 0;
}
