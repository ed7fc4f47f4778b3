// Special values of the accurate f32 tanh kernels that the exhaustive
// sweeps do not see (tools/act-accuracy runs dy = 1 and compares zeros as
// equal): the sign of tanh(-0), dx = dy where dy is +-0 or +-inf and f' is
// finite and positive, and a finite dx for |dy| near FLT_MAX (the AVX-512
// grad form multiplies dy into its numerator before dividing: with its
// table of 2^(j/32) not halved, dy * h overflowed for |dy| > 1.7e38 and dx
// was NaN). The values are checked against long double, within 1 ULP.
// tanh-specials-avx512.test runs it on the AVX-512 forms.
//
// RUN: actc --only tanh --dtype f32 --kernels forward,grad -o %t.o --header %t.h
// RUN: %cc -O1 -include %t.h %s %t.o -lm -o %t
// RUN: %t

#include <math.h>
#include <stdint.h>
#include <stdio.h>

static int failures;

static void expect(const char *what, float got, long double want) {
  // Within 1 ULP of want, same sign (zeros included), NaN only for NaN.
  int ok;
  if (isnan(want) || isnan(got))
    ok = isnan(want) && isnan(got);
  else if (isinf(want) || want == 0)
    ok = (long double)got == want && signbit(got) == signbit(want);
  else
    ok = signbit(got) == signbit(want) &&
         fabsl((long double)got - want) <=
             fabsl(want) * 0x1p-23L; // 1 ULP of a normal float, at most
  if (!ok) {
    printf("FAIL %s: got %a, want %La\n", what, got, want);
    ++failures;
  }
}

/// dy * (1 - tanh(x)^2) in long double, 4 e / (1 + e)^2 in the tails.
static long double grad(float x, float dy) {
  long double e = expl(-2.0L * fabsl((long double)x));
  return (long double)dy * (4 * e / ((1 + e) * (1 + e)));
}

int main(void) {
  float x[16] = {-0.0f, 0.0f, 1e-30f, -1e-30f, 0.1f, -3.0f, 3.0f, 20.0f,
                 -0.5f, 0.5f, 1.0f, -1.0f, 2.0f, 0.25f, -8.0f, 4.0f};
  float y[16];
  tanh_f32(x, y, 16);
  for (int i = 0; i < 16; ++i)
    expect("tanh", y[i], tanhl((long double)x[i]));

  float gx[16] = {0.5f, -0.5f, 3.0f, -3.0f, 0.1f, 1.0f, 3.0f, -3.0f,
                  0.0f, 2.0f, -1.0f, 0.7f, 10.0f, -10.0f, 0.25f, 1.5f};
  float dy[16] = {-0.0f, 0.0f, INFINITY, -INFINITY, -3e38f, 3e38f, -3e38f,
                  2e38f, -0.0f, 1.7e38f, -1e38f, 3.4e38f, 3e38f, -3e38f,
                  1.0f, -2.0f};
  float dx[16];
  tanh_grad_f32(gx, dy, dx, 16);
  for (int i = 0; i < 16; ++i) {
    long double want =
        isinf(dy[i]) ? (long double)dy[i] : grad(gx[i], dy[i]);
    expect("tanh_grad", dx[i], want);
  }
  if (!failures)
    printf("tanh specials: ok\n");
  return failures != 0;
}
