// Fast selu overflows where the exact scale * x does, not where the f32
// scale times x does (act-math-approx's exact products, |c| > 1): every
// float from 2^127 up to FLT_MAX, against scale * x in long double; inf
// exactly where the reference rounds to inf, at most 1 ULP elsewhere.
// Before, x = 0x1.e74b3p+127 gave +inf where the value rounds to FLT_MAX.
// And selu(+inf) stays +inf (not fma(inf, c_hi, -inf) = NaN).
//
// RUN: actc --only selu --dtype f32 --precision=fast --kernels forward -o %t.o --header %t.h
// RUN: %cc -O1 -ffp-contract=off -include %t.h %s %t.o -lm -o %t
// RUN: %t | FileCheck %s
// CHECK: selu fast, 2^127 <= x <= FLT_MAX: 0 wrong infinities, max 1 ULP
// CHECK: selu fast(+inf) = inf
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N = 1 << 23 }; /* the floats in [2^127, 2^128) */

int main(void) {
  static float x[N], y[N];
  for (int i = 0; i < N; ++i) {
    unsigned bits = 0x7f000000u + (unsigned)i;
    memcpy(&x[i], &bits, 4);
  }
  selu_f32(x, y, N);
  const long double scale = 1.0507009873554804934193349852946L;
  int wrongInf = 0;
  double worst = 0;
  for (int i = 0; i < N; ++i) {
    float reference = (float)(scale * x[i]);
    if (isinf(reference) != isinf(y[i])) {
      if (!wrongInf)
        printf("x = %a: %a, expected %a\n", x[i], y[i], reference);
      ++wrongInf;
      continue;
    }
    if (isinf(reference))
      continue;
    int ref, got;
    memcpy(&ref, &reference, 4);
    memcpy(&got, &y[i], 4);
    if (fabs((double)ref - got) > worst)
      worst = fabs((double)ref - got);
  }
  float inf = INFINITY, atInf;
  selu_f32(&inf, &atInf, 1);
  printf("selu fast, 2^127 <= x <= FLT_MAX: %d wrong infinities, max %.0f ULP\n",
         wrongInf, worst);
  printf("selu fast(+inf) = %a\n", atInf);
  return wrongInf != 0 || worst > 1 || atInf != inf;
}
