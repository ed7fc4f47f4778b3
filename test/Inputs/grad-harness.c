/* grad-harness.c - measures compiled gradient kernels against MPFR.
 *
 * Inputs (f32): every multiple of 2^-7 in [-range, range], every multiple
 * of 2^-12 in [-2.5, 0] (the zeros of silu', mish' and the GELUs', where
 * the derivative's sum cancels), 16 mantissas of every binade from 2^-40
 * up, random values, and the kinks of the prelude (0, +-0.5, +-1, +-3, 6,
 * 20) with their neighbours; then the tails out to where f' underflows.
 * f64: a coarser sample of the same kinds. Environment variables make the
 * sample denser (scripts/f64-dense.sh); unset, the sample is the one above:
 *   ACTC_GRID_BITS     the grid's step 2^-bits over [-range, range] (7 for
 *                      f32, 5 for f64)
 *   ACTC_FINE_BITS     the fine grid's step over [-2.5, 0] (12 / 11)
 *   ACTC_PER_BINADE    mantissas per binade from 2^-40 up (16 / 8)
 *   ACTC_RANDOMS       random values, uniform over [-range, range] (20000 /
 *                      8000)
 *   ACTC_NEAR_RANDOMS  random values, log-uniform over |x| in [2^-30,
 *                      range], random sign (0)
 *   ACTC_KNOTS         a comma-separated list of x (the zeros of f', branch
 *                      points), each with its 16 nearest neighbours and
 *   ACTC_KNOT_POINTS   random points at log-uniform distances 2^-51 |k| to
 *                      2^-2 |k| on either side (0)
 *   ACTC_TAIL_STEP     the tails' step (0.25 / 0.5)
 *   ACTC_ONLY          a comma-separated list of labels: only those are
 *                      measured
 */

#include "grad-harness.h"
#include "knobs.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREC 160 /* bits of the references */
#define SMALL 0x1p-20 /* |f'| below this is reported, not budgeted */

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

double grad_random(double lo, double hi) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return lo + (hi - lo) * ((double)(rng_state >> 11) * 0x1p-53);
}


static double round_to(int is_f32, double x) {
  return is_f32 ? (double)(float)x : x;
}

static void push(GradInputs *in, size_t *cap, double x) {
  if (in->n == *cap) {
    *cap = *cap ? 2 * *cap : 4096;
    in->v = realloc(in->v, *cap * sizeof(double));
  }
  in->v[in->n++] = x;
}

