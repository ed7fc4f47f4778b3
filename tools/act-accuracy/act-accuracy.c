/* act-accuracy - measures a compiled f32 kernel over every float32 input.
 *
 *   act-accuracy [options] [KERNELS.so] NAME
 *
 * Calls NAME_f32 (or NAME_grad_f32 with dy = 1 for --grad) on all 2^32 bit
 * patterns (or every N-th with --stride N) on all CPUs, and prints the
 * largest error in ULPs with its input, how many results are over 0.5, 1, 2
 * and 4 ULPs, and the wrong special values (a NaN in that does not give a
 * NaN, a NaN out where the value exists, an infinity where it is finite or
 * the reverse, and the limits at +-inf). An ULP is the spacing of float32 at
 * the exact value: 2^(e - 23), and 2^-149 below the normal range.
 *
 * Each input is first compared against a long double reference; inputs
 * whose error comes within 0.01 ULP of the worst one seen are measured
 * again against MPFR (128 bits; for --grad, a central difference at 320
 * bits), so the printed maximum and its input are MPFR's. Kernels are
 * looked up in KERNELS.so, or in the program itself (link the object and
 * -rdynamic); --ref names the reference when it differs from NAME (a
 * spec's `act my_exp(x) = exp(x)` is measured with --ref exp). --grad skips
 * the kinks of f (one-sided differences that disagree: no derivative is
 * the right one there) and counts them; --min-abs V leaves results with
 * |exact| < V out of the error statistics (near a zero of f' any rounding
 * is a large relative error: the grad goal counts |f'| >= 2^-20 only).
 * Exits 1 when --max-ulp is exceeded or a special value is wrong
 * (--max-ulp only).
 */

#include "act-accuracy.h"
#include "reference.h"

#include <dlfcn.h>
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef void (*Fwd0)(const float *, float *, int64_t);
typedef void (*Fwd1)(const float *, float *, int64_t, float);
typedef void (*Grad0)(const float *, const float *, float *, int64_t);
typedef void (*Grad1)(const float *, const float *, float *, int64_t, float,
                      float *);

enum { BLOCK = 4096 };

static struct {
  const char *name;
  void *kernel;
  int grad, nparams, threads;
  double minAbs;
  uint64_t stride, offset, count;
  double params[2];
  LongDoubleFn ld;
  MpfrFn mp;
} opt;

typedef struct {
  double max;
  float x, y;
  double exact;
  uint64_t over[4]; /* > 0.5, 1, 2, 4 ULP */
  uint64_t inputs, wrongNaN, wrongInf;
  uint64_t kinks, belowFloor; /* --grad: skipped non-differentiable x; and
                                 results under --min-abs */
  float firstWrong;
  int haveWrong;
} Stats;

static int next_block(uint64_t *block) {
  static uint64_t next;
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_lock(&lock);
  *block = next;
  uint64_t blocks = (opt.count + BLOCK - 1) / BLOCK;
  int ok = next < blocks;
  if (ok)
    ++next;
  pthread_mutex_unlock(&lock);
  return ok;
}

static void call(const float *x, float *y, int64_t n, float *ones) {
  float p = (float)opt.params[0], dp;
  if (!opt.grad) {
    if (opt.nparams)
      ((Fwd1)opt.kernel)(x, y, n, p);
    else
      ((Fwd0)opt.kernel)(x, y, n);
  } else if (opt.nparams) {
    ((Grad1)opt.kernel)(x, ones, y, n, p, &dp);
  } else {
    ((Grad0)opt.kernel)(x, ones, y, n);
  }
}

/* The exact value at x in long double (for --grad, f'(x) by a central
 * difference). */
static long double reference_ld(float x) {
  if (!opt.grad)
    return opt.ld((long double)x, opt.params);
  long double ax = fabsl((long double)x);
  long double h = (ax > 0x1p-100L ? ax : 0x1p-100L) * 0x1p-21L;
  return (opt.ld(x + h, opt.params) - opt.ld(x - h, opt.params)) / (2 * h);
}

/* --grad: 1 when f has a kink at x (relu at 0, hardtanh at +-1), where no
 * derivative is the right one: one-sided differences over h = 2^-24
 * max(|x|, 2^-20) that differ by more than 10% and 2^-20 (the prelude's
 * kinks jump by 0.16 or more; curvature and long double rounding move a
 * smooth f's differences far less where |f'| >= 2^-20). */
static int is_kink(float x) {
  long double ax = fabsl((long double)x);
  long double h = (ax > 0x1p-20L ? ax : 0x1p-20L) * 0x1p-24L;
  long double f0 = opt.ld(x, opt.params);
  long double left = (f0 - opt.ld(x - h, opt.params)) / h;
  long double right = (opt.ld(x + h, opt.params) - f0) / h;
  long double jump = fabsl(left - right);
  return jump > 0.1L * (fabsl(left) + fabsl(right)) && jump > 0x1p-20L;
}

