/* Runs the kernels of act-to-llvm-e2e.mlir against scalar C references.
 *
 * Every kernel is called for n = 0..67 (rows of 0..67 columns for the row
 * kernels): out of place on unaligned pointers, with guard elements around
 * the output that must stay untouched, and in place. The tolerance is loose:
 * this checks the lowering (loops, tails, masks, reductions, parameters),
 * not the accuracy of the approximations, which has its own tests. Prints
 * one FAIL line per mismatch and PASS at the end. */

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void swish_f32(const float *x, float *y, int64_t n, float beta);
void swish_f64(const double *x, double *y, int64_t n, float beta);
void swish_grad_f32(const float *x, const float *dy, float *dx, int64_t n,
                    float beta, float *dbeta);
void swish_grad_f64(const double *x, const double *dy, double *dx, int64_t n,
                    float beta, float *dbeta);
void mish_f32(const float *x, float *y, int64_t n);
void mish_grad_f32(const float *x, const float *dy, float *dx, int64_t n);
void mish_grad_f64(const double *x, const double *dy, double *dx, int64_t n);
void gelu_grad_f32(const float *x, const float *dy, float *dx, int64_t n);
void gelu_grad_f64(const double *x, const double *dy, double *dx, int64_t n);
void leaky_relu_grad_f32(const float *x, const float *dy, float *dx, int64_t n);
void leaky_relu_grad_f64(const double *x, const double *dy, double *dx,
                         int64_t n);
void mish_f64(const double *x, double *y, int64_t n);
void gelu_f32(const float *x, float *y, int64_t n);
void gelu_f64(const double *x, double *y, int64_t n);
void leaky_relu_f32(const float *x, float *y, int64_t n);
void leaky_relu_f64(const double *x, double *y, int64_t n);
void softmax_f32(const float *x, float *y, int64_t rows, int64_t cols);
void softmax_f64(const double *x, double *y, int64_t rows, int64_t cols);
void log_softmax_f32(const float *x, float *y, int64_t rows, int64_t cols);
void log_softmax_f64(const double *x, double *y, int64_t rows, int64_t cols);

enum { kMaxN = 67, kRows = 3, kGuard = 4 };
static const double kGuardValue = 12345.0;
static const float kBeta = 1.5f;
static int failures;

static double swishRef(double x) { return x / (1.0 + exp(-(double)kBeta * x)); }
static double softplusRef(double x) {
  return fmax(x, 0.0) + log1p(exp(-fabs(x)));
}
static double mishRef(double x) { return x * tanh(softplusRef(x)); }
static double geluRef(double x) {
  return 0.5 * x * (1.0 + erf(x * 0.70710678118654752));
}
static double leakyReluRef(double x) { return x >= 0 ? x : 0.01 * x; }

/* Loose agreement: NaN matches NaN, infinities match exactly. */
static int close(double got, double want, double rtol, double atol) {
  if (isnan(want))
    return isnan(got);
  if (isinf(want))
    return got == want;
  return fabs(got - want) <= rtol * fabs(want) + atol;
}

static void report(const char *kernel, const char *mode, int64_t n,
                   int64_t i, double x, double got, double want) {
  if (++failures <= 20)
    printf("FAIL %s %s n=%lld i=%lld x=%.9g got=%.9g want=%.9g\n", kernel,
           mode, (long long)n, (long long)i, x, got, want);
}

/* Deterministic inputs in [-12, 12], with special values mixed in. */
static double input(int64_t i, int64_t n) {
  static const double specials[] = {0.0, -0.0, 1e-30, -1e-30, 30.0, -30.0,
                                    88.0, -88.0};
  if (i % 11 == 7)
    return specials[(i / 11) % 8];
  uint32_t h = (uint32_t)(i * 2654435761u + n * 40503u);
  return ((h >> 8) / (double)(1 << 24)) * 24.0 - 12.0;
}

