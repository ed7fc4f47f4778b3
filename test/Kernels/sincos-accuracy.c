// sin and cos kernels (act-math-approx's range reduction) against MPFR, f32
// and f64, both precisions: random bit patterns over the whole line (most
// of them huge: the Payne-Hanek and chunk reductions), dense samples of
// moderate |x| (Cody-Waite), the Cody-Waite/Payne-Hanek border at 2^20,
// the inputs closest to multiples of pi/2 (the rounded k pi/2, and the
// worst f64 case 6381956970095103 2^797, whose x mod pi/2 is ~2^-61), and
// the special values (sin(-0) = -0, NaN for +-inf and NaN). Prints the max
// ULP error with its input and fails above the budget (ULP of the type at
// the exact value, 2^-149 / 2^-1074 below the normals).
//
// REQUIRES: mpfr
// RUN: printf 'act p_sin(x) = sin(x)\nact p_cos(x) = cos(x)\n' > %t.act
// RUN: actc %t.act --dtype f32,f64 -o %t.o --header %t.h
// RUN: %cc -O1 -ffp-contract=off -include %t.h %s %t.o -lmpfr -lm -o %t
// RUN: %t 0.501 0.8 | FileCheck %s
// RUN: actc %t.act --dtype f32,f64 --precision=fast -o %t.fast.o --header %t.fast.h
// RUN: %cc -O1 -ffp-contract=off -include %t.fast.h %s %t.fast.o -lmpfr -lm -o %t.fast
// RUN: %t.fast 0.501 0.8 | FileCheck %s
//
// CHECK: p_sin f32: max 0.5{{[0-9]+}} ulp
// CHECK: p_cos f32: max 0.5{{[0-9]+}} ulp
// CHECK: p_sin f64: max 0.{{[0-9]+}} ulp
// CHECK: p_cos f64: max 0.{{[0-9]+}} ulp
// CHECK: specials: 0 wrong

#include <math.h>
#include <mpfr.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { N = 1 << 18 };

static uint64_t state = 0x9e3779b97f4a7c15ull;
static uint64_t next(void) { // xorshift64*
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return state * 0x2545f4914f6cdd1dull;
}

typedef int (*MpfrFn)(mpfr_ptr, mpfr_srcptr, mpfr_rnd_t);

/* |y - exact| in ULPs of the type (53 or 24 bits, emin -1022 / -126). */
static double ulps(double y, mpfr_t exact, int bits, int emin) {
  if (mpfr_zero_p(exact))
    return y == 0 ? 0 : INFINITY;
  mpfr_t d;
  mpfr_init2(d, 256);
  mpfr_set_d(d, y, MPFR_RNDN);
  mpfr_sub(d, d, exact, MPFR_RNDN);
  long e = mpfr_get_exp(exact) - 1; // exact in [2^e, 2^(e+1))
  if (e < emin)
    e = emin;
  mpfr_mul_2si(d, d, -(e - (bits - 1)), MPFR_RNDN);
  double u = fabs(mpfr_get_d(d, MPFR_RNDN));
  mpfr_clear(d);
  return u;
}

typedef struct {
  double max;
  double worst;
} Stat;

/* Folds the error of y = f(x) (a `bits`-bit type whose smallest normal
 * exponent is `emin`) into `st`; non-finite inputs are skipped. */
static void score(MpfrFn fn, double x, double y, int bits, int emin,
                  mpfr_t xm, mpfr_t r, Stat *st) {
  if (!isfinite(x))
    return;
  mpfr_set_d(xm, x, MPFR_RNDN);
  fn(r, xm, MPFR_RNDN);
  double u = ulps(y, r, bits, emin);
  if (!(u <= st->max)) {
    st->max = u;
    st->worst = x;
  }
}

static void measure64(void (*k)(const double *, double *, int64_t), MpfrFn fn,
                      const double *x, int64_t n, Stat *st) {
  double *y = malloc(n * sizeof(double));
  k(x, y, n);
  mpfr_t xm, r;
  mpfr_inits2(200, xm, r, (mpfr_ptr)0);
  for (int64_t i = 0; i < n; ++i)
    score(fn, x[i], y[i], 53, -1022, xm, r, st);
  mpfr_clears(xm, r, (mpfr_ptr)0);
  free(y);
}

static void measure32(void (*k)(const float *, float *, int64_t), MpfrFn fn,
                      const float *x, int64_t n, Stat *st) {
  float *y = malloc(n * sizeof(float));
  k(x, y, n);
  mpfr_t xm, r;
  mpfr_inits2(200, xm, r, (mpfr_ptr)0);
  for (int64_t i = 0; i < n; ++i)
    score(fn, x[i], y[i], 24, -126, xm, r, st);
  mpfr_clears(xm, r, (mpfr_ptr)0);
  free(y);
}