GradInputs grad_make_inputs(int is_f32, double range) {
  GradInputs in = {0};
  size_t cap = 0;
  static const double kinks[] = {0,   0.5, 1,    3,     6,    20,  1.702,
                                 1e-8, 1e-4, 0.01, 0.1, 2.5, 8.0, 15.5};
  for (unsigned i = 0; i < sizeof(kinks) / sizeof(kinks[0]); ++i) {
    double k = round_to(is_f32, kinks[i]);
    double near[3] = {k, is_f32 ? nextafterf((float)k, -INFINITY)
                                : nextafter(k, -INFINITY),
                      is_f32 ? nextafterf((float)k, INFINITY)
                             : nextafter(k, INFINITY)};
    for (int j = 0; j < 3; ++j)
      if (fabs(near[j]) <= range) {
        push(&in, &cap, near[j]);
        push(&in, &cap, -near[j]);
      }
  }
  int bits = (int)env_long("ACTC_GRID_BITS", is_f32 ? 7 : 5);
  long steps = (long)(range * (1 << bits));
  for (long k = -steps; k <= steps; ++k)
    push(&in, &cap, ldexp((double)k, -bits));
  int fine = (int)env_long("ACTC_FINE_BITS", is_f32 ? 12 : 11);
  for (long k = -(long)ldexp(2.5, fine); k <= 0; ++k)
    if (ldexp((double)k, -fine) >= -range)
      push(&in, &cap, ldexp((double)k, -fine));
  int mantissas = (int)env_long("ACTC_PER_BINADE", is_f32 ? 16 : 8);
  for (int e = -40; ldexp(1.0, e) <= range; ++e)
    for (int m = 0; m < mantissas; ++m) {
      double x = round_to(is_f32, ldexp(1.0 + (double)m / mantissas +
                                            (double)(m % 5) / 4096.0,
                                        e));
      if (x <= range) {
        push(&in, &cap, x);
        push(&in, &cap, -x);
      }
    }
  long randoms = env_long("ACTC_RANDOMS", is_f32 ? 20000 : 8000);
  for (long i = 0; i < randoms; ++i)
    push(&in, &cap, round_to(is_f32, grad_random(-range, range)));
  /* The dense sample's extra kinds (none unless their knobs are set). */
  long nears = env_long("ACTC_NEAR_RANDOMS", 0);
  for (long i = 0; i < nears; ++i) {
    double e = floor(grad_random(-30, ilogb(range) + 1));
    double x = round_to(is_f32, ldexp(grad_random(1, 2), (int)e));
    if (x <= range)
      push(&in, &cap, grad_random(0, 1) < 0.5 ? -x : x);
  }
  const char *knots = getenv("ACTC_KNOTS");
  long per_knot = env_long("ACTC_KNOT_POINTS", 0);
  for (const char *p = knots; p && *p;) {
    char *end;
    double k = round_to(is_f32, strtod(p, &end));
    if (end == p)
      break;
    p = *end == ',' ? end + 1 : end;
    if (fabs(k) > range)
      continue;
    double below = k, above = k;
    push(&in, &cap, k);
    for (int j = 0; j < 16; ++j) {
      below = is_f32 ? nextafterf((float)below, -INFINITY)
                     : nextafter(below, -INFINITY);
      above = is_f32 ? nextafterf((float)above, INFINITY)
                     : nextafter(above, INFINITY);
      push(&in, &cap, below);
      push(&in, &cap, above);
    }
    double scale = k != 0 ? fabs(k) : 0x1p-20;
    for (long i = 0; i < per_knot; ++i) {
      double d = ldexp(scale * grad_random(1, 2), -3 - (int)grad_random(0, 49));
      double x = round_to(is_f32, grad_random(0, 1) < 0.5 ? k - d : k + d);
      if (fabs(x) <= range)
        push(&in, &cap, x);
    }
  }
  return in;
}

GradInputs grad_make_tail_inputs(int is_f32, double range) {
  GradInputs in = {0};
  size_t cap = 0;
  double step = env_double("ACTC_TAIL_STEP", is_f32 ? 0.25 : 0.5);
  double end = is_f32 ? 104 : 745;
  for (double x = floor(range / step) * step + step; x <= end; x += step) {
    push(&in, &cap, x);
    push(&in, &cap, -x);
  }
  return in;
}

typedef struct {
  double max, x, y, ref;
  long count;
} Worst;

static void note(Worst *w, double err, double x, double y, mpfr_t r) {
  ++w->count;
  if (w->count == 1 || err > w->max) {
    w->max = err;
    w->x = x;
    w->y = y;
    w->ref = mpfr_get_d(r, MPFR_RNDN);
  }
}

static int report(int is_f32, const char *what, const Worst *w,
                  double budget) {
  int digits = is_f32 ? 9 : 17;
  int ok = budget < 0 || w->max <= budget;
  printf("  %-30s max %10.4g ulp", what, w->max);
  if (budget >= 0)
    printf(" (budget %-6g)", budget);
  else
    printf(" (reported)      ");
  printf(" at x = %.*g: dx = %.*g, exact %.*g%s\n", digits, w->x, digits,
         w->y, digits, w->ref, ok ? "" : "   <-- FAIL");
  return !ok;
}

