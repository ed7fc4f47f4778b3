// ab-run.c: times the old and the new build of each kernel ab.sh lists,
// interleaved (each round runs old then new or new then old, alternately,
// on the same buffers), and compares their outputs bit for bit.
#include "ab-run.h"
#include "ab-timing.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*Forward)(const float *, float *, int64_t);
typedef void (*Gradient)(const float *, const float *, float *, int64_t);

static void call(const struct Pair *p, void *f, const float *x,
                 const float *dy, float *out, int64_t n) {
  if (p->inputs == 1)
    ((Forward)f)(x, out, n);
  else
    ((Gradient)f)(x, dy, out, n);
}
struct Context {
  const struct Pair *pair;
  const float *x, *dy;
  float *out;
  int64_t n;
};
static void run(const void *context, int useNew) {
  const struct Context *c = context;
  call(c->pair, useNew ? c->pair->new : c->pair->old, c->x, c->dy, c->out,
       c->n);
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
  printf("n=%lld rounds=%d batch=%d %s\n%-34s %7s %15s %8s %8s %s\n",
         (long long)n, rounds, batch, f64 ? "f64" : "f32", "kernel", "new/old", "[range]",
         "old el/ns", "new el/ns", "outputs");
  for (int k = 0; k < npairs; ++k) {
    const struct Pair *p = &pairs[k];
    // From y for the _grad_from_y kernels: x's values in (0, 1) do as well.
    call(p, p->old, x, dy, a, n);
    call(p, p->new, x, dy, b, n);
    int same = memcmp(a, b, bytes) == 0;
    struct Context context = {p, x, dy, a, n};
    struct AbTiming t = abMeasure(run, &context, rounds, batch);
    printf("%-34s %7.3f [%.3f-%.3f] %8.2f %8.2f %s\n", p->name, t.ratio,
           t.ratioLo, t.ratioHi, n / t.oldSeconds * 1e-9,
           n / t.newSeconds * 1e-9, same ? "identical" : "DIFFER");
  }
  return 0;
}
