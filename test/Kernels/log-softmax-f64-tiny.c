// f64 log_softmax of a row's dominant element where the rest's sum t is
// just above the smallest normal: the result is -log1p(t) = -t (t^2 is
// 2^-2044 away), so the kernel must return t rounded once. The sum is
// summed times 2^512 and scaled back (act-kernels, RowPairForms.cpp); its
// low part, scaled back, reached the subnormal grid and rounded there, so
// hi + lo rounded twice: 0.65 ULP on act-row-accuracy's sample, up to 0.75
// in principle. Since session 21 the low part is dropped there (hi alone
// is t rounded once). Rows [0, v] and [0, v, v - 1] with t = exp(v) (+
// exp(v - 1)) in [2^-1022, 2^-1018], against long double (expl's 2^-63
// is 2^-11 ULP of f64 here); the other elements, v - log1p(t), too.
//
// RUN: actc --only log_softmax --dtype f64 --kernels forward -o %t.o --header %t.h
// RUN: %cc -O1 -ffp-contract=off -include %t.h %s %t.o -lm -o %t
// RUN: %t | FileCheck %s
// CHECK-NOT: FAIL
// CHECK: dominant element, t in [2^-1022, 2^-1018]: max {{0\.[0-9]+}} ULP over 4000 rows
// CHECK: 0 failure(s)
#include <math.h>
#include <stdint.h>
#include <stdio.h>

static uint64_t state = 5;
static double uniform(void) {
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return (state >> 11) * 0x1p-53;
}

/// |got - exact| in ULP of f64 at exact (below the normal range: 2^-1074).
static double ulpError(double got, long double exact) {
  long double magnitude = fabsl(exact);
  int exponent = magnitude < 0x1p-1022L ? -1022 : ilogbl(magnitude);
  return (double)(fabsl((long double)got - exact) /
                  ldexpl(1.0L, exponent - 52));
}

int main(void) {
  const double kBudget = 0.51;
  int failures = 0;
  double worst = 0;
  long rows = 0;
  for (int cols = 2; cols <= 3; ++cols) {
    for (int i = 0; i < 2000; ++i, ++rows) {
      // t = exp(v) (+ exp(v - 1)) in [2^-1022, 2^-1018].
      double lo = -1022 * M_LN2 - (cols == 3 ? log1p(exp(-1)) : 0);
      double v = lo + 4 * M_LN2 * uniform();
      double x[3] = {0, v, v - 1}, y[3];
      log_softmax_f64(x, y, 1, cols);
      long double t = expl(x[1]) + (cols == 3 ? expl(x[2]) : 0);
      long double exact[3] = {-t, x[1] - t, x[2] - t};
      for (int j = 0; j < cols; ++j) {
        double error = ulpError(y[j], exact[j]);
        if (j == 0 && error > worst)
          worst = error;
        if (!(error <= kBudget) && failures++ < 10)
          printf("FAIL row [0, %a%s] element %d: %a, exact %La (%.3f ULP)\n",
                 v, cols == 3 ? ", v - 1" : "", j, y[j], exact[j], error);
      }
    }
  }
  printf("dominant element, t in [2^-1022, 2^-1018]: max %.4f ULP over %ld "
         "rows\n",
         worst, rows);
  printf("%d failure(s)\n", failures);
  return failures != 0;
}
