/* act-accuracy - measures a compiled f32 kernel over every float32 input.
 *
 *   act-accuracy [options] [KERNELS.so] NAME
 *
 * Calls NAME_f32 (or NAME_grad_f32 with dy = 1 for --grad) on all 2^32 bit
 * patterns (or every N-th with --stride N, from bit pattern --offset K,
 * at most --count C of them) on all CPUs, and prints the
 * largest error in ULPs with its input, how many results are over 0.5, 1, 2
 * and 4 ULPs, and the wrong special values (a NaN in that does not give a
 * NaN, a NaN out where the value exists, an infinity where it is finite or
 * the reverse, and the limits at +-inf). An ULP is the spacing of float32 at
 * the exact value: 2^(e - 23), and 2^-149 below the normal range.
 *
 * Each input is first compared against an independent double-precision
 * reference (double.c: glibc's double functions, f' analytic), a filter
 * whose error is a small fraction of an f32 ULP (--check-ref measures it
 * against MPFR on a sample). Every input whose filtered error is within
 * --margin ULP (default 2^-8) of a decision -- the thread's running
 * maximum, 0.5, 1, 2 or 4 ULP, the --min-abs floor -- or whose value is not
 * finite is recomputed with MPFR (128 bits; for --grad, a central
 * difference at 320 bits), so the printed maximum, its input, the counts
 * and the special values are MPFR's. Each recheck also measures the
 * filter's own error; it is printed, and a filter off by more than half the
 * margin anywhere it was checked fails the run (exit 1). Kernels are
 * looked up in KERNELS.so, or in the program itself (link the object and
 * -rdynamic); --ref names the reference when it differs from NAME (a
 * spec's `act my_exp(x) = exp(x)` is measured with --ref exp). --grad skips
 * the kinks of f (the inputs where f' does not exist: relu at 0, hardtanh
 * at +-1, softplus at its threshold 20) and counts them; --min-abs V leaves
 * results with |exact| < V out of the error statistics (near a zero of f' any
 * rounding is a large relative error: the grad goal counts |f'| >= 2^-20 only).
 * --dy-seed S (with --grad) passes, instead of dy = 1, a dy per input drawn
 * from a fixed hash of S and x's bits (random sign, all 24 bits of the
 * significand random, |dy| in [2^-4, 1)), and measures dx against the
 * exact dy * f'(x) (the filter's and MPFR's f' times dy); --min-abs then
 * floors |f'|, not |dx|. A kernel that rounds f' and then dy f' shows
 * its second rounding there, which dy = 1 hides.
 * A zero result must carry the sign of the exact value wherever that is
 * defined and its magnitude is below float32's smallest subnormal (2^-149):
 * an underflowed result has the exact value's sign (gelu(-20) = -0,
 * tanh'(60) * -1 = -0), f(+-0) has the sign f takes next to 0 on that side
 * (tanh(-0) = -0, leaky_relu(-0) = -0), and for --grad dx = dy * f'(x) has
 * sign(dy) sign(f'(x)). An exact zero of f away from +-0 (relu(-1)), or of
 * f' (relu' at x < 0, hardtanh' beyond its bounds, tanhshrink'(0)), has no
 * defined sign (PyTorch's backward returns +0 there, IEEE's product
 * dy * 0 the sign of dy): either zero is right. A zero of the wrong sign
 * counts as a wrong special value ("zero sign").
 * --dy V (with --grad) passes dy = V for every input (-0, inf, -inf
 * included): dx = +-0 * f'(x) is a zero of sign sign(dy) sign(f'), and
 * dx = +-inf * f'(x) is that infinity wherever f'(x) != 0, also where f'
 * underflows in float32 (tanh' beyond |x| = 52: the exact value, not
 * PyTorch's NaN); where f'(x) = 0 exactly, inf * 0 has no defined value
 * and is not counted ("inf * 0 undefined"). --specials measures targeted
 * inputs instead of the line: +-0, subnormals, tiny and huge normals, the
 * largest float, +-inf (forward) and NaN, and with --grad each of them
 * with dy = 1, -1, +0, -0, +inf, -inf (or --dy's value).
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
  double minAbs, margin;
  int checkRef;
  int useDy; /* --dy-seed */
  uint64_t dySeed;
  int fixedDy; /* --dy */
  float dy;
  int specials;  /* --specials */
  int showWrong; /* --show-wrong N: print the first N wrong specials */
  const DoubleRef *ref;
  uint64_t stride, offset, count;
  double params[2];
  LongDoubleFn ld;
  MpfrFn mp;
  long double limit[2]; /* f at -inf and +inf: see limit_at */
} opt;

