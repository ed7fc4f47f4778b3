//===- ab-timing.h - interleaved A/B timing of two kernel builds ---------===//
//
// The measurement the A/B tools share (bench/stream-ceiling/ab-run.c,
// scripts/f64-grad-ab.c, scripts/row-ab.c): each round times the old
// and the new kernel, old first in even rounds and new first in odd ones,
// `batch` calls each on the same buffers; the result is the median of the per-round ratios
// old time / new time (> 1: new is faster), their range, and the median
// time per call of each. Interleaving and per-round ratios keep this
// machine's drifting clock speed and neighbours out of the ratio.
// The clock is CLOCK_MONOTONIC unless the includer defines AB_CLOCK first
// (scripts/row-ab.c uses CLOCK_THREAD_CPUTIME_ID, so a loaded
// machine's waits are not counted).
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_BENCH_AB_TIMING_H
#define ACTC_BENCH_AB_TIMING_H

#include <stdlib.h>
#include <time.h>

#ifndef AB_CLOCK
#define AB_CLOCK CLOCK_MONOTONIC
#endif

/// Runs the old (useNew == 0) or the new kernel once on `context`'s buffers.
typedef void (*AbRun)(const void *context, int useNew);

struct AbTiming {
  double ratio, ratioLo, ratioHi; // old time / new time: median, min, max
  double oldSeconds, newSeconds;  // median time per call
};

static double abNow(void) {
  struct timespec t;
  clock_gettime(AB_CLOCK, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static int abByValue(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static struct AbTiming abMeasure(AbRun run, const void *context, int rounds,
                                 int batch) {
  double *ratio = malloc(rounds * sizeof(double)),
         *oldT = malloc(rounds * sizeof(double)),
         *newT = malloc(rounds * sizeof(double));
  for (int r = 0; r < rounds; ++r) {
    double t[2];
    for (int first = 0; first < 2; ++first) {
      int useNew = (first + r) & 1;
      double t0 = abNow();
      for (int q = 0; q < batch; ++q)
        run(context, useNew);
      t[useNew] = (abNow() - t0) / batch;
    }
    ratio[r] = t[0] / t[1];
    oldT[r] = t[0];
    newT[r] = t[1];
  }
  qsort(ratio, rounds, sizeof(double), abByValue);
  qsort(oldT, rounds, sizeof(double), abByValue);
  qsort(newT, rounds, sizeof(double), abByValue);
  struct AbTiming timing = {ratio[rounds / 2], ratio[0], ratio[rounds - 1],
                            oldT[rounds / 2], newT[rounds / 2]};
  free(ratio);
  free(oldT);
  free(newT);
  return timing;
}

#endif // ACTC_BENCH_AB_TIMING_H
