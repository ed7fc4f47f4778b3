/* act-row-accuracy - measures a compiled row kernel (softmax, log_softmax,
 * forward or grad) on sampled rows against MPFR.
 *
 *   act-row-accuracy [--quick] [--max-ulp V] KERNELS.so KERNEL
 *
 * KERNEL is softmax_f32, softmax_grad_f64, log_softmax_f32, ... (ABI.md's
 * row kernels); a grad also needs the forward kernel of the same dtype in
 * KERNELS.so, whose output is the grad's y. A sample, not every input: rows
 * of 1, 2, 3, 7, 16, 33, 100, 1000 and 32000 columns (--quick: up to 1000,
 * a quarter of the rows), of the kinds in `kinds` below (small to ~200
 * apart, one dominant element, -inf entries, huge and tiny values, ties,
 * underflowing weights), from a fixed xorshift seed. The reference is
 * test/Inputs/reference.c's reference_softmax_row (the row's max-shifted
 * softmax or log_softmax, 160 bits) for the forward kernels; for the grads,
 * from the kernel's own inputs y (the forward kernel's output) and dy:
 *
 *   softmax:     dx_j = y_j (dy_j - s),    s = sum_k dy_k y_k
 *   log_softmax: dx_j = dy_j - exp(y_j) S, S = sum_k dy_k
 *
 * with dy uniform in [-1, 1] (even rows; for softmax every 8th row from
 * the 7th holds one +inf, whose row's dx must be the exact +-inf or NaN) or
 * one-hot (odd rows). A grad
 * output whose exact value is below 2^-20 of its two terms (y_j |dy_j| +
 * y_j |s|, or |dy_j| + exp(y_j) |S|) is a cancellation of the row's own
 * inputs, where any rounding of the inputs is a large relative error: it is
 * counted and left out of the maximum, as act-accuracy --min-abs leaves out
 * |f'| < 2^-20.
 *
 * Prints the largest error in ULPs (the spacing of the kernel's type at the
 * exact value; 2^-149 / 2^-1074 below the normal range) with the row it
 * came from, the counts over 0.5 and 1 ULP, the largest error among results
 * below the normal range, and the wrong special values (a NaN or infinity
 * where the value is finite or the reverse, a row holding a NaN that does
 * not give NaN: forward kernels get one such row per row length). Exits 1
 * when --max-ulp is exceeded or a special value is wrong.
 */

#include "reference.h"

#include <dlfcn.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*Row32)(const float *, float *, int64_t, int64_t);
typedef void (*Row64)(const double *, double *, int64_t, int64_t);
typedef void (*Grad32)(const float *, const float *, float *, int64_t,
                       int64_t);
typedef void (*Grad64)(const double *, const double *, double *, int64_t,
                       int64_t);

enum { PREC = 160 };

static struct {
  int f32, log, grad, quick;
  void *forward, *gradient;
} opt;

static uint64_t state = 0x9e3779b97f4a7c15u;
static double uniform(void) { /* [0, 1) */
  state ^= state << 13;
  state ^= state >> 7;
  state ^= state << 17;
  return (double)(state >> 11) * 0x1p-53;
}

static double round_to_type(double v) { return opt.f32 ? (float)v : v; }

/* The row kinds: x[j] for a row of `cols`. */
typedef struct {
  const char *what;
  double (*value)(long j, long cols);
} Kind;