typedef struct {
  double max;
  float x, y;
  double exact;
  uint64_t over[4]; /* > 0.5, 1, 2, 4 ULP */
  uint64_t inputs, wrongNaN, wrongInf, wrongZero;
  uint64_t undefined;         /* --grad: dy = +-inf where f'(x) = 0 exactly */
  uint64_t kinks, belowFloor; /* --grad: skipped non-differentiable x; and
                                 results under --min-abs */
  float firstWrong;
  int haveWrong;
  uint64_t rechecked;  /* inputs recomputed in MPFR */
  double refMax;       /* the double filter's largest error there (ULPs) */
  float refX;
} Stats;

/* f(+-inf) for the forward's wrong-special check. A composed reference
 * cannot be evaluated at inf itself (gelu(-inf) is -inf * 0 in long
 * double), so f's limit is taken from two huge inputs when they agree in
 * float32 (gelu: 0 at -1e4000 and -1e4900, tanhshrink: inf). When they
 * differ, f has no finite limit there (log grows, sin and cos oscillate)
 * and the value is the reference's at inf itself: log(inf) = inf,
 * sin(+-inf) = NaN. (Before, f(+-1e4000) alone: log(inf) was taken as
 * 9210 and sin(inf) as a number, so the right kernels counted as wrong.) */
static long double limit_at(int sign) {
  long double a = opt.ld(sign * 1e4000L, opt.params);
  long double b = opt.ld(sign * 1e4900L, opt.params);
  if ((isnan(a) && isnan(b)) || (float)a == (float)b)
    return a;
  return opt.ld(sign * (long double)INFINITY, opt.params);
}

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

/* --dy-seed: dy for input x, from splitmix64 of the seed and x's bits:
 * +-(1 + m 2^-23) 2^-k, m 23 random bits, k in 1..4; --dy's value; 1
 * without either. */
static float dy_of(float x) {
  if (opt.fixedDy)
    return opt.dy;
  if (!opt.useDy)
    return 1;
  uint32_t bits;
  memcpy(&bits, &x, sizeof bits);
  uint64_t z = opt.dySeed * 0x9e3779b97f4a7c15ull + bits;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  uint32_t k = 1 + (uint32_t)((z >> 24) & 3);
  uint32_t dyBits = (uint32_t)(z >> 32 & 0x80000000u) |
                    (127 - k) << 23 | (uint32_t)(z & 0x7fffff);
  float dy;
  memcpy(&dy, &dyBits, sizeof dy);
  return dy;
}

/* --specials: the targeted inputs, each with both signs (and NaN once);
 * for --grad each with every dy of kSpecialDy (or --dy's). Where zeros,
 * underflow and overflow show: subnormals, the tails where f or f'
 * underflows in float32 (tanh' past 52, silu' past -104, gelu past -14),
 * the largest float. */
static const float kSpecialX[] = {
    0.0f,      0x1p-149f, 0x1p-148f, 0x1p-140f, 0x1p-127f, 0x1p-126f,
    0x1p-100f, 1e-30f,    1e-20f,    1e-10f,    0x1p-24f,  1e-4f,
    0.5f,      1.5f,      2.5f,      5,         9,         15,
    20,        30,        40,        52,        60,        89,
    90,        104,       200,       400,       1e3f,      1e4f,
    1e10f,     1e20f,     1e30f,     0x1p127f,  FLT_MAX,   INFINITY};
static const float kSpecialDy[] = {1, -1, 0.0f, -0.0f, INFINITY, -INFINITY};
enum { SPECIAL_XS = 2 * sizeof(kSpecialX) / sizeof(kSpecialX[0]) + 1 };

static unsigned special_dys(void) {
  return opt.grad && !opt.fixedDy ? sizeof(kSpecialDy) / sizeof(kSpecialDy[0])
                                  : 1;
}

/* The k-th (x, dy) pair of --specials. */
static void special_input(uint64_t k, float *x, float *dy) {
  unsigned dys = special_dys(), ix = (unsigned)(k / dys);
  *dy = opt.grad && !opt.fixedDy ? kSpecialDy[k % dys] : dy_of(0);
  if (ix == SPECIAL_XS - 1)
    *x = NAN;
  else
    *x = ix % 2 ? -kSpecialX[ix / 2] : kSpecialX[ix / 2];
}

