// The fused kernels of ABI.md for every elementwise prelude activation, f32
// and f64: NAME_bias, NAME_bias_grad, NAME_matmul and NAME_matmul_aux.
//
// References: long double sums of the products (the matmul) and the f64
// elementwise kernels NAME_f64 / NAME_grad_f64 (measured against MPFR by
// prelude-accuracy.c). A fused kernel computes f at its rounded
// pre-activation z = fl(x + bias) (fl(a.b + bias) for the matmul): the z
// that matmul_aux stores and bias_grad differentiates at (docs/fusion.md,
// "The fused kernels' argument"). So the bias kernels' reference is f at
// fl(x + bias), computed in T, within 16 ULPs of the result (the
// activation's own bound); a matmul result must lie within what the GEMM's
// rounding of z allows -- the spread of the reference over [z - e, z + e],
// e = (k + 2) * eps * (sum |a||b| + |bias|) around the exact sum -- plus
// the same 16 ULPs, and matmul_aux's c within 16 ULPs of f at the z it
// stored. Every array ends at a PROT_NONE page (c and z included), so any
// access past the end crashes the test.
//
// Matmul shapes: 1x1x1, primes (7, 13, 17, 31, 129), sizes that are not
// multiples of any tile, k = 1, k = 0, k = 4096 (two shapes), bias NULL,
// aux on and off, m = 0 / n = 0 on PROT_NONE pointers, NaN in a (its row of
// c is NaN). Bias kernels: rows 0..3 x cols 1..67 (every tail), in place,
// NaN and infinities, rows = 0 (dbias and dP set to zero).
//
// RUN: actc --only identity,linear,sigmoid,tanh,relu,relu6,leaky_relu,prelu,elu,selu,celu,softplus,softsign,gelu,gelu_tanh,new_gelu,quick_gelu,silu,swish,mish,hard_sigmoid,hard_swish,hardtanh,logsigmoid,tanhshrink,softshrink,hardshrink -o %t.o --header %t.h
// RUN: %cc -O1 -ffp-contract=off -I%inputs -include %t.h %s %inputs/guard.c %t.o -lm -o %t
// RUN: %t

#include "guard.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_PRINT_LIMIT 40
#include "check.h"
#include "random.h"

/* Every kernel behind one signature: the runtime parameter (if any) is `p`,
 * its gradient `dp`. */
typedef void (*Ref64)(const double *, double *, int64_t, float);
typedef void (*RefGrad64)(const double *, const double *, double *, int64_t,
                          float, float *);
#define KERNEL_TYPES(T, S)                                                     \
  typedef void (*Bias_##S)(const T *, const T *, T *, int64_t, int64_t,       \
                           float);                                             \
  typedef void (*BiasGrad_##S)(const T *, const T *, const T *, T *, T *,      \
                               int64_t, int64_t, float, float *);              \
  typedef void (*Matmul_##S)(const T *, const T *, const T *, T *, int64_t,    \
                             int64_t, int64_t, float);                         \
  typedef void (*MatmulAux_##S)(const T *, const T *, const T *, T *, T *,     \
                                int64_t, int64_t, int64_t, float);             \
  typedef struct {                                                             \
    Bias_##S bias;                                                             \
    BiasGrad_##S bias_grad;                                                    \
    Matmul_##S matmul;                                                         \
    MatmulAux_##S matmul_aux;                                                  \
  } Kernels_##S;
KERNEL_TYPES(float, f32)
KERNEL_TYPES(double, f64)

typedef struct {
  const char *name;
  int has_param;
  float param; /* the runtime parameter passed, if the activation has one */
  Ref64 f64;
  RefGrad64 grad64;
  Kernels_f32 kf32;
  Kernels_f64 kf64;
} Act;

/* Adapters: P() is `, p` for an activation with a runtime parameter, else
 * empty; DP() likewise `, dp`. */