static double k_small(long j, long c) { (void)j, (void)c; return 2 * uniform() - 1; }
static double k_moderate(long j, long c) { (void)j, (void)c; return 20 * uniform() - 10; }
static double k_wide(long j, long c) { (void)j, (void)c; return 200 * uniform() - 100; }
static double k_dominant(long j, long c) {
  return j == c / 2 ? 0 : -20 - 10 * uniform();
}
static double k_neg_inf(long j, long c) {
  (void)c;
  return j % 3 == 1 ? -INFINITY : 10 * uniform() - 5;
}
static double k_offset(long j, long c) { (void)j, (void)c; return 1e4 + 10 * uniform(); }
static double k_huge(long j, long c) {
  (void)j, (void)c;
  return (2 * uniform() - 1) * (opt.f32 ? FLT_MAX : DBL_MAX);
}
static double k_tiny(long j, long c) {
  (void)j, (void)c;
  /* Around the smallest normal, subnormals included. */
  return (2 * uniform() - 1) * 4 * (opt.f32 ? FLT_MIN : DBL_MIN);
}
static double k_equal(long j, long c) { (void)j, (void)c; return 1.5; }
static double k_underflow(long j, long c) {
  (void)j, (void)c;
  return -1000 * uniform(); /* weights down to e^-1000: tiny results */
}
static double k_one_finite(long j, long c) {
  return j == (c * 5) / 7 ? 3 * uniform() : -INFINITY;
}
static double k_cluster(long j, long c) {
  (void)j, (void)c;
  return 3 + 0x1p-8 * uniform(); /* x - max small, rounded near the max */
}

static double k_subnormal_rest(long j, long c) {
  /* One 0, the others' weights summing below the smallest normal: the
     dominant log_softmax result, -log1p(sum), is subnormal. */
  double minExp = opt.f32 ? FLT_MIN_EXP : DBL_MIN_EXP;
  double digits = opt.f32 ? FLT_MANT_DIG : DBL_MANT_DIG;
  return j == c / 2 ? 0
                    : log(2.0) * (minExp - 1 + (digits - 1) * uniform()) -
                          log((double)c);
}

static const Kind kinds[] = {
    {"uniform [-1, 1]", k_small},
    {"uniform [-10, 10]", k_moderate},
    {"uniform [-100, 100]", k_wide},
    {"one 0, the rest in [-30, -20]", k_dominant},
    {"every 3rd -inf, the rest in [-5, 5]", k_neg_inf},
    {"1e4 + [0, 10]", k_offset},
    {"huge: +-[0, max finite]", k_huge},
    {"tiny: +-[0, 4 min normal], subnormals", k_tiny},
    {"all 1.5", k_equal},
    {"uniform [-1000, 0]", k_underflow},
    {"-inf but one in [0, 3]", k_one_finite},
    {"3 + [0, 2^-8]", k_cluster},
    {"one 0, the rest's weights below min normal", k_subnormal_rest},
};
enum { KINDS = sizeof(kinds) / sizeof(kinds[0]) };

typedef struct {
  double err;
  long cols, row, col;
  int kind;
  double x, y, dy, got, exact;
} Worst;

typedef struct {
  Worst all, tiny;
  uint64_t results, over05, over1, tinyCount, leftOut, wrong;
  char firstWrong[256];
} Stats;

/* The kernel's type's ULP at `exact`, as a power of two exponent. */
static long ulp_exponent(const mpfr_t exact) {
  int precision = opt.f32 ? 24 : 53, emin = opt.f32 ? -126 : -1022;
  if (mpfr_zero_p(exact))
    return emin - precision + 1;
  long e = mpfr_get_exp(exact) - 1; /* |exact| in [2^e, 2^(e+1)) */
  if (e < emin)
    e = emin;
  return e - precision + 1;
}

/* |got - exact| in ULPs; -1 when one is not finite and they differ, 0 when
 * both are the same infinity. */
static double ulp_error(double got, const mpfr_t exact, mpfr_t tmp) {
  if (!mpfr_number_p(exact) || !isfinite(got)) {
    /* The same infinity, or the one an exact value beyond the type's range
     * rounds to. */
    double rounded = mpfr_get_d(exact, MPFR_RNDN);
    if (opt.f32)
      rounded = (float)rounded;
    if ((isinf(got) && rounded == got) || (isnan(got) && isnan(rounded)))
      return 0;
    return -1;
  }
  mpfr_set_d(tmp, got, MPFR_RNDN);
  mpfr_sub(tmp, tmp, exact, MPFR_RNDN);
  mpfr_abs(tmp, tmp, MPFR_RNDN);
  mpfr_mul_2si(tmp, tmp, -ulp_exponent(exact), MPFR_RNDN);
  return mpfr_get_d(tmp, MPFR_RNDU);
}