/* --grad: 1 when x is one of f's kinks (relu at 0, hardtanh at +-1), where
 * f' does not exist. */
static int is_kink(float x) {
  for (unsigned k = 0; k < opt.ref->nkinks; ++k)
    if ((double)x == opt.ref->kinks[k])
      return 1;
  return 0;
}

/* The exact value at x (times dy for --grad) rounded to a double (MPFR). */
static double reference_mpfr(float x, float dy, mpfr_t r, mpfr_t xm, mpfr_t t) {
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
  mpfr_mul_d(r, r, dy, MPFR_RNDN); /* exact at 320 bits */
  return mpfr_get_d(r, MPFR_RNDN);
}

/* |y - exact| in ULPs of float32 at the exact value: 2^(e - 23) for
 * |exact| in [2^e, 2^(e+1)), 2^-149 below 2^-126 (read off the bits). */
static double ulps(double y, double exact) {
  uint64_t bits;
  memcpy(&bits, &exact, sizeof bits);
  int e = (int)((bits >> 52) & 0x7ff) - 1023;
  if (e < -126)
    e = -126;
  uint64_t scale = (uint64_t)(1023 - (e - 23)) << 52; /* 2^-(e - 23) */
  double inv;
  memcpy(&inv, &scale, sizeof inv);
  return fabs(y - exact) * inv;
}

/* 1 when an error from the double filter is within the margin of a counted
 * threshold (the maximum is settled at the end: see Candidates). */
static int near_threshold(double err) {
  static const double thresholds[] = {0.5, 1, 2, 4};
  for (int k = 0; k < 4; ++k)
    if (fabs(err - thresholds[k]) < opt.margin)
      return 1;
  return 0;
}

/* --show-wrong: prints a wrong special (up to N of them over all threads). */
static void show_wrong(const char *kind, float x, float dy, float y,
                       double want) {
  static int shown;
  static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
  pthread_mutex_lock(&lock);
  if (shown++ < opt.showWrong) {
    if (opt.grad)
      printf("  wrong %s: x = %a, dy = %g: got %a, want %a\n", kind, x, dy, y,
             want);
    else
      printf("  wrong %s: x = %a: got %a, want %a\n", kind, x, y, want);
  }
  pthread_mutex_unlock(&lock);
}

static void note_first_wrong(Stats *s, float x) {
  if (!s->haveWrong) {
    s->haveWrong = 1;
    s->firstWrong = x;
  }
}

/* Checks a non-finite case; returns 1 when it is wrong. */
static int wrong_special(Stats *s, float x, float dy, float y,
                         long double exact) {
  int wrong = 0;
  if (isnan(exact) != isnan(y)) {
    ++s->wrongNaN;
    wrong = 1;
  } else if (!isnan(exact) && (isinf((float)exact) || isinf(y)) &&
             (float)exact != y) {
    ++s->wrongInf;
    wrong = 1;
  }
  if (wrong) {
    note_first_wrong(s, x);
    show_wrong(isnan(exact) != isnan(y) ? "NaN" : "inf", x, dy, y, exact);
  }
  return wrong;
}

/* Inputs whose filtered error is within the margin of the thread's running
 * maximum (and above the margin): recomputed in MPFR once the thread is
 * done, so the maximum and its input are MPFR's while the inputs that only
 * came near a maximum later exceeded cost nothing. */
typedef struct {
  float x, y, dy;
  double err, exact;
  int precise;
} Candidate;
typedef struct {
  Candidate *v;
  size_t n, cap;
  double prunedAt;
} Candidates;

typedef struct {
  Stats *s;
  mpfr_t r, xm, t;
} Worker;

/* f(x) (or f'(x)) in MPFR, rounded to a double; measures the filter's value
 * `filtered` against it. */
static double precise_at(Worker *w, float x, float dy, double filtered) {
  double precise = reference_mpfr(x, dy, w->r, w->xm, w->t);
  ++w->s->rechecked;
  if (isfinite(filtered) && isfinite(precise)) {
    double e = ulps(filtered, precise);
    if (e > w->s->refMax)
      w->s->refMax = e, w->s->refX = x;
  }
  return precise;
}

static int sign_of(double v) { return v > 0 ? 1 : (v < 0 ? -1 : 0); }
static int zero_sign(float y) { return signbit(y) ? -1 : 1; }

/* The sign of f'(x) from the filter: df's, exact where f' is exactly 0 (the
 * filter's piecewise branches); where df underflows at x != 0, the
 * reference's tailSign. 0: f'(x) = 0 exactly. */
