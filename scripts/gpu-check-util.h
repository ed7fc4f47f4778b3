/* What the GPU check's programs share (scripts/gpu-check.c,
   gpu-exhaustive.c, test/GPU/Inputs/rows-reference.c): the distance
   between two results in ULP of their type, the check's inputs, and, where
   cuda.h is included first, CHECK(call), which prints a failed driver call
   and exits, and the primary context. */
#ifndef GPU_CHECK_UTIL_H
#define GPU_CHECK_UTIL_H

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

/* ULP distance on the ordered integer line; NaN == NaN is 0, NaN against a
   number is infinite. */
static inline double ulp32(float a, float b) {
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b) ? 0 : INFINITY;
  int32_t ia, ib;
  memcpy(&ia, &a, 4);
  memcpy(&ib, &b, 4);
  int64_t oa = ia < 0 ? (int64_t)INT32_MIN - ia : ia;
  int64_t ob = ib < 0 ? (int64_t)INT32_MIN - ib : ib;
  return fabs((double)(oa - ob));
}
static inline double ulp64(double a, double b) {
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b) ? 0 : INFINITY;
  int64_t ia, ib;
  memcpy(&ia, &a, 8);
  memcpy(&ib, &b, 8);
  long double oa = ia < 0 ? (long double)INT64_MIN - ia : ia;
  long double ob = ib < 0 ? (long double)INT64_MIN - ib : ib;
  return (double)fabsl(oa - ob);
}

/* 16-bit values whose infinity is `exponent` (bf16 0x7f80, f16 0x7c00):
   NaN when above it in magnitude. */
static inline double ulp16(uint16_t a, uint16_t b, uint16_t exponent) {
  int nanA = (a & 0x7fff) > exponent, nanB = (b & 0x7fff) > exponent;
  if (nanA || nanB) return nanA && nanB ? 0 : INFINITY;
  int32_t oa = (int16_t)a < 0 ? INT16_MIN - (int16_t)a : (int16_t)a;
  int32_t ob = (int16_t)b < 0 ? INT16_MIN - (int16_t)b : (int16_t)b;
  return fabs((double)(oa - ob));
}

/* The check's inputs (gpu-check.c, rows-reference.c): special values
   first, then a mix of |x| log-uniform over [1e-30, 1e4] and uniform over
   [-12, 12], both signs, from one xorshift stream (dy follows from it). */
static uint64_t gpuCheckRng = 0x9E3779B97F4A7C15ull;
static inline double uniform(void) {
  gpuCheckRng ^= gpuCheckRng << 13, gpuCheckRng ^= gpuCheckRng >> 7,
      gpuCheckRng ^= gpuCheckRng << 17;
  return (double)(gpuCheckRng >> 11) / 9007199254740992.0;
}
static inline void fillInputs(double *x, int64_t n) {
  static const double special[] = {0.0, -0.0, INFINITY, -INFINITY, NAN,
                                   FLT_MIN, -FLT_MIN, 1e-40, -1e-40,
                                   FLT_MAX, -FLT_MAX, DBL_MIN, 5e-324,
                                   1e-30, -1e-30, 88.72, -88.72, 103.9,
                                   -103.9, 20, -20, 1, -1, 0.5, -0.5, 3,
                                   -3, 6, -6, 1e4, -1e4, 710, -745};
  int64_t s = sizeof special / sizeof *special;
  for (int64_t i = 0; i < n; ++i) {
    if (i < s) {
      x[i] = special[i];
    } else if (i % 2) {
      double m = pow(10.0, -30 + 34 * uniform());
      x[i] = uniform() < 0.5 ? -m : m;
    } else {
      x[i] = -12 + 24 * uniform();
    }
  }
}

#ifdef CUDA_VERSION
#include <stdio.h>
#include <stdlib.h>

#define CHECK(call)                                                            \
  do {                                                                         \
    CUresult status_ = (call);                                                 \
    if (status_ != CUDA_SUCCESS) {                                             \
      const char *text_ = "?";                                                 \
      cuGetErrorName(status_, &text_);                                         \
      fprintf(stderr, "%s:%d: %s: %s (%d)\n", __FILE__, __LINE__, #call,      \
              text_, (int)status_);                                            \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

/* Device 0's primary context, made current. */
static inline CUdevice usePrimaryContext(void) {
  CUdevice device;
  CUcontext context;
  CHECK(cuInit(0));
  CHECK(cuDeviceGet(&device, 0));
  CHECK(cuDevicePrimaryCtxRetain(&context, device));
  CHECK(cuCtxSetCurrent(context));
  return device;
}
#endif

#endif
