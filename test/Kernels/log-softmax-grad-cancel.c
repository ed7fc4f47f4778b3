// f32 log_softmax's gradient dx = dy - exp(y) sum(dy) where it cancels:
// rows [y0, y1] with dy0 chosen so that dx0 is 2^-10 .. 2^-22 of its terms
// (results whose |dx| is below 2^-20 of |dy| + |exp(y) s| are left out, as
// act-row-accuracy leaves them out), against long double. The f32 kernels
// compute in f64, with f64 cores for results rounded to f32: accurate
// act.wide_precise's exp, 2^-52 (0.5011 on 2e6 such rows; the f64
// kernels' exp, at 0.58-0.67x the speed, 0.5009), fast act.wide's,
// 2^-43.6, amplified up to 2^20 by the cancellation (0.9891 on 2e6 rows,
// 0.88 here).
//
// RUN: actc --only log_softmax --dtype f32 --kernels grad --precision=accurate -o %t.acc.o
// RUN: %cc -O1 -ffp-contract=off %s %t.acc.o -lm -o %t.acc
// RUN: %t.acc 0.51 | FileCheck %s
// RUN: actc --only log_softmax --dtype f32 --kernels grad --precision=fast -o %t.fast.o
// RUN: %cc -O1 -ffp-contract=off %s %t.fast.o -lm -o %t.fast
// RUN: %t.fast 1.1 | FileCheck %s
// CHECK-NOT: FAIL
// CHECK: cancelling rows: max {{0\.[0-9]+|1\.0[0-9]*}} ULP over {{[0-9]+}} results
// CHECK: 0 failure(s)
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

void log_softmax_grad_f32(const float *y, const float *dy, float *dx,
                          int64_t rows, int64_t cols);

static uint64_t state = 3;
static double uniform(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return (state >> 11) * 0x1p-53;
}

int main(int argc, char **argv) {
  double budget = argc > 1 ? atof(argv[1]) : 1;
  double worst = 0;
  long measured = 0;
  int failures = 0;
  for (int i = 0; i < 300000; ++i) {
    float y[2], dy[2], dx[2];
    y[0] = (float)(-5 * uniform());
    y[1] = (float)(-5 * uniform() - 0.01);
    dy[1] = (float)(2 * uniform() - 1);
    // dy0 = p dy1 / (1 - p) makes dx0 = 0 (p = exp(y0)); move it off by
    // 2^-10 .. 2^-22.
    long double p = expl(y[0]);
    long double balanced = p * dy[1] / (1 - p);
    long double offset = ldexpl(1, -(int)(10 + 12 * uniform()));
    dy[0] = (float)(balanced * (1 + (uniform() < 0.5 ? -offset : offset)));
    log_softmax_grad_f32(y, dy, dx, 1, 2);
    long double s = (long double)dy[0] + dy[1];
    long double exact = dy[0] - p * s;
    long double terms = fabsl(dy[0]) + fabsl(p * s);
    if (exact == 0 || fabsl(exact) < ldexpl(terms, -20))
      continue;
    int exponent = ilogbl(fabsl(exact));
    if (exponent < -126)
      exponent = -126;
    double error =
        (double)(fabsl(dx[0] - exact) / ldexpl(1, exponent - 23));
    ++measured;
    if (error > worst)
      worst = error;
    if (!(error <= budget) && failures++ < 10)
      printf("FAIL y = [%a, %a], dy = [%a, %a]: dx0 %a, exact %La (%.4f "
             "ULP)\n",
             y[0], y[1], dy[0], dy[1], dx[0], exact, error);
  }
  printf("cancelling rows: max %.4f ULP over %ld results\n", worst, measured);
  printf("%d failure(s)\n", failures);
  return failures != 0;
}