static int slope_sign(float x) {
  double d = opt.ref->df(x, opt.params);
  if (d != 0)
    return sign_of(d);
  return x != 0 ? opt.ref->tailSign : 0;
}

/* slope_sign, confirmed by MPFR's central difference where the filter's
 * sign may be its rounding: |df| < 2^-40 with |x| < 8, next to the zeros
 * of f' (all in [-2.5, 0] for the prelude), where df is a difference of
 * terms near 1. Elsewhere its error is relative (the tails) or df is an
 * exact 0, and MPFR would only cost time (a tail of 2^30 inputs). */
static int slope_sign_precise(Worker *w, float x) {
  int s = slope_sign(x);
  if (s == 0 || fabsf(x) >= 8 || fabs(opt.ref->df(x, opt.params)) >= 0x1p-40)
    return s;
  double precise = precise_at(w, x, 1, NAN);
  return precise != 0 && !isnan(precise) ? sign_of(precise) : s;
}

/* The sign f(x) must have where it rounds to zero: the exact value's, also
 * where it underflows in MPFR (a zero that raised the underflow flag: the
 * reference's last product or negation keeps the sign); at x = +-0 an exact
 * zero takes the sign of f next to 0 on that side (f(+-2^-1000):
 * tanh(-0) = -0, relu(-0) has none); 0 where nothing defines it (an exact
 * zero elsewhere: relu(-1)). */
static int value_sign_precise(Worker *w, float x) {
  ++w->s->rechecked;
  mpfr_clear_underflow();
  mpfr_set_flt(w->xm, x, MPFR_RNDN);
  opt.mp(w->r, w->xm, opt.params);
  if (mpfr_nan_p(w->r))
    return 0;
  if (!mpfr_zero_p(w->r) || mpfr_underflow_p())
    return mpfr_signbit(w->r) ? -1 : 1;
  if (x != 0)
    return 0;
  mpfr_set_si_2exp(w->xm, signbit(x) ? -1 : 1, -1000, MPFR_RNDN);
  opt.mp(w->r, w->xm, opt.params);
  return mpfr_nan_p(w->r) ? 0 : mpfr_sgn(w->r);
}

/* Counts a wrong zero sign (or, for dy = +-0, a number where dx is a zero
 * of sign `want`). */
static void count_wrong_zero(Stats *s, float x, float dy, float y, int want) {
  ++s->wrongZero;
  note_first_wrong(s, x);
  show_wrong("zero sign", x, dy, y, want * 0.0);
}

/* A zero y where |exact| < 2^-149 (exact: the filter's f, or f' dy):
 * counts it when its sign is not the one the exact value defines. The
 * filter's sign decides where it agrees with y, where it is the sign of a
 * nonzero f(x) at x != 0, and where its zero is an underflow at x != 0 of
 * an f without kinks (those have no exact zero but at 0: gelu(-40) is -0
 * in double too); MPFR at x = +-0 and for the piecewise f (relu(-1) is an
 * exact zero, gelu(-40) an underflow). */
static void check_zero_sign(Worker *w, float x, float y, float dy,
                            double exact) {
  if (!opt.grad) {
    if (zero_sign(exact) == zero_sign(y))
      return;
    int want = x != 0 && (exact != 0 || opt.ref->nkinks == 0)
                   ? zero_sign(exact)
                   : value_sign_precise(w, x);
    if (want && want != zero_sign(y))
      count_wrong_zero(w->s, x, 1, y, want);
    return;
  }
  int slope = slope_sign(x);
  if (!slope || slope * zero_sign(dy) == zero_sign(y))
    return;
  slope = slope_sign_precise(w, x);
  if (slope && slope * zero_sign(dy) != zero_sign(y))
    count_wrong_zero(w->s, x, dy, y, slope * zero_sign(dy));
}

/* --grad with dy = +-0 or +-inf: dx = dy f'(x) is a zero or an infinity of
 * sign sign(dy) sign(f'(x)), whatever the size of f' (tanh'(60) * inf =
 * inf); where f'(x) = 0 exactly a zero of either sign (dy = +-0), or
 * nothing defined (inf * 0, not counted). */