/* The inputs: random patterns, moderate uniform, near k pi/2, the border. */
static int64_t inputs64(double *x) {
  int64_t n = 0;
  for (int i = 0; i < N; ++i)
    x[n++] = ({
      uint64_t b = next();
      double v;
      memcpy(&v, &b, 8);
      v;
    });
  for (int i = 0; i < N; ++i) // [-64, 64]
    x[n++] = ((double)(next() >> 11) * 0x1p-53 - 0.5) * 128;
  for (int i = 0; i < N / 4; ++i) // [-2^21, 2^21]
    x[n++] = ((double)(next() >> 11) * 0x1p-53 - 0.5) * 0x1p22;
  for (int k = 1; k <= N / 4; ++k) { // the rounded k pi/2, up to ~2^26
    double m = (double)k * (k < 4096 ? 1 : 97);
    x[n++] = m * 1.5707963267948966;
    x[n++] = -nextafter(m * 1.5707963267948966, INFINITY);
  }
  for (int i = -64; i < 64; ++i) { // around the 2^20 border
    x[n++] = 0x1p20 + i * 0x1p-32;
    x[n++] = -(0x1p20 + i * 0x1p-10);
  }
  x[n++] = ldexp(6381956970095103.0, 797);
  x[n++] = -ldexp(6381956970095103.0, 797);
  x[n++] = ldexp(5261692873635770.0, 499);
  x[n++] = 0x1.fffffffffffffp1023;
  x[n++] = 0x1p-1074;
  x[n++] = -0x1p-1022;
  x[n++] = 1e-300;
  return n;
}

static int64_t inputs32(float *x) {
  int64_t n = 0;
  for (int i = 0; i < N; ++i) {
    uint32_t b = (uint32_t)(next() >> 32);
    memcpy(&x[n++], &b, 4);
  }
  for (int i = 0; i < N; ++i)
    x[n++] = (float)(((double)(next() >> 11) * 0x1p-53 - 0.5) * 128);
  for (int k = 1; k <= N / 4; ++k) { // the floats nearest to k pi/2
    double m = (double)k * (k < 4096 ? 1 : 997);
    float f = (float)(m * 1.5707963267948966);
    x[n++] = f;
    x[n++] = -nextafterf(f, INFINITY);
  }
  x[n++] = 0x1.fffffep127f;
  x[n++] = 0x1p-149f;
  x[n++] = -0x1p-126f;
  return n;
}

static int specials(void) {
  int wrong = 0;
  double dx[5] = {0.0, -0.0, INFINITY, -INFINITY, NAN}, ds[5], dc[5];
  float fx[5] = {0.0f, -0.0f, INFINITY, -INFINITY, NAN}, fs[5], fc[5];
  p_sin_f64(dx, ds, 5);
  p_cos_f64(dx, dc, 5);
  p_sin_f32(fx, fs, 5);
  p_cos_f32(fx, fc, 5);
  wrong += !(ds[0] == 0 && !signbit(ds[0]) && ds[1] == 0 && signbit(ds[1]));
  wrong += !(fs[0] == 0 && !signbit(fs[0]) && fs[1] == 0 && signbit(fs[1]));
  wrong += !(dc[0] == 1 && dc[1] == 1 && fc[0] == 1 && fc[1] == 1);
  for (int i = 2; i < 5; ++i)
    wrong += !isnan(ds[i]) + !isnan(dc[i]) + !isnan(fs[i]) + !isnan(fc[i]);
  return wrong;
}

int main(int argc, char **argv) {
  double budget32 = argc > 1 ? atof(argv[1]) : 0.501;
  double budget64 = argc > 2 ? atof(argv[2]) : 1;
  int failures = 0;
  float *x32 = malloc(4 * N * sizeof(float));
  int64_t n32 = inputs32(x32);
  double *x64 = malloc(4 * N * sizeof(double));
  int64_t n64 = inputs64(x64);
  struct {
    const char *name;
    void (*k32)(const float *, float *, int64_t);
    void (*k64)(const double *, double *, int64_t);
    MpfrFn fn;
  } fns[] = {{"p_sin", p_sin_f32, p_sin_f64, mpfr_sin},
             {"p_cos", p_cos_f32, p_cos_f64, mpfr_cos}};
  Stat st32[2] = {{0, 0}, {0, 0}}, st64[2] = {{0, 0}, {0, 0}};
  for (int f = 0; f < 2; ++f) {
    measure32(fns[f].k32, fns[f].fn, x32, n32, &st32[f]);
    int bad = !(st32[f].max <= budget32);
    failures += bad;
    printf("%s f32: max %.4f ulp at x = %a (%lld inputs)%s\n", fns[f].name,
           st32[f].max, st32[f].worst, (long long)n32,
           bad ? "  OVER BUDGET" : "");
  }
  for (int f = 0; f < 2; ++f) {
    measure64(fns[f].k64, fns[f].fn, x64, n64, &st64[f]);
    int bad = !(st64[f].max <= budget64);
    failures += bad;
    printf("%s f64: max %.4f ulp at x = %a (%lld inputs)%s\n", fns[f].name,
           st64[f].max, st64[f].worst, (long long)n64,
           bad ? "  OVER BUDGET" : "");
  }
  int wrong = specials();
  printf("specials: %d wrong\n", wrong);
  return failures + wrong != 0;
}