static int is_tiny(const mpfr_t exact) {
  if (!mpfr_regular_p(exact))
    return 0;
  return mpfr_get_exp(exact) - 1 < (opt.f32 ? -126 : -1022);
}

static void note(Worst *w, double err, long cols, int kind, long row,
                 long col, double x, double y, double dy, double got,
                 const mpfr_t exact) {
  if (err <= w->err && w->cols)
    return;
  *w = (Worst){err, cols, row, col, kind, x, y, dy, got,
               mpfr_get_d(exact, MPFR_RNDN)};
}

/* Runs the forward kernel (or, for a grad, forward then grad) on `rows`
 * rows of `cols` in x (and dy), leaving the kernel's result in out and, for
 * a grad, the forward output in y. */
static void run_kernels(const double *x, const double *dy, double *y,
                        double *out, long rows, long cols) {
  size_t n = (size_t)(rows * cols);
  if (!opt.f32) {
    ((Row64)opt.forward)(x, y, rows, cols);
    if (opt.grad)
      ((Grad64)opt.gradient)(y, dy, out, rows, cols);
    else
      memcpy(out, y, n * sizeof(double));
    return;
  }
  float *xf = malloc(n * sizeof(float) + 1), *yf = malloc(n * sizeof(float) + 1);
  float *dyf = malloc(n * sizeof(float) + 1), *of = malloc(n * sizeof(float) + 1);
  for (size_t i = 0; i < n; ++i) {
    xf[i] = (float)x[i];
    dyf[i] = (float)dy[i];
  }
  ((Row32)opt.forward)(xf, yf, rows, cols);
  if (opt.grad)
    ((Grad32)opt.gradient)(yf, dyf, of, rows, cols);
  for (size_t i = 0; i < n; ++i) {
    y[i] = yf[i];
    out[i] = opt.grad ? of[i] : yf[i];
  }
  free(xf);
  free(yf);
  free(dyf);
  free(of);
}

/* The exact gradient of one row from its inputs y and dy, and each
 * output's scale (its two terms' magnitudes). */
static void reference_grad_row(mpfr_t *dx, double *scale, const double *y,
                               const double *dy, long cols) {
  mpfr_t s, t, p;
  mpfr_inits2(2 * PREC, s, t, p, (mpfr_ptr)0);
  mpfr_set_zero(s, 1);
  for (long j = 0; j < cols; ++j) {
    if (opt.log) {
      mpfr_add_d(s, s, dy[j], MPFR_RNDN);
    } else {
      mpfr_set_d(t, y[j], MPFR_RNDN);
      mpfr_mul_d(t, t, dy[j], MPFR_RNDN);
      mpfr_add(s, s, t, MPFR_RNDN);
    }
  }
  double sd = fabs(mpfr_get_d(s, MPFR_RNDN));
  for (long j = 0; j < cols; ++j) {
    if (opt.log) {
      mpfr_set_d(p, y[j], MPFR_RNDN);
      mpfr_exp(p, p, MPFR_RNDN);
      mpfr_mul(t, p, s, MPFR_RNDN);
      scale[j] = fabs(dy[j]) + fabs(mpfr_get_d(t, MPFR_RNDN));
      mpfr_d_sub(dx[j], dy[j], t, MPFR_RNDN);
    } else {
      mpfr_d_sub(t, dy[j], s, MPFR_RNDN);
      mpfr_mul_d(dx[j], t, y[j], MPFR_RNDN);
      scale[j] = fabs(y[j]) * (fabs(dy[j]) + sd);
    }
  }
  mpfr_clears(s, t, p, (mpfr_ptr)0);
}