static void check_dy_special(Worker *w, float x, float y, float dy) {
  Stats *s = w->s;
  int slope = slope_sign(x);
  if (isinf(dy)) {
    if (!slope) {
      ++s->undefined;
      return;
    }
    if (isinf(y) && zero_sign(y) != slope * zero_sign(dy))
      slope = slope_sign_precise(w, x);
    wrong_special(s, x, dy, y, slope * zero_sign(dy) * (long double)INFINITY);
    return;
  }
  int want = slope * zero_sign(dy);
  if (isnan(y) || isinf(y)) {
    wrong_special(s, x, dy, y, want * 0.0L);
    return;
  }
  if (y != 0) { /* a number where dx is a zero */
    count_wrong_zero(s, x, dy, y, want ? want : zero_sign(dy));
    return;
  }
  if (slope && want != zero_sign(y)) {
    want = slope_sign_precise(w, x) * zero_sign(dy);
    if (want != zero_sign(y))
      count_wrong_zero(s, x, dy, y, want);
  }
}

/* Keeps the candidates within the margin of `max`. */
static void prune(Candidates *c, double max) {
  size_t k = 0;
  for (size_t i = 0; i < c->n; ++i)
    if (c->v[i].err >= max - opt.margin) /* >=: max - margin == max above
                                            2^40 ULP */
      c->v[k++] = c->v[i];
  c->n = k;
  c->prunedAt = max;
}

/* Recomputes candidate k's exact value and error in MPFR, once. */
static void make_precise(Worker *w, Candidate *k) {
  if (k->precise)
    return;
  k->exact = precise_at(w, k->x, k->dy, k->exact);
  k->err = ulps(k->y, k->exact);
  k->precise = 1;
}

/* Recomputes every candidate in MPFR and sets s->max from them. */
static void settle(Worker *w, Candidates *c) {
  Stats *s = w->s;
  prune(c, s->max);
  s->max = 0;
  for (size_t i = 0; i < c->n; ++i) {
    Candidate *k = &c->v[i];
    make_precise(w, k);
    if (k->err > s->max)
      s->max = k->err, s->x = k->x, s->y = k->y, s->exact = k->exact;
  }
}

/* Bounds the candidates' memory (an error shared by most inputs, as
 * hard_sigmoid's 1/6 or ties at 0.5 ULP, makes them all candidates):
 * recomputes them in MPFR now and keeps the largest. */
#ifndef MAX_CANDIDATES
#define MAX_CANDIDATES (1 << 20)
#endif
static void compact(Worker *w, Candidates *c) {
  size_t best = 0;
  for (size_t i = 0; i < c->n; ++i) {
    Candidate *k = &c->v[i];
    make_precise(w, k);
    if (k->err > c->v[best].err)
      best = i;
  }
  c->v[0] = c->v[best];
  c->n = 1;
}