#define NO_P()
#define WITH_P() , p
#define WITH_DP() , dp
#define ADAPT_S(NAME, T, S, P, DP)                                             \
  static void NAME##_bias_##S##_a(const T *x, const T *b, T *y, int64_t r,     \
                                  int64_t c, float p) {                        \
    NAME##_bias_##S(x, b, y, r, c P());                                          \
  }                                                                            \
  static void NAME##_bias_grad_##S##_a(const T *x, const T *b, const T *dy,    \
                                       T *dx, T *db, int64_t r, int64_t c,     \
                                       float p, float *dp) {                   \
    NAME##_bias_grad_##S(x, b, dy, dx, db, r, c P() DP());                         \
  }                                                                            \
  static void NAME##_matmul_##S##_a(const T *a, const T *b, const T *bias,     \
                                    T *c, int64_t m, int64_t n, int64_t k,     \
                                    float p) {                                 \
    NAME##_matmul_##S(a, b, bias, c, m, n, k P());                               \
  }                                                                            \
  static void NAME##_matmul_aux_##S##_a(const T *a, const T *b,                \
                                        const T *bias, T *c, T *z, int64_t m,  \
                                        int64_t n, int64_t k, float p) {       \
    NAME##_matmul_aux_##S(a, b, bias, c, z, m, n, k P());                        \
  }
#define ADAPT(NAME, P, DP)                                                     \
  ADAPT_S(NAME, float, f32, P, DP)                                             \
  ADAPT_S(NAME, double, f64, P, DP)                                            \
  static void NAME##_ref(const double *x, double *y, int64_t n, float p) {     \
    NAME##_f64(x, y, n P());                                                     \
  }                                                                            \
  static void NAME##_gref(const double *x, const double *dy, double *dx,       \
                          int64_t n, float p, float *dp) {                     \
    NAME##_grad_f64(x, dy, dx, n P() DP());                                        \
  }
#define ADAPT0(NAME) ADAPT(NAME, NO_P, NO_P)
#define ADAPT1(NAME) ADAPT(NAME, WITH_P, WITH_DP)

ADAPT0(identity) ADAPT0(linear) ADAPT0(sigmoid) ADAPT0(tanh) ADAPT0(relu)
ADAPT0(relu6) ADAPT0(leaky_relu) ADAPT1(prelu) ADAPT0(elu)
ADAPT0(selu) ADAPT0(celu) ADAPT0(softplus) ADAPT0(softsign) ADAPT0(gelu)
ADAPT0(gelu_tanh) ADAPT0(new_gelu) ADAPT0(quick_gelu) ADAPT0(silu)
ADAPT1(swish) ADAPT0(mish) ADAPT0(hard_sigmoid) ADAPT0(hard_swish)
ADAPT0(hardtanh) ADAPT0(logsigmoid) ADAPT0(tanhshrink) ADAPT0(softshrink)
ADAPT0(hardshrink)

