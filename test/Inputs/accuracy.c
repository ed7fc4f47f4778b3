/* accuracy.c - measures compiled kernels against the MPFR references.
 *
 * Inputs (f32): every multiple of 2^-11 in [-20, 20], a log-spaced sweep of
 * every binade from the smallest subnormal to FLT_MAX (both signs), random
 * bit patterns, and the special values; NaN and +-inf are checked apart.
 * f64 uses a coarser sample of the same kinds. Environment variables make
 * the sample denser (scripts/f64-dense.sh); unset, the sample is the one
 * above:
 *   ACTC_GRID_BITS       the grid's step 2^-bits (11 for f32, 8 for f64)
 *   ACTC_GRID_RANGE      the grid's [-range, range] (20)
 *   ACTC_PER_BINADE      mantissas per binade (64 for f32, 8 for f64)
 *   ACTC_RANDOMS         random bit patterns (40000 for f32, 30000 for f64)
 *   ACTC_LOG_RANDOMS     random values, log-uniform over every binade of
 *                        the type, random sign and mantissa (0)
 *   ACTC_NEAR_RANDOMS    random values, log-uniform over |x| in
 *                        [2^-30, ACTC_GRID_RANGE], random sign (0)
 *   ACTC_UNIFORM_RANDOMS random values, uniform over the grid's range with
 *                        every mantissa bit random (0)
 *   ACTC_KNOTS           a comma-separated list of x (branch points of the
 *                        forms), each with its 16 nearest neighbours and
 *   ACTC_KNOT_POINTS     random points at log-uniform distances 2^-51 |k|
 *                        to 2^-2 |k| on either side (0)
 *   ACTC_ROW_REPEATS     how many times the row activations' set of rows
 *                        is drawn (1)
 *   ACTC_ONLY            a comma-separated list of labels or names: only
 *                        those are measured
 */

#include "accuracy.h"
#include "knobs.h"
#include "reference.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREC 128 /* bits of the references */

typedef struct {
  int is_f32;
  int mant_bits;    /* 24 or 53 */
  int min_exp;      /* exponent of the smallest subnormal: -149 or -1074 */
  int max_binade;   /* 127 or 1023 */
} Type;

static const Type typeF32 = {1, 24, -149, 127};
static const Type typeF64 = {0, 53, -1074, 1023};

/* A growable list of inputs (held as doubles; exact for either type). */
typedef struct {
  double *v;
  size_t n, cap;
} List;