static void *worker(void *arg) {
  Worker w;
  Stats *s = w.s = arg;
  reference_init();
  mpfr_prec_t prec = opt.grad ? 320 : 128;
  mpfr_inits2(prec, w.r, w.xm, w.t, (mpfr_ptr)0);
  Candidates cands = {0};
  float *x = malloc(BLOCK * sizeof(float));
  float *y = malloc(BLOCK * sizeof(float));
  float *ones = malloc(BLOCK * sizeof(float)); /* dy: 1, or --dy-seed's */
  uint64_t block;
  while (next_block(&block)) {
    uint64_t first = block * BLOCK;
    int n = (int)(opt.count - first < BLOCK ? opt.count - first : BLOCK);
    for (int i = 0; i < n; ++i) {
      if (opt.specials) {
        special_input(first + i, &x[i], &ones[i]);
        continue;
      }
      uint32_t bits = (uint32_t)(opt.offset + (first + i) * opt.stride);
      memcpy(&x[i], &bits, sizeof(float));
      ones[i] = dy_of(x[i]);
    }
    call(x, y, n, ones);
    for (int i = 0; i < n; ++i) {
      float xi = x[i], yi = y[i];
      double floor = opt.minAbs * fabs((double)ones[i]); /* on |f'| */
      ++s->inputs;
      if (isnan(xi)) {
        wrong_special(s, xi, ones[i], yi, NAN);
        continue;
      }
      if (isinf(xi)) {
        if (!opt.grad) /* f's limit there: see limit_at */
          wrong_special(s, xi, 1, yi, opt.limit[xi > 0]);
        continue;
      }
      if (opt.grad && is_kink(xi)) {
        ++s->kinks;
        continue;
      }
      if (opt.grad && (ones[i] == 0 || isinf(ones[i]))) {
        check_dy_special(&w, xi, yi, ones[i]);
        continue;
      }
      double exact = opt.grad ? opt.ref->df(xi, opt.params) * ones[i]
                              : opt.ref->f(xi, opt.params);
      if (yi == 0 && fabs(exact) < 0x1p-149)
        check_zero_sign(&w, xi, yi, ones[i], exact);
      double err = 0;
      int special = !isfinite(exact) || !isfinite(yi) || isinf((float)exact);
      /* Specials the filter settles: both NaN, or the same infinity with
       * the exact value far from float32's overflow threshold. */
      if (special && !opt.checkRef &&
          ((isnan(exact) && isnan(yi)) ||
           (!isnan(exact) && (float)exact == yi &&
            fabs(fabs(exact) - 0x1.ffffffp127) > 0x1p-20 * 0x1p127)))
        continue;
      /* And the wrong ones it settles: a NaN where the value exists, or an
       * infinity where it is finite and far below the overflow threshold,
       * is wrong whatever MPFR's digits are. (libmvec's sigmoid returns
       * NaN for the 10^9 inputs below -88.7, and oneDNN's gelu_tanh' for
       * 1.4e9: an hour of MPFR each before.) */
      if (special && !opt.checkRef && !isnan(exact) &&
          (isnan(yi) || (isinf(yi) && fabs(exact) < 0x1p126))) {
        wrong_special(s, xi, ones[i], yi, exact);
        continue;
      }
      int recheck = opt.checkRef || special ||
                    (floor > 0 && fabs(fabs(exact) - floor) <= 1e-3 * floor);
      if (!recheck) {
        if (fabs(exact) < floor) {
          ++s->belowFloor;
          continue;
        }
        err = ulps(yi, exact);
        recheck = near_threshold(err);
      }
      if (recheck) {
        double precise = precise_at(&w, xi, ones[i], exact);
        if (!isfinite(precise) || !isfinite(yi) || isinf((float)precise)) {
          wrong_special(s, xi, ones[i], yi, precise);
          continue;
        }
        if (fabs(precise) < floor) {
          ++s->belowFloor;
          continue;
        }
        err = ulps(yi, precise);
        exact = precise;
      }
      s->over[0] += err > 0.5;
      s->over[1] += err > 1;
      s->over[2] += err > 2;
      s->over[3] += err > 4;
      if (err > s->max)
        s->max = err, s->x = xi, s->y = yi, s->exact = exact;
      /* A candidate with the same result and the same filtered value as
       * the last one kept adds nothing: MPFR's values of the two differ by
       * at most the filter's error (checked below half the margin), far
       * under the printed digits. A constant slope (hard_sigmoid' = 1/6 on
       * (-3, 3), leaky_relu' = 0.01) made half the line candidates, each
       * recomputed in MPFR: hours for an exhaustive run. */
      if (err > opt.margin && err >= s->max - opt.margin && cands.n &&
          cands.v[cands.n - 1].y == yi && cands.v[cands.n - 1].exact == exact &&
          !recheck && !cands.v[cands.n - 1].precise)
        continue;
      if (err > opt.margin && err >= s->max - opt.margin) {
        if (cands.n == cands.cap) {
          prune(&cands, s->max);
          if (cands.n >= cands.cap / 2 && cands.cap >= MAX_CANDIDATES) {
            compact(&w, &cands);
          } else if (cands.n >= cands.cap / 2) {
            cands.cap = cands.cap ? 2 * cands.cap : 1024;
            cands.v = realloc(cands.v, cands.cap * sizeof(Candidate));
          }
        }
        cands.v[cands.n++] = (Candidate){xi, yi, ones[i], err, exact, recheck};
      }
      if (s->max > cands.prunedAt + opt.margin)
        prune(&cands, s->max);
    }
  }
  /* Below the margin the maximum is the filter's (within half of it). */
  if (s->max > opt.margin)
    settle(&w, &cands);
  mpfr_clears(w.r, w.xm, w.t, (mpfr_ptr)0);
  free(cands.v);
  free(x);
  free(y);
  free(ones);
  return NULL;
}

/* A strided sample misses the infinities (every 97th and every 9973rd
 * pattern do): the forward is checked at both anyway, as two more inputs. */