static void measure(Stats *st, int kind, long cols, long rows) {
  size_t n = (size_t)(rows * cols);
  double *x = malloc(n * sizeof(double)), *dy = malloc(n * sizeof(double));
  double *y = malloc(n * sizeof(double)), *out = malloc(n * sizeof(double));
  double *scale = malloc(cols * sizeof(double));
  for (long r = 0; r < rows; ++r) {
    for (long j = 0; j < cols; ++j)
      x[r * cols + j] = round_to_type(kinds[kind].value(j, cols));
    long hot = (r * 7919 + 3) % cols;
    for (long j = 0; j < cols; ++j)
      dy[r * cols + j] =
          r % 2 ? (j == hot ? 1 : 0) : round_to_type(2 * uniform() - 1);
    /* softmax: an infinite dy; dx is +-inf or NaN (0 * inf). Not for
     * log_softmax, whose dy - exp(y) * inf is NaN wherever exp(y)
     * underflows to 0 (y < -745 in f64) while the exact value is -inf. */
    if (r % 8 == 6 && !opt.log)
      dy[r * cols + hot] = INFINITY;
  }
  run_kernels(x, dy, y, out, rows, cols);

  mpfr_t *ref = malloc(cols * sizeof(mpfr_t));
  mpfr_t tmp;
  mpfr_init2(tmp, 2 * PREC);
  for (long j = 0; j < cols; ++j)
    mpfr_init2(ref[j], PREC);
  for (long r = 0; r < rows; ++r) {
    const double *xr = x + r * cols, *yr = y + r * cols,
                 *dyr = dy + r * cols, *got = out + r * cols;
    if (opt.grad)
      reference_grad_row(ref, scale, yr, dyr, cols);
    else
      reference_softmax_row(ref, xr, cols, opt.log);
    for (long j = 0; j < cols; ++j) {
      double err = ulp_error(got[j], ref[j], tmp);
      if (err < 0) {
        if (st->wrong++ == 0)
          snprintf(st->firstWrong, sizeof(st->firstWrong),
                   "%s (cols %ld, %s, row %ld, column %ld): x = %a, dy = %a, "
                   "got %a, exact %a",
                   opt.grad ? "grad" : "forward", cols, kinds[kind].what, r, j,
                   xr[j], dyr[j], got[j], mpfr_get_d(ref[j], MPFR_RNDN));
        continue;
      }
      if (opt.grad && mpfr_number_p(ref[j])) {
        mpfr_abs(tmp, ref[j], MPFR_RNDN);
        if (mpfr_cmp_d(tmp, scale[j] * 0x1p-20) < 0 && scale[j] > 0) {
          ++st->leftOut;
          continue;
        }
      }
      ++st->results;
      st->over05 += err > 0.5;
      st->over1 += err > 1;
      if (is_tiny(ref[j])) {
        ++st->tinyCount;
        note(&st->tiny, err, cols, kind, r, j, xr[j], yr[j], dyr[j], got[j],
             ref[j]);
      }
      note(&st->all, err, cols, kind, r, j, xr[j], yr[j], dyr[j], got[j],
           ref[j]);
    }
  }
  for (long j = 0; j < cols; ++j)
    mpfr_clear(ref[j]);
  mpfr_clear(tmp);
  free(ref);

  /* A NaN makes its row NaN (forward kernels). */
  if (!opt.grad && kind == 0) {
    for (long j = 0; j < cols; ++j)
      x[j] = round_to_type(2 * uniform() - 1);
    x[cols / 2] = NAN;
    run_kernels(x, dy, y, out, 1, cols);
    for (long j = 0; j < cols; ++j)
      if (!isnan(out[j]) && st->wrong++ == 0)
        snprintf(st->firstWrong, sizeof(st->firstWrong),
                 "a row of %ld holding a NaN gave %a at column %ld", cols,
                 out[j], j);
  }
  free(x);
  free(dy);
  free(y);
  free(out);
  free(scale);
}

static void print_worst(const char *what, const Worst *w) {
  printf("  %s: max %.4f ULP at cols %ld, row kind '%s' (row %ld), column "
         "%ld: x = %a",
         what, w->err, w->cols, kinds[w->kind].what, w->row, w->col, w->x);
  if (opt.grad)
    printf(", y = %a, dy = %a", w->y, w->dy);
  printf(": got %a, exact %a\n", w->got, w->exact);
}