static void push(List *list, double x) {
  if (list->n == list->cap) {
    list->cap = list->cap ? 2 * list->cap : 4096;
    list->v = realloc(list->v, list->cap * sizeof(double));
  }
  list->v[list->n++] = x;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t next_random(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static double round_to(const Type *type, double x) {
  return type->is_f32 ? (double)(float)x : x;
}

/* A uniform double in [0, 1). */
static double next_unit(void) {
  return (double)(next_random() >> 11) * 0x1p-53;
}

/* A random value with |x| log-uniform over the binades [lo_exp, hi_exp)
 * (a random mantissa in each), random sign, rounded to the type. */
static double log_uniform(const Type *type, double lo_exp, double hi_exp) {
  double e = floor(lo_exp + (hi_exp - lo_exp) * next_unit());
  double x = round_to(type, ldexp(1.0 + next_unit(), (int)e));
  return next_random() & 1 ? -x : x;
}

/* True when `label` or `name` is in ACTC_ONLY's list (or it is unset). */
static int selected(const char *label, const char *name) {
  return only_selects(label) || (name && only_selects(name));
}

/* The dense sample's extra kinds (each 0 unless its knob is set). */
static void push_dense(const Type *type, List *list, double range) {
  double max = type->is_f32 ? FLT_MAX : DBL_MAX;
  long logs = env_long("ACTC_LOG_RANDOMS", 0);
  for (long i = 0; i < logs; ++i) {
    double x = log_uniform(type, type->min_exp, type->max_binade + 1);
    if (isfinite(x) && fabs(x) <= max && x != 0)
      push(list, x);
  }
  long nears = env_long("ACTC_NEAR_RANDOMS", 0);
  for (long i = 0; i < nears; ++i)
    push(list, log_uniform(type, -30, ilogb(range) + 1));
  long uniforms = env_long("ACTC_UNIFORM_RANDOMS", 0);
  for (long i = 0; i < uniforms; ++i)
    push(list, round_to(type, range * (2 * next_unit() - 1)));
  const char *knots = getenv("ACTC_KNOTS");
  long per_knot = env_long("ACTC_KNOT_POINTS", 0);
  for (const char *p = knots; p && *p;) {
    char *end;
    double k = round_to(type, strtod(p, &end));
    if (end == p)
      break;
    p = *end == ',' ? end + 1 : end;
    double below = k, above = k;
    for (int j = 0; j < 16; ++j) {
      below = type->is_f32 ? nextafterf((float)below, -INFINITY)
                           : nextafter(below, -INFINITY);
      above = type->is_f32 ? nextafterf((float)above, INFINITY)
                           : nextafter(above, INFINITY);
      push(list, below);
      push(list, above);
    }
    push(list, k);
    double scale = k != 0 ? fabs(k) : 0x1p-20;
    for (long i = 0; i < per_knot; ++i) {
      double d = ldexp(scale * (1 + next_unit()), -3 - (int)(49 * next_unit()));
      double x = round_to(type, next_random() & 1 ? k - d : k + d);
      if (isfinite(x))
        push(list, x);
    }
  }
}

/* The finite inputs of `type`. */
static List make_inputs(const Type *type) {
  List list = {0};
  double max = type->is_f32 ? FLT_MAX : DBL_MAX;
  double min_normal = type->is_f32 ? FLT_MIN : DBL_MIN;
  double tiny = ldexp(1.0, type->min_exp);
  const double specials[] = {0.0,       max,         min_normal,
                             tiny,      min_normal - tiny,
                             1.0,       0.5,         3.0,
                             6.0,       20.0,        1.702,
                             88.0,      89.0,        104.0,
                             710.0,     746.0,       1e-8,
                             1e-4,      0.01,        0.1};
  for (unsigned i = 0; i < sizeof(specials) / sizeof(specials[0]); ++i) {
    double s = round_to(type, specials[i]);
    double below = type->is_f32 ? nextafterf((float)s, 0) : nextafter(s, 0);
    double above =
        type->is_f32 ? nextafterf((float)s, INFINITY) : nextafter(s, INFINITY);
    const double around[] = {s, below, above};
    for (int j = 0; j < 3; ++j)
      if (isfinite(around[j])) {
        push(&list, around[j]);
        push(&list, -around[j]);
      }
  }
  /* The dense grid. */
  int bits = (int)env_long("ACTC_GRID_BITS", type->is_f32 ? 11 : 8);
  double range = env_double("ACTC_GRID_RANGE", 20);
  long steps = (long)ldexp(range, bits);
  for (long k = -steps; k <= steps; ++k)
    push(&list, ldexp((double)k, -bits));
  /* Every binade, 64 (f32) or 8 (f64) mantissas each. */
  int per_binade = (int)env_long("ACTC_PER_BINADE", type->is_f32 ? 64 : 8);
  for (int e = type->min_exp; e <= type->max_binade; ++e) {
    for (int m = 0; m < per_binade; ++m) {
      double mant = 1.0 + (double)m / per_binade + (double)(m % 7) / 4096.0;
      double x = round_to(type, ldexp(mant, e));
      if (isfinite(x) && x != 0) {
        push(&list, x);
        push(&list, -x);
      }
    }
  }
  /* Random bit patterns. */
  long randoms = env_long("ACTC_RANDOMS", type->is_f32 ? 40000 : 30000);
  for (long i = 0; i < randoms; ++i) {
    uint64_t r = next_random();
    double x;
    if (type->is_f32) {
      uint32_t b = (uint32_t)r;
      float f;
      memcpy(&f, &b, sizeof(f));
      x = f;
    } else {
      memcpy(&x, &r, sizeof(x));
    }
    if (isfinite(x))
      push(&list, x);
  }
  push_dense(type, &list, range);
  return list;
}

/* |y - r| in ULPs of the type at the exact value r. */
static double ulp_error(const Type *type, mpfr_t r, double y, mpfr_t tmp) {
  if (isnan(y))
    return mpfr_nan_p(r) ? 0 : INFINITY;
  if (mpfr_nan_p(r))
    return INFINITY;
  double rounded = type->is_f32 ? mpfr_get_flt(r, MPFR_RNDN)
                                : mpfr_get_d(r, MPFR_RNDN);
  if (isinf(rounded) || isinf(y))
    return rounded == y ? 0 : INFINITY;
  mpfr_sub_d(tmp, r, y, MPFR_RNDN);
  mpfr_abs(tmp, tmp, MPFR_RNDN);
  long ulp_exp = type->min_exp;
  if (!mpfr_zero_p(r)) {
    long e = mpfr_get_exp(r) - 1 - (type->mant_bits - 1);
    if (e > ulp_exp)
      ulp_exp = e;
  }
  mpfr_mul_2si(tmp, tmp, -ulp_exp, MPFR_RNDN);
  return mpfr_get_d(tmp, MPFR_RNDU);
}

/* The worst error seen over a set of inputs. */
typedef struct {
  double max;
  double x, y, ref;
  long count;
} Worst;

static void note(Worst *worst, double err, double x, double y, mpfr_t r) {
  ++worst->count;
  if (err > worst->max || worst->count == 1) {
    worst->max = err;
    worst->x = x;
    worst->y = y;
    worst->ref = mpfr_get_d(r, MPFR_RNDN);
  }
}

static int report(const Type *type, const char *what, const Worst *worst,
                  double budget) {
  int ok = worst->max <= budget;
  int digits = type->is_f32 ? 9 : 17;
  printf("  %-28s max %10.4g ulp (budget %-7g) at x = %a (%.*g): y = %.*g, "
         "exact %.*g%s\n",
         what, worst->max, budget, worst->x, digits, worst->x, digits,
         worst->y, digits, worst->ref, ok ? "" : "   <-- FAIL");
  return !ok;
}

/* Runs the kernel of `act` over `n` inputs, converted to its type. */
static void call_kernel(const Type *type, const Activation *act,
                        const double *x, double *y, size_t n) {
  if (!type->is_f32) {
    act->f64(x, y, (int64_t)n, act->params);
    return;
  }
  float *xf = malloc(n * sizeof(float) + 1);
  float *yf = malloc(n * sizeof(float) + 1);
  for (size_t i = 0; i < n; ++i)
    xf[i] = (float)x[i];
  act->f32(xf, yf, (int64_t)n, act->params);
  for (size_t i = 0; i < n; ++i)
    y[i] = yf[i];
  free(xf);
  free(yf);
}

/* A limit: zeros and infinities exactly (a zero of either sign), other
 * values within 4 ULPs (constants like SELU's scale * alpha round). */
static int same_limit(const Type *type, double y, double want) {
  if (want == 0 || isinf(want))
    return y == want;
  double ulp = ldexp(1.0, ilogb(want) - (type->mant_bits - 1));
  return fabs(y - want) <= 4 * ulp;
}

/* Reports one special-value check: a failure, or, where the table marks it
 * known, an XFAIL (and an XPASS failure once it passes). */
static int check(int ok, int known, const char *label, const char *what,
                 double got, double want) {
  if (ok && !known)
    return 0;
  if (ok) {
    printf("  XPASS %s(%s) = %g now: drop its KNOWN_ flag from the table\n",
           label, what, got);
    return 1;
  }
  printf("  %s %s(%s) = %g, expected %g\n", known ? "XFAIL" : "FAIL", label,
         what, got, want);
  return !known;
}

/* NaN in -> NaN out; the limits at +-inf. */
static int check_specials(const Type *type, const Activation *act,
                          const char *label) {
  double nan_payload, negative_nan = -NAN;
  uint64_t bits = 0x7ff4000000000123ull; /* signalling, with a payload */
  memcpy(&nan_payload, &bits, sizeof(bits));
  double x[5] = {NAN, negative_nan, nan_payload, -INFINITY, INFINITY};
  double y[5];
  call_kernel(type, act, x, y, 5);
  int failures = 0;
  int nan_ok = isnan(y[0]) && isnan(y[1]) && isnan(y[2]);
  double bad_nan = !isnan(y[0]) ? y[0] : !isnan(y[1]) ? y[1] : y[2];
  failures += check(nan_ok, act->known & KNOWN_NAN, label, "NaN",
                    nan_ok ? NAN : bad_nan, NAN);
  failures += check(same_limit(type, y[3], act->at_neg_inf),
                    act->known & KNOWN_NEG_INF, label, "-inf", y[3],
                    act->at_neg_inf);
  failures += check(same_limit(type, y[4], act->at_pos_inf),
                    act->known & KNOWN_POS_INF, label, "+inf", y[4],
                    act->at_pos_inf);
  return failures;
}

/* The worst error per binade of x (ACTC_ACCURACY_PROFILE=1). */
typedef struct {
  double max[2][2200];
  double at[2][2200];
} Profile;

static void profile_note(Profile *profile, double x, double err) {
  if (x == 0 || !(err > 0))
    return;
  int sign = x < 0;
  int binade = ilogb(x) + 1100;
  if (err > profile->max[sign][binade]) {
    profile->max[sign][binade] = err;
    profile->at[sign][binade] = x;
  }
}

static void profile_print(const Type *type, const Profile *profile) {
  for (int sign = 1; sign >= 0; --sign)
    for (int k = 0; k < 2200; ++k) {
      int binade = sign ? 2199 - k : k;
      if (profile->max[sign][binade] > 0)
        printf("    |x| in 2^%-5d (%c): max %10.4g ulp at %.*g\n",
               binade - 1100, sign ? '-' : '+', profile->max[sign][binade],
               type->is_f32 ? 9 : 17, profile->at[sign][binade]);
    }
}

/* True when the exact value is below the smallest normal of the type. */
static int is_tiny(const Type *type, mpfr_t r) {
  if (mpfr_nan_p(r) || mpfr_zero_p(r) || mpfr_inf_p(r))
    return 0;
  return mpfr_get_exp(r) - 1 < type->min_exp + type->mant_bits - 1;
}

static int in_region(const Region *region, double x) {
  return region->lo <= region->hi && x >= region->lo && x <= region->hi;
}

static int measure(const Type *type, const Activation *act, const List *in) {
  const char *label = act->label ? act->label : act->name;
  ReferenceFn ref = reference_lookup(act->name);
  if (!ref) {
    printf("FAIL %s: no reference\n", label);
    return 1;
  }
  double params[2] = {act->params[0], act->params[1]};
  double *y = malloc(in->n * sizeof(double));
  call_kernel(type, act, in->v, y, in->n);
  const char *env = getenv("ACTC_ACCURACY_PROFILE");
  Profile *profile = env && *env == '1' ? calloc(1, sizeof(Profile)) : NULL;

  mpfr_t xm, r, tmp;
  mpfr_inits2(PREC, xm, r, tmp, (mpfr_ptr)0);
  Worst normal = {0}, tiny = {0}, region[2] = {{0}, {0}};
  for (size_t i = 0; i < in->n; ++i) {
    double x = in->v[i];
    mpfr_set_d(xm, x, MPFR_RNDN);
    ref(r, xm, params);
    double err = ulp_error(type, r, y[i], tmp);
    if (profile)
      profile_note(profile, x, err);
    Worst *bucket = is_tiny(type, r) ? &tiny : &normal;
    for (int k = 0; k < 2; ++k)
      if (bucket == &normal && in_region(&act->regions[k], x))
        bucket = &region[k];
    note(bucket, err, x, y[i], r);
  }
  mpfr_clears(xm, r, tmp, (mpfr_ptr)0);
  free(y);

  int f32 = type->is_f32;
  printf("%s %s\n", f32 ? "f32" : "f64", label);
  int failures = check_specials(type, act, label);
  failures += report(type, "normal results", &normal,
                     f32 ? act->budget_f32 : act->budget_f64);
  if (tiny.count)
    failures += report(type, "results below normal", &tiny,
                       f32 ? act->tiny_f32 : act->tiny_f64);
  for (int k = 0; k < 2; ++k) {
    const Region *bad = &act->regions[k];
    if (bad->lo > bad->hi)
      continue;
    char what[64];
    snprintf(what, sizeof(what), "region x in [%g, %g]", bad->lo, bad->hi);
    failures += report(type, what, &region[k],
                       f32 ? bad->budget_f32 : bad->budget_f64);
  }
  if (profile) {
    profile_print(type, profile);
    free(profile);
  }
  return failures;
}

static const Type *parse_type(const char *dtype) {
  if (strcmp(dtype, "f32") == 0)
    return &typeF32;
  if (strcmp(dtype, "f64") == 0)
    return &typeF64;
  fprintf(stderr, "unknown dtype '%s'\n", dtype);
  exit(2);
}

int run_accuracy(const Activation *acts, int count, const char *dtype) {
  const Type *type = parse_type(dtype);
  reference_init();
  List inputs = make_inputs(type);
  printf("%zu inputs per function\n", inputs.n);
  int failures = 0;
  for (int i = 0; i < count; ++i)
    if (selected(acts[i].label, acts[i].name))
      failures += measure(type, &acts[i], &inputs);
  free(inputs.v);
  printf("%d failure(s)\n", failures);
  return failures;
}

/* Row activations. */

enum { ROW_KINDS = 8 };

/* Row `kind` of `cols` elements: a few shapes that stress the max shift,
 * the sum and the tails. */
static void make_row(const Type *type, int kind, long cols, double *x) {
  for (long j = 0; j < cols; ++j) {
    double u = (double)(next_random() >> 11) / 9007199254740992.0; /* [0,1) */
    double v;
    switch (kind) {
    case 0: v = 20 * u - 10; break;           /* moderate */
    case 1: v = 200 * u - 100; break;         /* wide: tiny weights */
    case 2: v = 1e4 + 10 * u; break;          /* exp(x) overflows unshifted */
    case 3: v = -1e4 - 10 * u; break;         /* exp(x) underflows unshifted */
    case 4: v = j == cols / 2 ? 0 : -30 - u; break; /* one dominant element */
    case 5: v = 1.5; break;                   /* all equal */
    case 6: v = j % 3 == 1 ? -INFINITY : 4 * u; break; /* -inf weights */
    default: /* one dominant element, the others' weights summing to less
                than the smallest normal: the dominant log_softmax result
                (-log1p of that sum) and the others' softmax results are
                subnormal */
      v = j == cols / 2
              ? 0
              : log(2.0) * (type->min_exp + (type->mant_bits - 1) * u) -
                    log((double)cols);
      break;
    }
    x[j] = round_to(type, v);
  }
  if (kind == 6)
    x[0] = 0; /* at least one finite element */
}

static void call_row_kernel(const Type *type, const RowActivation *act,
                            const double *x, double *y, long rows, long cols) {
  size_t n = (size_t)(rows * cols);
  if (!type->is_f32) {
    act->f64(x, y, rows, cols);
    return;
  }
  float *xf = malloc(n * sizeof(float) + 1);
  float *yf = malloc(n * sizeof(float) + 1);
  for (size_t i = 0; i < n; ++i)
    xf[i] = (float)x[i];
  act->f32(xf, yf, rows, cols);
  for (size_t i = 0; i < n; ++i)
    y[i] = yf[i];
  free(xf);
  free(yf);
}

static int measure_rows(const Type *type, const RowActivation *act) {
  static const long colsList[] = {1,  2,  3,  4,  7,   8,   9,   15,  16,
                                  17, 31, 32, 33, 63, 100, 257, 1000};
  Worst normal = {0}, tiny = {0}, near = {0};
  const Region *bad = &act->near;
  int failures = 0;
  long repeats = env_long("ACTC_ROW_REPEATS", 1);
  unsigned lists = sizeof(colsList) / sizeof(colsList[0]);
  for (long c = 0; c < repeats * (long)lists; ++c) {
    long cols = colsList[c % lists];
    long rows = ROW_KINDS + 1; /* the last row holds a NaN */
    double *x = malloc(rows * cols * sizeof(double));
    double *y = malloc(rows * cols * sizeof(double));
    for (int kind = 0; kind < ROW_KINDS; ++kind)
      make_row(type, kind, cols, x + kind * cols);
    make_row(type, 0, cols, x + ROW_KINDS * cols);
    x[ROW_KINDS * cols + cols / 2] = NAN;
    call_row_kernel(type, act, x, y, rows, cols);

    mpfr_t *r = malloc(cols * sizeof(mpfr_t));
    mpfr_t tmp;
    mpfr_init2(tmp, PREC);
    for (long j = 0; j < cols; ++j)
      mpfr_init2(r[j], PREC);
    for (int kind = 0; kind < ROW_KINDS; ++kind) {
      const double *xr = x + kind * cols;
      const double *yr = y + kind * cols;
      reference_softmax_row(r, xr, cols, act->log);
      for (long j = 0; j < cols; ++j) {
        double err = ulp_error(type, r[j], yr[j], tmp);
        double exact = mpfr_get_d(r[j], MPFR_RNDN);
        if (is_tiny(type, r[j]))
          note(&tiny, err, xr[j], yr[j], r[j]);
        else if (in_region(bad, exact))
          note(&near, err, xr[j], yr[j], r[j]);
        else
          note(&normal, err, xr[j], yr[j], r[j]);
      }
    }
    for (long j = 0; j < cols; ++j) {
      mpfr_clear(r[j]);
      if (!isnan(y[ROW_KINDS * cols + j])) {
        printf("  FAIL %s: a row holding a NaN gave %g at column %ld of %ld\n",
               act->label, y[ROW_KINDS * cols + j], j, cols);
        ++failures;
        break;
      }
    }
    mpfr_clear(tmp);
    free(r);
    free(x);
    free(y);
  }
  printf("%s %s\n", type->is_f32 ? "f32" : "f64", act->label);
  int f32 = type->is_f32;
  failures += report(type, "normal results", &normal,
                     f32 ? act->budget_f32 : act->budget_f64);
  if (tiny.count)
    failures += report(type, "results below normal", &tiny,
                       f32 ? act->tiny_f32 : act->tiny_f64);
  if (bad->lo <= bad->hi) {
    char what[64];
    snprintf(what, sizeof(what), "results in [%g, %g]", bad->lo, bad->hi);
    failures += report(type, what, &near, f32 ? bad->budget_f32 : bad->budget_f64);
  }
  return failures;
}

int run_row_accuracy(const RowActivation *acts, int count, const char *dtype) {
  const Type *type = parse_type(dtype);
  reference_init();
  int failures = 0;
  for (int i = 0; i < count; ++i)
    if (selected(acts[i].label, NULL))
      failures += measure_rows(type, &acts[i]);
  printf("%d failure(s)\n", failures);
  return failures;
}