/* The exact value at x rounded to a double (MPFR). */
static double reference_mpfr(float x, mpfr_t r, mpfr_t xm, mpfr_t t) {
  if (!opt.grad) {
    mpfr_set_flt(xm, x, MPFR_RNDN);
    opt.mp(r, xm, opt.params);
    return mpfr_get_d(r, MPFR_RNDN);
  }
  /* (f(x + h) - f(x - h)) / 2h at 320 bits, h = 2^-100 |x|. */
  int e = x == 0 ? -250 : ilogbf(x) - 100;
  if (e < -400)
    e = -400;
  mpfr_set_flt(xm, x, MPFR_RNDN);
  mpfr_set_ui_2exp(t, 1, e, MPFR_RNDN);
  mpfr_add(xm, xm, t, MPFR_RNDN);
  opt.mp(r, xm, opt.params);
  mpfr_swap(r, t); /* t = f(x + h) */
  mpfr_set_flt(xm, x, MPFR_RNDN);
  mpfr_set_ui_2exp(r, 1, e, MPFR_RNDN);
  mpfr_sub(xm, xm, r, MPFR_RNDN);
  opt.mp(r, xm, opt.params); /* r = f(x - h) */
  mpfr_sub(r, t, r, MPFR_RNDN);
  mpfr_div_2si(r, r, e + 1, MPFR_RNDN);
  return mpfr_get_d(r, MPFR_RNDN);
}

/* |y - exact| in ULPs of float32 at the exact value. */
static double ulps(float y, long double exact) {
  long double a = fabsl(exact);
  int e = a == 0 ? -126 : ilogbl(a);
  if (e < -126)
    e = -126;
  return (double)(fabsl((long double)y - exact) / ldexpl(1.0L, e - 23));
}

/* Checks a non-finite case; returns 1 when it is wrong. */
static int wrong_special(Stats *s, float x, float y, long double exact) {
  int wrong = 0;
  if (isnan(exact) != isnan(y)) {
    ++s->wrongNaN;
    wrong = 1;
  } else if (!isnan(exact) && (isinf((float)exact) || isinf(y)) &&
             (float)exact != y) {
    ++s->wrongInf;
    wrong = 1;
  }
  if (wrong && !s->haveWrong) {
    s->haveWrong = 1;
    s->firstWrong = x;
  }
  return wrong;
}

static void *worker(void *arg) {
  Stats *s = arg;
  reference_init();
  mpfr_t r, xm, t;
  mpfr_prec_t prec = opt.grad ? 320 : 128;
  mpfr_inits2(prec, r, xm, t, (mpfr_ptr)0);
  float *x = malloc(BLOCK * sizeof(float));
  float *y = malloc(BLOCK * sizeof(float));
  float *ones = malloc(BLOCK * sizeof(float));
  for (int i = 0; i < BLOCK; ++i)
    ones[i] = 1;
  uint64_t block;
  while (next_block(&block)) {
    uint64_t first = block * BLOCK;
    int n = (int)(opt.count - first < BLOCK ? opt.count - first : BLOCK);
    for (int i = 0; i < n; ++i) {
      uint32_t bits = (uint32_t)(opt.offset + (first + i) * opt.stride);
      memcpy(&x[i], &bits, sizeof(float));
    }
    call(x, y, n, ones);
    for (int i = 0; i < n; ++i) {
      float xi = x[i], yi = y[i];
      ++s->inputs;
      if (isnan(xi)) {
        wrong_special(s, xi, yi, NAN);
        continue;
      }
      if (isinf(xi)) {
        if (!opt.grad) /* the limit: f at +-1e4000 in long double */
          wrong_special(s, xi, yi, opt.ld(xi > 0 ? 1e4000L : -1e4000L,
                                          opt.params));
        continue;
      }
      if (opt.grad && is_kink(xi)) {
        ++s->kinks;
        continue;
      }
      long double exact = reference_ld(xi);
      if (!isfinite(exact) || !isfinite(yi) || isinf((float)exact)) {
        wrong_special(s, xi, yi, exact);
        continue;
      }
      if (fabsl(exact) < opt.minAbs) {
        ++s->belowFloor;
        continue;
      }
      double err = ulps(yi, exact);
      if (err > s->max - 0.01 || err > 0.45) {
        long double precise = reference_mpfr(xi, r, xm, t);
        if (isinf((float)precise)) {
          wrong_special(s, xi, yi, precise);
          continue;
        }
        err = ulps(yi, precise);
        exact = precise;
      }
      s->over[0] += err > 0.5;
      s->over[1] += err > 1;
      s->over[2] += err > 2;
      s->over[3] += err > 4;
      if (err > s->max) {
        s->max = err;
        s->x = xi;
        s->y = yi;
        s->exact = (double)exact;
      }
    }
  }
  mpfr_clears(r, xm, t, (mpfr_ptr)0);
  free(x);
  free(y);
  free(ones);
  return NULL;
}

static int usage(void) {
  fprintf(stderr,
          "usage: act-accuracy [--grad] [--stride N] [--offset K] "
          "[--threads T] [--param V] [--ref REFERENCE] [--max-ulp B] "
          "[--min-abs V] "
          "[KERNELS.so] NAME\n");
  return 2;
}