static void check_infinities(Stats *s) {
  static const uint32_t infs[] = {0x7f800000u, 0xff800000u};
  for (int k = 0; k < 2 && !opt.grad && !opt.specials; ++k) {
    uint32_t index = (infs[k] - (uint32_t)opt.offset) / opt.stride;
    if (index < opt.count && (infs[k] - (uint32_t)opt.offset) % opt.stride == 0)
      continue; /* in the sample */
    float x, y, one = 1;
    memcpy(&x, &infs[k], sizeof x);
    call(&x, &y, 1, &one);
    ++s->inputs;
    wrong_special(s, x, 1, y, opt.limit[x > 0]);
  }
}

static int usage(FILE *out, int status) {
  fprintf(out,
          "usage: act-accuracy [--grad] [--stride N] [--offset K] [--count C] "
          "[--threads T] [--param V] [--ref REFERENCE] [--max-ulp B] "
          "[--min-abs V] [--margin U] [--check-ref] [--dy-seed S] [--dy V] "
          "[--specials] [--show-wrong N] [KERNELS.so] NAME\n");
  if (out == stdout)
    printf(
        "Measures NAME_f32 (--grad: NAME_grad_f32, dy = 1) against MPFR over\n"
        "every float32 input, or every N-th; prints the largest error in ULPs\n"
        "and the wrong special values: NaN, inf, and zero sign -- a zero of\n"
        "the wrong sign where |exact| < 2^-149 and the sign is defined: an\n"
        "underflowed result has the exact value's sign, f(+-0) the sign of f\n"
        "next to 0 on that side, dx = dy f'(x) sign(dy) sign(f'); an exact\n"
        "zero of f away from 0 (relu(-1)) or of f' (relu' at x < 0) has none.\n"
        "  --dy V       dy = V for every input (-0, inf, -inf included); with\n"
        "               dy = +-inf, dx is +-inf wherever f' != 0 (also where "
        "f'\n"
        "               underflows: tanh'(60)); inf * 0 is not counted\n"
        "  --specials   targeted inputs instead of the line: +-0, subnormals,\n"
        "               tails, FLT_MAX, +-inf, NaN; --grad: each with dy = 1,\n"
        "               -1, +0, -0, +inf, -inf (or --dy V)\n"
        "  --dy-seed S  a random dy per input, |dy| in [2^-4, 1)\n"
        "  --show-wrong N  print the first N wrong special values\n"
        "The other options: see the head of tools/act-accuracy/act-accuracy.c\n"
        "and docs/accuracy.md.\n");
  return status;
}