#define DEFINE_ELEMENTWISE_CHECK(T, S, RTOL, ATOL)                             \
  static void checkElementwise_##S(const char *name,                          \
                                   void (*kernel)(const T *, T *, int64_t),    \
                                   double (*ref)(double)) {                    \
    for (int64_t n = 0; n <= kMaxN; ++n) {                                     \
      T xbuf[kMaxN + 2 * kGuard], ybuf[kMaxN + 2 * kGuard];                    \
      /* One element past an aligned start: unaligned for any vector. */      \
      T *x = xbuf + 1, *y = ybuf + kGuard + 1;                                 \
      for (int64_t i = 0; i < n; ++i)                                          \
        x[i] = (T)input(i, n);                                                 \
      for (int i = 0; i < kMaxN + 2 * kGuard; ++i)                             \
        ybuf[i] = (T)kGuardValue;                                              \
      kernel(x, y, n);                                                         \
      for (int64_t i = 0; i < n; ++i)                                          \
        if (!close(y[i], ref(x[i]), RTOL, ATOL))                               \
          report(name, "out", n, i, x[i], y[i], ref(x[i]));                    \
      for (int i = 0; i < kMaxN + 2 * kGuard; ++i)                             \
        if ((ybuf + i < y || ybuf + i >= y + n) && ybuf[i] != (T)kGuardValue)  \
          report(name, "guard", n, i, 0, ybuf[i], kGuardValue);                \
      memcpy(y, x, n * sizeof(T));                                             \
      kernel(y, y, n);                                                         \
      for (int64_t i = 0; i < n; ++i)                                          \
        if (!close(y[i], ref(x[i]), RTOL, ATOL))                               \
          report(name, "inplace", n, i, x[i], y[i], ref(x[i]));                \
    }                                                                          \
  }

#define DEFINE_ROW_CHECK(T, S, RTOL, ATOL)                                     \
  static void checkRow_##S(const char *name,                                   \
                           void (*kernel)(const T *, T *, int64_t, int64_t),   \
                           int logarithm) {                                    \
    enum { kSize = kRows * kMaxN + 2 * kGuard };                               \
    for (int64_t cols = 0; cols <= kMaxN; ++cols) {                            \
      T xbuf[kSize], ybuf[kSize];                                              \
      double want[kRows * kMaxN];                                              \
      T *x = xbuf + 1, *y = ybuf + kGuard + 1;                                 \
      int64_t size = kRows * cols;                                             \
      for (int64_t i = 0; i < size; ++i)                                       \
        x[i] = (T)(input(i, cols) * 4.0);                                      \
      /* Row 1 holds a NaN when it is long enough: the whole row is NaN. */    \
      if (cols > 5)                                                            \
        x[cols + 5] = (T)NAN;                                                  \
      for (int64_t r = 0; r < kRows; ++r) {                                    \
        const T *row = x + r * cols;                                           \
        double m = -INFINITY, s = 0;                                           \
        int nan = 0;                                                           \
        for (int64_t c = 0; c < cols; ++c) {                                   \
          nan |= isnan(row[c]);                                                \
          m = fmax(m, row[c]);                                                 \
        }                                                                      \
        for (int64_t c = 0; c < cols; ++c)                                     \
          s += exp(row[c] - m);                                                \
        for (int64_t c = 0; c < cols; ++c)                                     \
          want[r * cols + c] =                                                 \
              nan ? NAN                                                        \
                  : (logarithm ? row[c] - m - log(s) : exp(row[c] - m) / s);   \
      }                                                                        \
      for (int i = 0; i < kSize; ++i)                                          \
        ybuf[i] = (T)kGuardValue;                                              \
      kernel(x, y, kRows, cols);                                               \
      for (int64_t i = 0; i < size; ++i)                                       \
        if (!close(y[i], want[i], RTOL, ATOL))                                 \
          report(name, "out", cols, i, x[i], y[i], want[i]);                   \
      for (int i = 0; i < kSize; ++i)                                          \
        if ((ybuf + i < y || ybuf + i >= y + size) &&                          \
            ybuf[i] != (T)kGuardValue)                                         \
          report(name, "guard", cols, i, 0, ybuf[i], kGuardValue);             \
      kernel(x, y, 0, cols); /* rows == 0: no-op */                            \
      memcpy(y, x, size * sizeof(T));                                          \
      kernel(y, y, kRows, cols);                                               \
      for (int64_t i = 0; i < size; ++i)                                       \
        if (!close(y[i], want[i], RTOL, ATOL))                                 \
          report(name, "inplace", cols, i, x[i], y[i], want[i]);               \
    }                                                                          \
  }

/* Gradient kernels, all seen as grad(x, dy, dx, n, dp) (dp unused without
 * runtime parameter): dx = dy * f'(x) out of place, into dy and into x;
 * *dp = sum of dy * df/dp, set (not added to). */
typedef double (*Derivative)(double);