static void call(int is_f32, const GradCase *c, const double *x,
                 const double *dy, double *dx, size_t n) {
  float dparams[2];
  if (!is_f32) {
    c->f64(x, dy, dx, (int64_t)n, c->params, dparams);
    return;
  }
  float *xf = malloc(n * sizeof(float) + 4);
  float *dyf = malloc(n * sizeof(float) + 4);
  float *dxf = malloc(n * sizeof(float) + 4);
  for (size_t i = 0; i < n; ++i) {
    xf[i] = (float)x[i];
    dyf[i] = (float)dy[i];
  }
  c->f32(xf, dyf, dxf, (int64_t)n, c->params, dparams);
  for (size_t i = 0; i < n; ++i)
    dx[i] = dxf[i];
  free(xf);
  free(dyf);
  free(dxf);
}

/* A limit: zeros and infinities exactly (zeros of either sign), NaN as
 * NaN, other values within 4 ULPs. */
static int same_limit(int is_f32, double got, double want) {
  if (isnan(want))
    return isnan(got);
  if (want == 0 || isinf(want))
    return got == want;
  double ulp = ldexp(1.0, ilogb(want) - (is_f32 ? 23 : 52));
  return fabs(got - want) <= 4 * ulp;
}

static int check_specials(int is_f32, const GradCase *c) {
  double x[5] = {-INFINITY, INFINITY, NAN, 0.0, -0.0};
  double dy[5] = {1, 1, 1, 1, 1}, dx[5];
  call(is_f32, c, x, dy, dx, 5);
  int failures = 0;
  if (!same_limit(is_f32, dx[0], c->at_neg_inf)) {
    printf("  FAIL %s(-inf) = %g, expected %g\n", c->label, dx[0],
           c->at_neg_inf);
    ++failures;
  }
  if (!same_limit(is_f32, dx[1], c->at_pos_inf)) {
    printf("  FAIL %s(+inf) = %g, expected %g\n", c->label, dx[1],
           c->at_pos_inf);
    ++failures;
  }
  /* A NaN x gives a NaN dx, whatever f' (docs/autodiff.md). */
  if (!isnan(dx[2])) {
    printf("  FAIL %s(NaN) = %g, expected NaN\n", c->label, dx[2]);
    ++failures;
  }
  /* f'(+0) and f'(-0): the reference at 0 (the kinks' rules decide). */
  mpfr_t zero, r;
  mpfr_inits2(PREC, zero, r, (mpfr_ptr)0);
  mpfr_set_zero(zero, 1);
  double params[4] = {c->params[0], c->params[1], 0, 0};
  c->ref(r, zero, params);
  double want = is_f32 ? mpfr_get_flt(r, MPFR_RNDN) : mpfr_get_d(r, MPFR_RNDN);
  for (int k = 3; k < 5; ++k)
    if (!(dx[k] == want ||
          grad_ulp_error(is_f32 ? 24 : 53, r, dx[k]) <=
              (is_f32 ? c->budget_f32 : c->budget_f64))) {
      printf("  FAIL %s(%s0) = %g, expected %g\n", c->label, k == 3 ? "+" : "-",
             dx[k], want);
      ++failures;
    }
  mpfr_clears(zero, r, (mpfr_ptr)0);
  return failures;
}