int main(int argc, char **argv) {
  double maxUlp = -1;
  int i = 1;
  for (; i < argc && argv[i][0] == '-'; ++i) {
    if (strcmp(argv[i], "--quick") == 0) {
      opt.quick = 1;
    } else if (strcmp(argv[i], "--max-ulp") == 0 && i + 1 < argc) {
      maxUlp = atof(argv[++i]);
    } else {
      fprintf(stderr, "act-row-accuracy: unknown option '%s'\n", argv[i]);
      return 2;
    }
  }
  if (argc - i != 2) {
    fprintf(stderr,
            "usage: act-row-accuracy [--quick] [--max-ulp V] KERNELS.so "
            "KERNEL\n");
    return 2;
  }
  const char *library = argv[i], *name = argv[i + 1];
  size_t len = strlen(name);
  if (len < 5 || (strcmp(name + len - 4, "_f32") != 0 &&
                  strcmp(name + len - 4, "_f64") != 0) ||
      (strncmp(name, "softmax", 7) != 0 &&
       strncmp(name, "log_softmax", 11) != 0)) {
    fprintf(stderr,
            "act-row-accuracy: '%s' is not a softmax or log_softmax kernel "
            "(NAME[_grad]_f32 or _f64)\n",
            name);
    return 2;
  }
  opt.f32 = strcmp(name + len - 4, "_f32") == 0;
  opt.log = strncmp(name, "log_", 4) == 0;
  opt.grad = strstr(name, "_grad_") != NULL;
  void *handle = dlopen(library, RTLD_NOW);
  if (!handle) {
    fprintf(stderr, "act-row-accuracy: %s\n", dlerror());
    return 2;
  }
  char forward[256];
  snprintf(forward, sizeof(forward), "%s_%s", opt.log ? "log_softmax" : "softmax",
           opt.f32 ? "f32" : "f64");
  opt.forward = dlsym(handle, forward);
  opt.gradient = opt.grad ? dlsym(handle, name) : NULL;
  if (!opt.forward || (opt.grad && !opt.gradient)) {
    fprintf(stderr, "act-row-accuracy: no kernel '%s'\n",
            opt.forward ? name : forward);
    return 2;
  }

  reference_init();
  static const long colsList[] = {1, 2, 3, 7, 16, 33, 100, 1000, 32000};
  Stats st;
  memset(&st, 0, sizeof(st));
  for (unsigned c = 0; c < sizeof(colsList) / sizeof(colsList[0]); ++c) {
    long cols = colsList[c];
    if (opt.quick && cols > 1000)
      continue;
    long rows = cols <= 33 ? 64 : cols <= 100 ? 32 : cols <= 1000 ? 8 : 1;
    if (opt.quick)
      rows = (rows + 3) / 4;
    for (int kind = 0; kind < KINDS; ++kind)
      measure(&st, kind, cols, rows);
  }

  printf("%s: max %.4f ULP (%s rows: a sample, not every input)\n", name,
         st.all.err, opt.quick ? "quick" : "sampled");
  print_worst("worst", &st.all);
  printf("  results %llu, over 0.5 ULP %llu, over 1 ULP %llu\n",
         (unsigned long long)st.results, (unsigned long long)st.over05,
         (unsigned long long)st.over1);
  if (st.tinyCount)
    print_worst("results below normal", &st.tiny);
  if (opt.grad)
    printf("  left out (|dx| < 2^-20 of its terms): %llu\n",
           (unsigned long long)st.leftOut);
  printf("  wrong specials %llu\n", (unsigned long long)st.wrong);
  if (st.wrong)
    printf("  first: %s\n", st.firstWrong);
  int fail = st.wrong != 0 || (maxUlp >= 0 && !(st.all.err <= maxUlp));
  if (fail && maxUlp >= 0)
    printf("FAIL: over --max-ulp %g or wrong specials\n", maxUlp);
  return fail;
}