#define DEFINE_GRADIENT_CHECK(T, S, RTOL, ATOL, EPS)                           \
  static void checkGrad_##S(const char *name,                                  \
                            void (*kernel)(const T *, const T *, T *, int64_t, \
                                           float *),                           \
                            Derivative dfdx, Derivative dfdp) {                \
    for (int64_t n = 0; n <= kMaxN; ++n) {                                     \
      T xbuf[kMaxN + 2], dybuf[kMaxN + 2], dxbuf[kMaxN + 2 * kGuard];          \
      T *x = xbuf + 1, *dy = dybuf + 1, *dx = dxbuf + kGuard + 1;              \
      /* A sum of n terms: allow a few EPS of each term's magnitude (and of   \
       * x^2 dy, as in swish's 1 - s), and the final rounding to float. */    \
      double want[kMaxN], dpWant = 0, dpError = 0;                             \
      for (int64_t i = 0; i < n; ++i) {                                        \
        x[i] = (T)input(i, n);                                                 \
        dy[i] = (T)input(i + 3, n + 1);                                        \
        want[i] = dy[i] * dfdx(x[i]);                                          \
        if (dfdp) {                                                            \
          dpWant += dy[i] * dfdp(x[i]);                                        \
          dpError += RTOL * fabs(dy[i] * dfdp(x[i])) +                         \
                     4 * EPS * fabs(dy[i] * x[i] * x[i]);                      \
        }                                                                      \
      }                                                                        \
      dpError += 0x1p-24 * fabs(dpWant) + ATOL;                                \
      for (int i = 0; i < kMaxN + 2 * kGuard; ++i)                             \
        dxbuf[i] = (T)kGuardValue;                                             \
      float dp = 777.0f;                                                       \
      kernel(x, dy, dx, n, &dp);                                               \
      for (int64_t i = 0; i < n; ++i)                                          \
        if (!close(dx[i], want[i], RTOL, ATOL))                                \
          report(name, "out", n, i, x[i], dx[i], want[i]);                     \
      for (int i = 0; i < kMaxN + 2 * kGuard; ++i)                             \
        if ((dxbuf + i < dx || dxbuf + i >= dx + n) &&                         \
            dxbuf[i] != (T)kGuardValue)                                        \
          report(name, "guard", n, i, 0, dxbuf[i], kGuardValue);               \
      if (dfdp && fabs(dp - dpWant) > dpError)                                 \
        report(name, "dparam", n, -1, 0, dp, dpWant);                          \
      T saved[kMaxN];                                                          \
      memcpy(saved, dy, n * sizeof(T));                                        \
      kernel(x, dy, dy, n, &dp); /* dx == dy */                                \
      for (int64_t i = 0; i < n; ++i)                                          \
        if (!close(dy[i], want[i], RTOL, ATOL))                                \
          report(name, "dx=dy", n, i, x[i], dy[i], want[i]);                   \
      memcpy(dy, saved, n * sizeof(T));                                        \
      kernel(x, dy, x, n, &dp); /* dx == x */                                  \
      for (int64_t i = 0; i < n; ++i)                                          \
        if (!close(x[i], want[i], RTOL, ATOL))                                 \
          report(name, "dx=x", n, i, 0, x[i], want[i]);                        \
    }                                                                          \
  }

DEFINE_GRADIENT_CHECK(float, f32, 1e-5, 1e-6, 0x1p-24)
DEFINE_GRADIENT_CHECK(double, f64, 1e-12, 1e-14, 0x1p-53)

static double sigmoidRef(double x) { return 1.0 / (1.0 + exp(-x)); }
static double swishGradRef(double x) {
  double s = sigmoidRef(kBeta * x);
  return s + kBeta * x * s * (1 - s);
}
static double swishBetaGradRef(double x) {
  double s = sigmoidRef(kBeta * x);
  return x * x * s * (1 - s);
}
static double mishGradRef(double x) {
  double t = tanh(softplusRef(x));
  return t + x * (1 - t * t) * sigmoidRef(x);
}
static double geluGradRef(double x) {
  return 0.5 * (1.0 + erf(x * 0.70710678118654752)) +
         x * exp(-0.5 * x * x) * 0.39894228040143268;
}
static double leakyReluGradRef(double x) { return x >= 0 ? 1.0 : 0.01; }