#define ENTRY(NAME, PARAM)                                                     \
  {#NAME,                                                                      \
   PARAM != 0,                                                                 \
   PARAM,                                                                      \
   NAME##_ref,                                                                 \
   NAME##_gref,                                                                \
   {NAME##_bias_f32_a, NAME##_bias_grad_f32_a, NAME##_matmul_f32_a,            \
    NAME##_matmul_aux_f32_a},                                                  \
   {NAME##_bias_f64_a, NAME##_bias_grad_f64_a, NAME##_matmul_f64_a,            \
    NAME##_matmul_aux_f64_a}}

static const Act acts[] = {
    ENTRY(identity, 0),    ENTRY(linear, 0),     ENTRY(sigmoid, 0),
    ENTRY(tanh, 0),        ENTRY(relu, 0),       ENTRY(relu6, 0),
    ENTRY(leaky_relu, 0),  ENTRY(prelu, 0.3f),   ENTRY(elu, 0),
    ENTRY(selu, 0),        ENTRY(celu, 0),       ENTRY(softplus, 0),
    ENTRY(softsign, 0),    ENTRY(gelu, 0),       ENTRY(gelu_tanh, 0),
    ENTRY(new_gelu, 0),    ENTRY(quick_gelu, 0), ENTRY(silu, 0),
    ENTRY(swish, 1.7f),    ENTRY(mish, 0),       ENTRY(hard_sigmoid, 0),
    ENTRY(hard_swish, 0),  ENTRY(hardtanh, 0),   ENTRY(logsigmoid, 0),
    ENTRY(tanhshrink, 0),  ENTRY(softshrink, 0), ENTRY(hardshrink, 0),
};
enum { NUM_ACTS = sizeof(acts) / sizeof(acts[0]) };


static double ref_f(const Act *act, double z) {
  double y;
  act->f64(&z, &y, 1, act->param);
  return y;
}

static double ref_df(const Act *act, double z, double dy) {
  double dx;
  float dp;
  act->grad64(&z, &dy, &dx, 1, act->param, &dp);
  return dx;
}

/* What an error of `e` in the input z allows the result to move by. */
static double spread(const Act *act, double z, double y, double e) {
  double lo = ref_f(act, z - e);
  double hi = ref_f(act, z + e);
  double s = fmax(fabs(lo - y), fabs(hi - y));
  return isnan(s) ? 0 : s;
}

/* `got` is within `tol` of `want`; NaN only where `want` is NaN, and the
 * same infinity. */
static int close_to(double got, double want, double tol) {
  if (isnan(want))
    return isnan(got);
  if (isinf(want))
    return got == want;
  return fabs(got - want) <= tol;
}

#define DEFINE_TESTS(T, S, EPS, MIN_NORMAL)                                    \
  static double ulp_##S(double v) {                                            \
    v = fabs(v);                                                               \
    return v < MIN_NORMAL ? MIN_NORMAL * EPS : EPS * v;                        \
  }                                                                            \
                                                                               \
  /* c = f(a . b + bias) (and z) against the long double reference. */        \
  static void check_matmul_##S(const Act *act, long m, long n, long k,         \
                               int with_bias, int aux, int nan_row) {         \
    guard_context("%s_matmul%s_" #S "(m=%ld, n=%ld, k=%ld, bias=%s)",         \
                  act->name, aux ? "_aux" : "", m, n, k,                       \
                  with_bias ? "yes" : "NULL");                                 \
    T *a = guard_end(m * k * sizeof(T)), *b = guard_end(k * n * sizeof(T));    \
    T *bias = with_bias ? guard_end(n * sizeof(T)) : NULL;                     \
    T *c = guard_end(m * n * sizeof(T));                                       \
    T *z = aux ? guard_end(m * n * sizeof(T)) : NULL;                          \
    /* z spans about [-4, 4]: every branch of the activations. */             \
    double scale = 3.0 / sqrt(k > 0 ? (double)k : 1.0);                        \
    for (long i = 0; i < m * k; ++i)                                           \
      a[i] = (T)(scale * uniform());                                           \
    for (long i = 0; i < k * n; ++i)                                           \
      b[i] = (T)(2 * uniform());                                               \
    for (long j = 0; with_bias && j < n; ++j)                                  \
      bias[j] = (T)uniform();                                                  \
    if (nan_row >= 0 && nan_row < m && k > 0)                                  \
      a[nan_row * k + k / 2] = NAN;                                            \
    if (aux)                                                                   \
      act->k##S.matmul_aux(a, b, bias, c, z, m, n, k, act->param);             \
    else                                                                       \
      act->k##S.matmul(a, b, bias, c, m, n, k, act->param);                    \
    for (long i = 0; i < m; ++i) {                                             \
      for (long j = 0; j < n; ++j) {                                           \
        long double sum = with_bias ? bias[j] : 0, mag = 0;                    \
        for (long p = 0; p < k; ++p) {                                         \
          sum += (long double)a[i * k + p] * b[p * n + j];                     \
          mag += fabsl((long double)a[i * k + p] * b[p * n + j]);              \
        }                                                                      \
        if (with_bias)                                                         \
          mag += fabsl((long double)bias[j]);                                  \
        double zr = (double)sum;                                               \
        double e = (double)(k + 2) * EPS * (double)mag + MIN_NORMAL;           \
        if (aux)                                                               \
          CHECK(close_to(z[i * n + j], zr, e),                                 \
                "%s_matmul_aux_" #S " m=%ld n=%ld k=%ld bias=%d: z[%ld][%ld]" \
                " = %.17g, expected %.17g +- %.3g",                            \
                act->name, m, n, k, with_bias, i, j, (double)z[i * n + j],     \
                zr, e);                                                        \
        double want = ref_f(act, zr);                                          \
        double tol =                                                           \
            spread(act, zr, want, e) + 16 * ulp_##S(want) +                   \
            1e-3 * EPS;                                                        \
        CHECK(close_to(c[i * n + j], want, tol),                               \
              "%s_matmul%s_" #S " m=%ld n=%ld k=%ld bias=%d: c[%ld][%ld] = "   \
              "%.17g, expected %.17g +- %.3g (z = %.17g)",                     \
              act->name, aux ? "_aux" : "", m, n, k, with_bias, i, j,          \
              (double)c[i * n + j], want, tol, zr);                            \
        /* c is f at the z stored (the rounded sum the epilogue read). */     \
        double at_z = aux ? ref_f(act, z[i * n + j]) : 0;                      \
        CHECK(!aux || close_to(c[i * n + j], at_z,                             \
                               16 * ulp_##S(at_z) + 1e-3 * EPS),               \
              "%s_matmul_aux_" #S " m=%ld n=%ld k=%ld bias=%d: c[%ld][%ld] = " \
              "%.17g, f(z) = %.17g (z = %.17g)",                               \
              act->name, m, n, k, with_bias, i, j, (double)c[i * n + j],       \
              at_z, (double)z[i * n + j]);                                     \
      }                                                                        \
    }                                                                          \
    guard_release_all();                                                       \
  }                                                                            \
                                                                               \
  static void test_matmul_shapes_##S(const Act *act) {                         \
    static const long shapes[][3] = {                                          \
        {1, 1, 1},    {7, 13, 17},  {13, 7, 31},    {17, 31, 129},             \
        {129, 67, 31}, {31, 129, 7}, {6, 64, 256},  {5, 65, 257},              \
        {25, 97, 300}, {13, 17, 1},  {3, 5, 0},     {7, 67, 4096}};           \
    enum { NUM_SHAPES = sizeof(shapes) / sizeof(shapes[0]) };                  \
    for (int s = 0; s < NUM_SHAPES; ++s)                                       \
      for (int variant = 0; variant < 4; ++variant)                            \
        check_matmul_##S(act, shapes[s][0], shapes[s][1], shapes[s][2],        \
                         variant & 1, variant >> 1, -1);                       \
    check_matmul_##S(act, 19, 37, 4096, 1, 1, -1);                             \
    /* Past the blocking: m over one row block (528) and k over one K block  \
     * (512) by a few, so the last blocks are ragged; m = 1 over two K        \
     * blocks and three panels. */                                             \
    check_matmul_##S(act, 533, 19, 515, 1, 0, -1);                             \
    check_matmul_##S(act, 1, 130, 1030, 0, 1, -1);                             \
    /* Empty products touch nothing. */                                        \
    static const long empty[][3] = {{0, 5, 3}, {4, 0, 3}, {0, 0, 0}};          \
    for (int e = 0; e < 3; ++e) {                                              \
      guard_context("%s_matmul_" #S "(m=%ld, n=%ld, k=%ld) on PROT_NONE "      \
                    "pointers", act->name, empty[e][0], empty[e][1],           \
                    empty[e][2]);                                              \
      void *none = guard_no_access();                                          \
      act->k##S.matmul(none, none, none, none, empty[e][0], empty[e][1],       \
                       empty[e][2], act->param);                               \
      act->k##S.matmul_aux(none, none, none, none, none, empty[e][0],          \
                           empty[e][1], empty[e][2], act->param);              \
    }                                                                          \
    guard_release_all();                                                       \
  }                                                                            \
                                                                               \
  /* Inputs of the bias kernels: a spread over [-6, 6], specials mixed in. */ \
  static T bias_input_##S(long i, int specials) {                              \
    static const double special[] = {NAN, INFINITY, -INFINITY, -0.0, 0.0};    \
    if (specials && i % 23 == 11)                                              \
      return (T)special[(i / 23) % 5];                                         \
    return (T)(6 * uniform());                                                 \
  }                                                                            \
                                                                               \
  /* y = f(x + bias), then in place. */                                        \
  static void check_bias_##S(const Act *act, long rows, long cols) {           \
    guard_context("%s_bias_" #S "(rows=%ld, cols=%ld)", act->name, rows,       \
                  cols);                                                       \
    size_t bytes = rows * cols * sizeof(T);                                    \
    T *x = guard_end(bytes), *y = guard_end(bytes);                            \
    T *bias = guard_end(cols * sizeof(T));                                     \
    for (long i = 0; i < rows * cols; ++i)                                     \
      x[i] = bias_input_##S(i, 1);                                             \
    for (long j = 0; j < cols; ++j)                                            \
      bias[j] = (T)uniform();                                                  \
    act->k##S.bias(x, bias, y, rows, cols, act->param);                        \
    for (long i = 0; i < rows * cols; ++i) {                                   \
      T zt = x[i] + bias[i % cols]; /* fl(x + bias), in T */                  \
      double zr = zt;                                                          \
      double want = ref_f(act, zr);                                            \
      double tol = 16 * ulp_##S(want) + 1e-3 * EPS;                            \
      CHECK(close_to(y[i], want, tol),                                         \
            "%s_bias_" #S " rows=%ld cols=%ld: y[%ld][%ld] = %.17g, expected " \
            "%.17g +- %.3g (x = %g, bias = %g)",                               \
            act->name, rows, cols, i / cols, i % cols, (double)y[i], want,     \
            tol, (double)x[i], (double)bias[i % cols]);                        \
    }                                                                          \
    act->k##S.bias(x, bias, x, rows, cols, act->param);                        \
    CHECK(memcmp(x, y, bytes) == 0,                                            \
          "%s_bias_" #S " rows=%ld cols=%ld: in place differs", act->name,     \
          rows, cols);                                                         \
  }                                                                            \
                                                                               \
  /* dx = dy * f'(x + bias), dbias = column sums of dx, dP; in place. */      \
  static void check_bias_grad_##S(const Act *act, long rows, long cols,       \
                                  int specials) {                              \
    guard_context("%s_bias_grad_" #S "(rows=%ld, cols=%ld)", act->name, rows,  \
                  cols);                                                       \
    size_t bytes = rows * cols * sizeof(T);                                    \
    T *x = guard_end(bytes), *dy = guard_end(bytes), *dx = guard_end(bytes);   \
    T *bias = guard_end(cols * sizeof(T));                                     \
    T *dbias = guard_end(cols * sizeof(T));                                    \
    for (long i = 0; i < rows * cols; ++i) {                                   \
      x[i] = bias_input_##S(i, specials);                                      \
      dy[i] = (T)uniform();                                                    \
    }                                                                          \
    for (long j = 0; j < cols; ++j) {                                          \
      bias[j] = (T)uniform();                                                  \
      dbias[j] = (T)12345;                                                     \
    }                                                                          \
    float dp = 12345.0f;                                                       \
    act->k##S.bias_grad(x, bias, dy, dx, dbias, rows, cols, act->param, &dp);  \
    double *zs = malloc((rows * cols + 1) * sizeof(double));                   \
    double *dys = malloc((rows * cols + 1) * sizeof(double));                  \
    for (long j = 0; j < cols; ++j) {                                          \
      long double sum = 0, tol_sum = 0, mag = 0;                               \
      for (long r = 0; r < rows; ++r) {                                        \
        long i = r * cols + j;                                                 \
        T zt = x[i] + bias[j]; /* fl(x + bias), in T */                       \
        double zr = zt;                                                        \
        zs[i] = zr;                                                            \
        dys[i] = dy[i];                                                        \
        double want = ref_df(act, zr, dy[i]);                                  \
        double tol = 16 * ulp_##S(want) + 1e-3 * EPS;                          \
        CHECK(close_to(dx[i], want, tol),                                      \
              "%s_bias_grad_" #S " rows=%ld cols=%ld: dx[%ld][%ld] = %.17g, "  \
              "expected %.17g +- %.3g (z = %.17g)",                            \
              act->name, rows, cols, r, j, (double)dx[i], want, tol, zr);      \
        sum += want;                                                           \
        tol_sum += tol;                                                        \
        mag += fabs(want);                                                     \
      }                                                                        \
      double tol = (double)(tol_sum + (rows + 1) * EPS * mag) + 1e-3 * EPS;   \
      CHECK(close_to(dbias[j], (double)sum, tol),                              \
            "%s_bias_grad_" #S " rows=%ld cols=%ld: dbias[%ld] = %.17g, "      \
            "expected %.17Lg +- %.3g",                                         \
            act->name, rows, cols, j, (double)dbias[j], sum, tol);             \
    }                                                                          \
    /* dP against the f64 gradient kernel over the same z. */                 \
    double *dxs = malloc((rows * cols + 1) * sizeof(double));                  \
    float want_dp = 0;                                                         \
    act->grad64(zs, dys, dxs, rows * cols, act->param, &want_dp);              \
    CHECK(!act->has_param || rows > 0 || dp == 0.0f,                                              \
          "%s_bias_grad_" #S " rows=0: dP = %g, expected 0", act->name, dp);   \
    CHECK(!(dp != dp) || want_dp != want_dp,                                   \
          "%s_bias_grad_" #S " rows=%ld cols=%ld: dP is NaN", act->name, rows, \
          cols);                                                               \
    if (act->has_param && !specials && rows > 0)                                                 \
      CHECK(fabs(dp - want_dp) <= 1e-4 * (fabs(want_dp) + rows * cols * 1e-2), \
            "%s_bias_grad_" #S " rows=%ld cols=%ld: dP = %.9g, expected %.9g", \
            act->name, rows, cols, dp, want_dp);                               \
    free(zs);                                                                  \
    free(dys);                                                                 \
    free(dxs);                                                                 \
    /* In place: dx over dy, then over x. */                                   \
    T *copy = guard_end(bytes), *dbias2 = guard_end(cols * sizeof(T));         \
    memcpy(copy, dy, bytes);                                                   \
    act->k##S.bias_grad(x, bias, copy, copy, dbias2, rows, cols, act->param,   \
                        &dp);                                                  \
    CHECK(memcmp(copy, dx, bytes) == 0 &&                                      \
              memcmp(dbias2, dbias, cols * sizeof(T)) == 0,                    \
          "%s_bias_grad_" #S " rows=%ld cols=%ld: dx == dy differs",           \
          act->name, rows, cols);                                              \
    memcpy(copy, x, bytes);                                                    \
    act->k##S.bias_grad(copy, bias, dy, copy, dbias2, rows, cols, act->param,  \
                        &dp);                                                  \
    CHECK(memcmp(copy, dx, bytes) == 0,                                        \
          "%s_bias_grad_" #S " rows=%ld cols=%ld: dx == x differs", act->name, \
          rows, cols);                                                         \
  }                                                                            \
                                                                               \
  static void test_bias_##S(const Act *act, int all_tails) {                   \
    for (long rows = 1; rows <= 3; rows += 2) {                                \
      for (long cols = 1; cols <= 67; ++cols) {                                \
        if (!all_tails && cols % 8 != 7 && cols != 64)                         \
          continue;                                                            \
        check_bias_##S(act, rows, cols);                                       \
        check_bias_grad_##S(act, rows, cols, 0);                               \
        check_bias_grad_##S(act, rows, cols, 1);                               \
        guard_release_all();                                                   \
      }                                                                        \
    }                                                                          \
    check_bias_grad_##S(act, 40, 37, 0);                                       \
    /* rows = 0: y, x, dy and dx untouched; dbias and dP set to zero. */      \
    guard_context("%s_bias_" #S "(rows=0) on PROT_NONE pointers", act->name);  \
    void *none = guard_no_access();                                            \
    act->k##S.bias(none, none, none, 0, 5, act->param);                        \
    act->k##S.bias(none, none, none, 0, 0, act->param);                        \
    check_bias_grad_##S(act, 0, 19, 0);                                        \
    guard_release_all();                                                       \
  }

