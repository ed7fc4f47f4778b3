// row-ab.c: interleaved A/B of the row kernels (softmax and log_softmax
// forward, log_softmax's gradient) of two actc builds, f64 or (built with
// -DROW_F32) f32 (scripts/row-ab.sh links the old object's symbols as
// old_*). Each round runs old then new or new then old, alternately, on the
// same rows (x ~ U[-10, 10], the gradient's dy ~ U[-1, 1]); prints per
// kernel the median of the per-round speed ratios new/old, their range and
// both medians in ns/element (thread CPU time, so a loaded machine's waits
// are not counted), measured by bench/ab-timing.h's abMeasure.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define AB_CLOCK CLOCK_THREAD_CPUTIME_ID
#include "ab-timing.h"

#ifdef ROW_F32
typedef float Element;
#define KERNEL(name) name##_f32
#define OLD_KERNEL(name) old_##name##_f32
#define NAME(name) #name "_f32"
#else
typedef double Element;
#define KERNEL(name) name##_f64
#define OLD_KERNEL(name) old_##name##_f64
#define NAME(name) #name "_f64"
#endif

typedef void (*Row)(const Element *, Element *, int64_t, int64_t);
typedef void (*RowGrad)(const Element *, const Element *, Element *, int64_t,
                        int64_t);
#define DECLARE(name)                                                          \
  void KERNEL(name)(const Element *, Element *, int64_t, int64_t);             \
  void OLD_KERNEL(name)(const Element *, Element *, int64_t, int64_t);
DECLARE(softmax)
DECLARE(log_softmax)
void KERNEL(log_softmax_grad)(const Element *, const Element *, Element *,
                              int64_t, int64_t);
void OLD_KERNEL(log_softmax_grad)(const Element *, const Element *, Element *,
                                  int64_t, int64_t);
static const struct {
  const char *name;
  Row old, new;
  RowGrad oldGrad, newGrad; // a gradient from y = log_softmax(x), dy
} kernels[] = {
    {NAME(softmax), OLD_KERNEL(softmax), KERNEL(softmax), 0, 0},
    {NAME(log_softmax), OLD_KERNEL(log_softmax), KERNEL(log_softmax), 0, 0},
    {NAME(log_softmax_grad), 0, 0, OLD_KERNEL(log_softmax_grad),
     KERNEL(log_softmax_grad)}};

struct RowCall {
  Row old, new;
  RowGrad oldGrad, newGrad;
  const Element *x, *dy;
  Element *y;
  int64_t rows, cols;
};

static void runRow(const void *context, int useNew) {
  const struct RowCall *c = context;
  if (c->old)
    (useNew ? c->new : c->old)(c->x, c->y, c->rows, c->cols);
  else // x holds log_softmax's y here
    (useNew ? c->newGrad : c->oldGrad)(c->x, c->dy, c->y, c->rows, c->cols);
}

int main(int argc, char **argv) {
  int64_t rows = atoll(argv[1]), cols = atoll(argv[2]), n = rows * cols;
  int rounds = argc > 3 ? atoi(argv[3]) : 21;
  size_t bytes = (n * sizeof(Element) + 63) / 64 * 64;
  Element *x = aligned_alloc(64, bytes), *y = aligned_alloc(64, bytes),
          *logY = aligned_alloc(64, bytes), *dy = aligned_alloc(64, bytes);
  srand(1);
  for (int64_t i = 0; i < n; ++i) {
    x[i] = 20.0 * rand() / RAND_MAX - 10.0;
    dy[i] = 2.0 * rand() / RAND_MAX - 1.0;
  }
  KERNEL(log_softmax)(x, logY, rows, cols);
  int batch = (int)(2000000 / n + 1);
  printf("%lld x %lld, rounds=%d batch=%d\n%-16s %7s %15s %9s %9s\n",
         (long long)rows, (long long)cols, rounds, batch, "kernel", "new/old",
         "[range]", "old ns/el", "new ns/el");
  for (size_t k = 0; k < sizeof(kernels) / sizeof(kernels[0]); ++k) {
    struct RowCall call = {kernels[k].old,
                           kernels[k].new,
                           kernels[k].oldGrad,
                           kernels[k].newGrad,
                           kernels[k].old ? x : logY,
                           dy,
                           y,
                           rows,
                           cols};
    runRow(&call, 0);
    runRow(&call, 1);
    struct AbTiming t = abMeasure(runRow, &call, rounds, batch);
    printf("%-16s %7.3f [%.3f-%.3f] %9.3f %9.3f\n", kernels[k].name, t.ratio,
           t.ratioLo, t.ratioHi, t.oldSeconds / n * 1e9,
           t.newSeconds / n * 1e9);
  }
  return 0;
}