#define DEFINE_GRADIENT_WRAPPERS(T, S)                                         \
  static void swishGradWrap_##S(const T *x, const T *dy, T *dx, int64_t n,     \
                                float *dp) {                                   \
    swish_grad_##S(x, dy, dx, n, kBeta, dp);                                   \
  }                                                                            \
  static void mishGradWrap_##S(const T *x, const T *dy, T *dx, int64_t n,      \
                               float *dp) {                                    \
    mish_grad_##S(x, dy, dx, n);                                               \
  }                                                                            \
  static void geluGradWrap_##S(const T *x, const T *dy, T *dx, int64_t n,      \
                               float *dp) {                                    \
    gelu_grad_##S(x, dy, dx, n);                                               \
  }                                                                            \
  static void leakyReluGradWrap_##S(const T *x, const T *dy, T *dx, int64_t n, \
                                    float *dp) {                               \
    leaky_relu_grad_##S(x, dy, dx, n);                                         \
  }

DEFINE_GRADIENT_WRAPPERS(float, f32)
DEFINE_GRADIENT_WRAPPERS(double, f64)

DEFINE_ELEMENTWISE_CHECK(float, f32, 1e-5, 1e-6)
DEFINE_ELEMENTWISE_CHECK(double, f64, 1e-12, 1e-14)
DEFINE_ROW_CHECK(float, f32, 1e-5, 1e-7)
DEFINE_ROW_CHECK(double, f64, 1e-12, 1e-15)

/* The runtime parameter reaches the kernel: bind it through a wrapper. */
static void swishWrap_f32(const float *x, float *y, int64_t n) {
  swish_f32(x, y, n, kBeta);
}
static void swishWrap_f64(const double *x, double *y, int64_t n) {
  swish_f64(x, y, n, kBeta);
}

int main(void) {
  checkElementwise_f32("swish_f32", swishWrap_f32, swishRef);
  checkElementwise_f64("swish_f64", swishWrap_f64, swishRef);
  checkGrad_f32("swish_grad_f32", swishGradWrap_f32, swishGradRef,
                swishBetaGradRef);
  checkGrad_f64("swish_grad_f64", swishGradWrap_f64, swishGradRef,
                swishBetaGradRef);
  checkGrad_f32("mish_grad_f32", mishGradWrap_f32, mishGradRef, NULL);
  checkGrad_f64("mish_grad_f64", mishGradWrap_f64, mishGradRef, NULL);
  checkGrad_f32("gelu_grad_f32", geluGradWrap_f32, geluGradRef, NULL);
  checkGrad_f64("gelu_grad_f64", geluGradWrap_f64, geluGradRef, NULL);
  checkGrad_f32("leaky_relu_grad_f32", leakyReluGradWrap_f32, leakyReluGradRef,
                NULL);
  checkGrad_f64("leaky_relu_grad_f64", leakyReluGradWrap_f64, leakyReluGradRef,
                NULL);
  checkElementwise_f32("mish_f32", mish_f32, mishRef);
  checkElementwise_f64("mish_f64", mish_f64, mishRef);
  checkElementwise_f32("gelu_f32", gelu_f32, geluRef);
  checkElementwise_f64("gelu_f64", gelu_f64, geluRef);
  checkElementwise_f32("leaky_relu_f32", leaky_relu_f32, leakyReluRef);
  checkElementwise_f64("leaky_relu_f64", leaky_relu_f64, leakyReluRef);
  checkRow_f32("softmax_f32", softmax_f32, 0);
  checkRow_f64("softmax_f64", softmax_f64, 0);
  checkRow_f32("log_softmax_f32", log_softmax_f32, 1);
  checkRow_f64("log_softmax_f64", log_softmax_f64, 1);

  /* Special values through the expansions: NaN and both infinities. */
  float specials[] = {NAN, INFINITY, -INFINITY, 100.0f, -100.0f};
  float out[5];
  swish_f32(specials, out, 5, 1.0f);
  if (!isnan(out[0]) || out[1] != INFINITY ||
      out[3] != 100.0f || !(fabsf(out[4]) < 1e-30f))
    printf("FAIL swish_f32 specials %g %g %g %g %g\n", out[0], out[1], out[2],
           out[3], out[4]), ++failures;
  mish_f32(specials, out, 5);
  if (!isnan(out[0]) || out[1] != INFINITY || out[3] != 100.0f)
    printf("FAIL mish_f32 specials %g %g %g %g %g\n", out[0], out[1], out[2],
           out[3], out[4]), ++failures;

  if (failures)
    printf("%d failures\n", failures);
  else
    printf("PASS\n");
  return failures != 0;
}
