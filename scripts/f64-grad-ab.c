// f64-grad-ab.c: interleaved A/B of the f64 gradient kernels of two actc
// builds (scripts/f64-grad-ab.sh links the old object's symbols as old_*).
// Each round runs old then new or new then old, alternately, on the same
// buffers (x ~ U[-12, 12], dy ~ U[-1, 1]); prints per kernel the median
// of the per-round speed ratios new/old, their range, both medians in
// ns/element, and whether the outputs are bit-identical.
#include "ab-timing.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*Grad)(const double *, const double *, double *, int64_t);
typedef void (*GradP)(const double *, const double *, double *, int64_t,
                      float, float *);
struct Kernel {
  const char *name;
  void *old, *new;
  int param; // swish's beta
};
#define K(n) void n##_grad_f64(void); void old_##n##_grad_f64(void);
KERNELS
#undef K
#define K(n) {#n, (void *)old_##n##_grad_f64, (void *)n##_grad_f64, 0},
#define KP(n) {#n, (void *)old_##n##_grad_f64, (void *)n##_grad_f64, 1},
static const struct Kernel kernels[] = {LIST};

static void call(const struct Kernel *k, void *f, const double *x,
                 const double *dy, double *dx, int64_t n) {
  float dbeta = 0;
  if (k->param)
    ((GradP)f)(x, dy, dx, n, 1.0f, &dbeta);
  else
    ((Grad)f)(x, dy, dx, n);
}
struct Context {
  const struct Kernel *kernel;
  const double *x, *dy;
  double *dx;
  int64_t n;
};
static void run(const void *context, int useNew) {
  const struct Context *c = context;
  call(c->kernel, useNew ? c->kernel->new : c->kernel->old, c->x, c->dy,
       c->dx, c->n);
}

int main(int argc, char **argv) {
  int64_t n = atoll(argv[1]);
  int rounds = argc > 2 ? atoi(argv[2]) : 31;
  size_t bytes = n * sizeof(double);
  double *x = aligned_alloc(64, bytes), *dy = aligned_alloc(64, bytes),
         *a = aligned_alloc(64, bytes), *b = aligned_alloc(64, bytes);
  srand(1);
  for (int64_t i = 0; i < n; ++i) {
    x[i] = 24.0 * rand() / RAND_MAX - 12.0;
    dy[i] = 2.0 * rand() / RAND_MAX - 1.0;
  }
  int batch = (int)(4000000 / n + 1);
  printf("n=%lld rounds=%d batch=%d\n%-12s %7s %15s %8s %8s %s\n",
         (long long)n, rounds, batch, "kernel", "new/old", "[range]",
         "old ns/el", "new ns/el", "outputs");
  for (size_t k = 0; k < sizeof(kernels) / sizeof(kernels[0]); ++k) {
    const struct Kernel *p = &kernels[k];
    call(p, p->old, x, dy, a, n);
    call(p, p->new, x, dy, b, n);
    int same = memcmp(a, b, bytes) == 0;
    struct Context context = {p, x, dy, a, n};
    struct AbTiming t = abMeasure(run, &context, rounds, batch);
    printf("%-12s %7.3f [%.3f-%.3f] %8.2f %8.2f %s\n", p->name, t.ratio,
           t.ratioLo, t.ratioHi, t.oldSeconds / n * 1e9,
           t.newSeconds / n * 1e9, same ? "identical" : "differ");
  }
  return 0;
}