int main(int argc, char **argv) {
  double maxUlp = -1;
  uint64_t count = 0; /* --count: 0 is the whole line */
  const char *library = NULL, *refName = NULL;
  opt.stride = 1;
  opt.threads = (int)sysconf(_SC_NPROCESSORS_ONLN);
  opt.params[0] = 1;
  opt.margin = -1;
  for (int i = 1; i < argc; ++i) {
    const char *a = argv[i];
    if (!strcmp(a, "--grad"))
      opt.grad = 1;
    else if (!strcmp(a, "--stride") && i + 1 < argc)
      opt.stride = strtoull(argv[++i], NULL, 0);
    else if (!strcmp(a, "--offset") && i + 1 < argc)
      opt.offset = strtoull(argv[++i], NULL, 0);
    else if (!strcmp(a, "--count") && i + 1 < argc)
      count = strtoull(argv[++i], NULL, 0);
    else if (!strcmp(a, "--threads") && i + 1 < argc)
      opt.threads = atoi(argv[++i]);
    else if (!strcmp(a, "--param") && i + 1 < argc)
      /* the kernel gets a float: so does the reference */
      opt.params[0] = (float)atof(argv[++i]), opt.nparams = 1;
    else if (!strcmp(a, "--ref") && i + 1 < argc)
      refName = argv[++i];
    else if (!strcmp(a, "--min-abs") && i + 1 < argc)
      opt.minAbs = atof(argv[++i]);
    else if (!strcmp(a, "--margin") && i + 1 < argc)
      opt.margin = atof(argv[++i]);
    else if (!strcmp(a, "--dy-seed") && i + 1 < argc)
      opt.dySeed = strtoull(argv[++i], NULL, 0), opt.useDy = 1;
    else if (!strcmp(a, "--dy") && i + 1 < argc)
      opt.dy = strtof(argv[++i], NULL), opt.fixedDy = 1;
    else if (!strcmp(a, "--show-wrong") && i + 1 < argc)
      opt.showWrong = atoi(argv[++i]);
    else if (!strcmp(a, "--specials"))
      opt.specials = 1;
    else if (!strcmp(a, "--help"))
      return usage(stdout, 0);
    else if (!strcmp(a, "--check-ref"))
      opt.checkRef = 1;
    else if (!strcmp(a, "--max-ulp") && i + 1 < argc)
      maxUlp = atof(argv[++i]);
    else if (a[0] == '-')
      return usage(stderr, 2);
    else if (strstr(a, ".so"))
      library = a;
    else
      opt.name = a;
  }
  if (!opt.name || opt.stride == 0 || opt.threads < 1 ||
      ((opt.useDy || opt.fixedDy) && !opt.grad) || (opt.useDy && opt.fixedDy))
    return usage(stderr, 2);
  if (opt.margin < 0) /* f' near its zeros: the filter's error is absolute */
    opt.margin = opt.grad ? 0x1p-8 : 0x1p-12;
  opt.count = ((1ull << 32) + opt.stride - 1) / opt.stride;
  if (opt.specials)
    opt.count = (uint64_t)SPECIAL_XS * special_dys();
  if (count && count < opt.count)
    opt.count = count;
  if (!refName)
    refName = opt.name;
  opt.ld = longdouble_lookup(refName);
  opt.mp = mpfr_lookup(refName);
  opt.ref = double_lookup(refName);
  if (!opt.ld || !opt.mp || !opt.ref || (opt.grad && !opt.ref->df)) {
    fprintf(stderr, "act-accuracy: no reference for '%s'\n", opt.name);
    return 2;
  }
  opt.limit[0] = limit_at(-1);
  opt.limit[1] = limit_at(1);
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
  check_infinities(&all);
  for (int t = 0; t < opt.threads; ++t) {
    pthread_join(threads[t], NULL);
    Stats *s = &stats[t];
    all.rechecked += s->rechecked;
    if (s->refMax > all.refMax)
      all.refMax = s->refMax, all.refX = s->refX;
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
    all.wrongZero += s->wrongZero;
    all.undefined += s->undefined;
    all.kinks += s->kinks;
    all.belowFloor += s->belowFloor;
    if (s->haveWrong && !all.haveWrong)
      all.haveWrong = 1, all.firstWrong = s->firstWrong;
  }
  if (opt.fixedDy)
    printf("dy = %g for every input\n", opt.dy);
  if (opt.specials)
    printf("targeted inputs (--specials)\n");
  if (opt.useDy)
    printf("dy from --dy-seed %llu (|dy| in [2^-4, 1)); dx against dy * f'\n",
           (unsigned long long)opt.dySeed);
  printf(all.max < 1e6
             ? "%s%s f32: max %.4f ulp at x = %a (%.9g): got %.9g, exact %.17g\n"
             : "%s%s f32: max %.4g ulp at x = %a (%.9g): got %.9g, exact %.17g\n",
         opt.name, opt.grad ? "_grad" : "", all.max, all.x, all.x, all.y,
         all.exact);
  printf("  inputs %llu (stride %llu), over 0.5 ulp %llu, over 1 ulp %llu, "
         "over 2 ulp %llu, over 4 ulp %llu\n",
         (unsigned long long)all.inputs, (unsigned long long)opt.stride,
         (unsigned long long)all.over[0], (unsigned long long)all.over[1],
         (unsigned long long)all.over[2], (unsigned long long)all.over[3]);
  if (opt.grad || opt.minAbs > 0)
    printf("  skipped: %llu kinks, %llu with |exact| < %g, %llu inf * 0 "
           "undefined\n",
           (unsigned long long)all.kinks, (unsigned long long)all.belowFloor,
           opt.minAbs, (unsigned long long)all.undefined);
  printf("  wrong specials: %llu NaN, %llu inf, %llu zero sign",
         (unsigned long long)all.wrongNaN, (unsigned long long)all.wrongInf,
         (unsigned long long)all.wrongZero);
  if (all.haveWrong)
    printf(" (first at x = %a)", all.firstWrong);
  printf("\n");
  printf("  MPFR recomputed %llu inputs (margin %g ulp); the double filter's "
         "largest error there %.3g ulp at x = %a\n",
         (unsigned long long)all.rechecked, opt.margin, all.refMax, all.refX);
  int untrusted = all.refMax > opt.margin / 2;
  if (untrusted)
    printf("FAIL: the double filter is off by more than half the margin\n");
  if (maxUlp >= 0 &&
      (all.max > maxUlp || all.wrongNaN || all.wrongInf || all.wrongZero)) {
    printf("FAIL: over the bound of %g ulp or a wrong special value\n",
           maxUlp);
    return 1;
  }
  return untrusted;
}