DEFINE_TESTS(float, f32, 0x1p-23, 0x1p-126)
DEFINE_TESTS(double, f64, 0x1p-52, 0x1p-1022)

/* A NaN in row r of a makes row r of c NaN and leaves the others. */
static void test_matmul_nan(const Act *act) {
  check_matmul_f32(act, 9, 35, 40, 1, 1, 4);
  check_matmul_f64(act, 9, 35, 40, 1, 0, 4);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  for (int i = 0; i < NUM_ACTS; ++i) {
    const Act *act = &acts[i];
    /* Every activation: a few shapes and the NaN row; relu, gelu and swish
     * (a runtime parameter) through every shape and every tail. */
    int full = !strcmp(act->name, "relu") || !strcmp(act->name, "gelu") ||
               !strcmp(act->name, "swish");
    if (full) {
      test_matmul_shapes_f32(act);
      test_matmul_shapes_f64(act);
    } else {
      for (int variant = 0; variant < 4; ++variant) {
        check_matmul_f32(act, 13, 67, 31, variant & 1, variant >> 1, -1);
        check_matmul_f64(act, 7, 17, 129, variant & 1, variant >> 1, -1);
      }
    }
    test_matmul_nan(act);
    test_bias_f32(act, full);
    test_bias_f64(act, full);
    guard_release_all();
  }
  printf("%d failure(s)\n", failures);
  return failures != 0;
}
