// m * erfc(w) where act-expand routes it to the erf GELU's f32 table core
// (Approx/GeluF32.cpp) with v = -sqrt(2) w rebuilt from w as a pair (w is
// not x / sqrt 2 of an input x): x * erfc(-x) = 2x Phi(sqrt 2 x) and
// x * erfc(x), accurate with AVX-512, against long double erfcl on every
// 4099th bit pattern. The core's G is read at t + tl (its low part): read
// at t alone this was 1.43 ULP at x = -5.66 (tl / t up to 2^-24).
//
// REQUIRES: avx512
// RUN: printf 'act p_erfc_neg(x) = x * erfc(-x)\nact p_erfc_pos(x) = x * erfc(x)\n' > %t.act
// RUN: actc %t.act --dtype f32 --mcpu=native --kernels forward -o %t.o --header %t.h
// RUN: %cc -O1 -ffp-contract=off -include %t.h %s %t.o -lm -o %t
// RUN: %t | FileCheck %s
// CHECK: x * erfc(-x): max {{0\.[0-9]+}} ULP
// CHECK: x * erfc(x): max {{0\.[0-9]+}} ULP
// CHECK: ok

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/// The spacing of float32 at |v| (2^-149 below the normal range).
static double ulp32(long double v) {
  long double a = fabsl(v);
  if (a < 0x1p-126L)
    return 0x1p-149;
  int e;
  frexpl(a, &e);
  return ldexp(1.0, e - 24);
}

typedef void Kernel(const float *, float *, int64_t);

/// Max ULP of `kernel` against x erfc(sign x) over the sample; counts wrong
/// special values (NaN not propagated, wrong limits) into *wrong.
static double measure(Kernel *kernel, int sign, long *wrong) {
  enum { N = 4096 };
  static float x[N], y[N];
  double worst = 0;
  float worstX = 0;
  int n = 0;
  for (uint64_t bits = 0; bits < (1ull << 32); bits += 4099) {
    uint32_t u = (uint32_t)bits;
    memcpy(&x[n++], &u, 4);
    if (n < N && bits + 4099 < (1ull << 32))
      continue;
    kernel(x, y, n);
    for (int i = 0; i < n; ++i) {
      long double v = x[i];
      if (isnan(x[i])) {
        *wrong += !isnan(y[i]);
        continue;
      }
      long double exact = v * erfcl(sign * v);
      if (isinf(x[i]))
        exact = (sign < 0) == (x[i] > 0) ? (long double)x[i] * 2 : 0;
      if (fabsl(exact) > 0x1.fffffep127L || isinf(x[i])) {
        *wrong += y[i] != (float)exact;
        continue;
      }
      double error = (double)(fabsl(y[i] - exact) / ulp32(exact));
      if (error > worst) {
        worst = error;
        worstX = x[i];
      }
    }
    n = 0;
  }
  printf("  worst at x = %a\n", worstX);
  return worst;
}

int main(void) {
  long wrong = 0;
  double neg = measure(p_erfc_neg_f32, -1, &wrong);
  printf("x * erfc(-x): max %.4f ULP\n", neg);
  double pos = measure(p_erfc_pos_f32, 1, &wrong);
  printf("x * erfc(x): max %.4f ULP\n", pos);
  if (neg > 1 || pos > 1 || wrong) {
    printf("FAILED: %ld wrong special values\n", wrong);
    return 1;
  }
  printf("ok\n");
  return 0;
}