static int measure(int is_f32, const GradCase *c) {
  double range = c->range > 0 ? c->range : 60;
  double tail_budget = is_f32 ? c->tail_f32 : c->tail_f64;
  GradInputs in = grad_make_inputs(is_f32, range);
  if (tail_budget > 0) {
    GradInputs tails = grad_make_tail_inputs(is_f32, range);
    in.v = realloc(in.v, (in.n + tails.n) * sizeof(double));
    memcpy(in.v + in.n, tails.v, tails.n * sizeof(double));
    in.n += tails.n;
    free(tails.v);
  }
  double *ones = malloc(in.n * sizeof(double));
  double *dy = malloc(in.n * sizeof(double));
  double *dx1 = malloc(in.n * sizeof(double));
  double *dxr = malloc(in.n * sizeof(double));
  for (size_t i = 0; i < in.n; ++i) {
    ones[i] = 1;
    dy[i] = round_to(is_f32, grad_random(-2, 2));
  }
  call(is_f32, c, in.v, ones, dx1, in.n);
  call(is_f32, c, in.v, dy, dxr, in.n);

  int mant = is_f32 ? 24 : 53;
  double params[4] = {c->params[0], c->params[1], 0, 0};
  Worst main = {0}, withDy = {0}, small = {0}, tail = {0};
  double smallest_normal = is_f32 ? FLT_MIN : DBL_MIN;
  mpfr_t xm, r, rdy;
  mpfr_inits2(PREC, xm, r, rdy, (mpfr_ptr)0);
  for (size_t i = 0; i < in.n; ++i) {
    mpfr_set_d(xm, in.v[i], MPFR_RNDN);
    c->ref(r, xm, params);
    double err = grad_ulp_error(mant, r, dx1[i]);
    if (mpfr_cmpabs_ui(r, 0) != 0 && mpfr_get_d(r, MPFR_RNDN) != 0 &&
        fabs(mpfr_get_d(r, MPFR_RNDN)) >= SMALL) {
      note(&main, err, in.v[i], dx1[i], r);
      mpfr_mul_d(rdy, r, dy[i], MPFR_RNDN);
      note(&withDy, grad_ulp_error(mant, rdy, dxr[i]), in.v[i], dxr[i], rdy);
    } else if (tail_budget > 0 && fabs(in.v[i]) >= 4 &&
               fabs(is_f32 ? mpfr_get_flt(r, MPFR_RNDN)
                           : mpfr_get_d(r, MPFR_RNDN)) >= smallest_normal) {
      note(&tail, err, in.v[i], dx1[i], r);
    } else {
      note(&small, err, in.v[i], dx1[i], r);
    }
  }
  mpfr_clears(xm, r, rdy, (mpfr_ptr)0);

  double budget = is_f32 ? c->budget_f32 : c->budget_f64;
  printf("%s %s (%zu inputs)\n", is_f32 ? "f32" : "f64", c->label, in.n);
  int failures = check_specials(is_f32, c);
  failures += report(is_f32, "dy = 1, |f'| >= 2^-20", &main, budget);
  /* dx = dy f': the same relative error, up to twice the ULPs (another
   * binade), plus the rounding of the product. */
  failures += report(is_f32, "random dy, |f'| >= 2^-20", &withDy,
                     2 * budget + 1);
  if (tail.count)
    failures += report(is_f32, "tails, normal |f'| < 2^-20", &tail,
                       tail_budget);
  if (small.count)
    report(is_f32, "other |f'| < 2^-20", &small, -1);
  printf("MAXULP %s %s %.4g\n", is_f32 ? "f32" : "f64", c->label, main.max);
  if (tail.count)
    printf("MAXULP-TAIL %s %s %.4g\n", is_f32 ? "f32" : "f64", c->label,
           tail.max);
  free(in.v);
  free(ones);
  free(dy);
  free(dx1);
  free(dxr);
  return failures;
}

int run_grad_cases(const GradCase *cases, int count, const char *dtype) {
  int is_f32 = strcmp(dtype, "f32") == 0;
  if (!is_f32 && strcmp(dtype, "f64") != 0) {
    fprintf(stderr, "unknown dtype '%s'\n", dtype);
    exit(2);
  }
  reference_init();
  int failures = 0;
  for (int i = 0; i < count; ++i) {
    GradCase c = cases[i];
    if (!only_selects(c.label))
      continue;
    if (!c.ref)
      c.ref = grad_reference_lookup(c.label);
    if (!c.ref) {
      printf("FAIL %s: no reference\n", c.label);
      ++failures;
      continue;
    }
    failures += measure(is_f32, &c);
  }
  return failures;
}