int main(int argc, char **argv) {
  double maxUlp = -1;
  const char *library = NULL, *refName = NULL;
  opt.stride = 1;
  opt.threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
  opt.params[0] = 1;
  for (int i = 1; i < argc; ++i) {
    const char *a = argv[i];
    if (!strcmp(a, "--grad"))
      opt.grad = 1;
    else if (!strcmp(a, "--stride") && i + 1 < argc)
      opt.stride = strtoull(argv[++i], NULL, 0);
    else if (!strcmp(a, "--offset") && i + 1 < argc)
      opt.offset = strtoull(argv[++i], NULL, 0);
    else if (!strcmp(a, "--threads") && i + 1 < argc)
      opt.threads = atoi(argv[++i]);
    else if (!strcmp(a, "--param") && i + 1 < argc)
      /* the kernel gets a float: so does the reference */
      opt.params[0] = (float)atof(argv[++i]), opt.nparams = 1;
    else if (!strcmp(a, "--ref") && i + 1 < argc)
      refName = argv[++i];
    else if (!strcmp(a, "--min-abs") && i + 1 < argc)
      opt.minAbs = atof(argv[++i]);
    else if (!strcmp(a, "--max-ulp") && i + 1 < argc)
      maxUlp = atof(argv[++i]);
    else if (a[0] == '-')
      return usage();
    else if (strstr(a, ".so"))
      library = a;
    else
      opt.name = a;
  }
  if (!opt.name || opt.stride == 0 || opt.threads < 1)
    return usage();
  opt.count = ((1ull << 32) + opt.stride - 1) / opt.stride;
  if (!refName)
    refName = opt.name;
  opt.ld = longdouble_lookup(refName);
  opt.mp = mpfr_lookup(refName);
  if (!opt.ld || !opt.mp) {
    fprintf(stderr, "act-accuracy: no reference for '%s'\n", opt.name);
    return 2;
  }
  void *handle = library ? dlopen(library, RTLD_NOW) : RTLD_DEFAULT;
  if (!handle) {
    fprintf(stderr, "act-accuracy: %s\n", dlerror());
    return 2;
  }
  char symbol[256];
  snprintf(symbol, sizeof(symbol), "%s_%sf32", opt.name,
           opt.grad ? "grad_" : "");
  opt.kernel = dlsym(handle, symbol);
  if (!opt.kernel) {
    fprintf(stderr, "act-accuracy: no kernel '%s'\n", symbol);
    return 2;
  }

  Stats *stats = calloc(opt.threads, sizeof(Stats));
  pthread_t *threads = calloc(opt.threads, sizeof(pthread_t));
  for (int t = 0; t < opt.threads; ++t)
    pthread_create(&threads[t], NULL, worker, &stats[t]);
  Stats all = {0};
  for (int t = 0; t < opt.threads; ++t) {
    pthread_join(threads[t], NULL);
    Stats *s = &stats[t];
    if (s->max > all.max || t == 0) {
      all.max = s->max;
      all.x = s->x;
      all.y = s->y;
      all.exact = s->exact;
    }
    for (int k = 0; k < 4; ++k)
      all.over[k] += s->over[k];
    all.inputs += s->inputs;
    all.wrongNaN += s->wrongNaN;
    all.wrongInf += s->wrongInf;
    all.kinks += s->kinks;
    all.belowFloor += s->belowFloor;
    if (s->haveWrong && !all.haveWrong)
      all.haveWrong = 1, all.firstWrong = s->firstWrong;
  }
  printf("%s%s f32: max %.4f ulp at x = %a (%.9g): got %.9g, exact %.17g\n",
         opt.name, opt.grad ? "_grad" : "", all.max, all.x, all.x, all.y,
         all.exact);
  printf("  inputs %llu (stride %llu), over 0.5 ulp %llu, over 1 ulp %llu, "
         "over 2 ulp %llu, over 4 ulp %llu\n",
         (unsigned long long)all.inputs, (unsigned long long)opt.stride,
         (unsigned long long)all.over[0], (unsigned long long)all.over[1],
         (unsigned long long)all.over[2], (unsigned long long)all.over[3]);
  if (opt.grad || opt.minAbs > 0)
    printf("  skipped: %llu kinks, %llu with |exact| < %g\n",
           (unsigned long long)all.kinks, (unsigned long long)all.belowFloor,
           opt.minAbs);
  printf("  wrong specials: %llu NaN, %llu inf",
         (unsigned long long)all.wrongNaN, (unsigned long long)all.wrongInf);
  if (all.haveWrong)
    printf(" (first at x = %a)", all.firstWrong);
  printf("\n");
  if (maxUlp >= 0 && (all.max > maxUlp || all.wrongNaN || all.wrongInf)) {
    printf("FAIL: over the bound of %g ulp or a wrong special value\n",
           maxUlp);
    return 1;
  }
  return 0;
}
