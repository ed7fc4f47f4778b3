/* The harness of scripts/gpu-check.sh: every GPU kernel of the prelude
   (build/gpu-check/kernels.def: elementwise, rows.def: softmax and
   log_softmax) in f32, f64, bf16 and f16 against the CPU kernel of the
   same activation, then timed against a device-to-device copy. Built with
   -ffp-contract=off; the CPU kernels are the reference (they are measured
   against MPFR by the lit suite), so "max ULP" here is the distance between
   the GPU and the CPU results. "unaligned" is the same distance with every
   array but bias offset by one element, which the kernels' 128-bit paths
   leave to their scalar paths. The row kernels are also measured against a
   long double reference (gpu-check-rows.h): "truth" is the max ULP of the
   GPU's and of the CPU's result from it, rounded to the element type. */
#define _POSIX_C_SOURCE 200809L
#include <cuda.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "gpu-check-rows.h"
#include "gpu-check-util.h"
#include "gpu.h"

typedef void (*Any)(void);

enum { F32, F64, BF16, F16, NDTYPES };
static const char *dtypeNames[NDTYPES] = {"f32", "f64", "bf16", "f16"};
static size_t dtypeSize(int dtype) {
  return dtype == F64 ? 8 : dtype == F32 ? 4 : 2;
}

/* One activation: its kernels, by dtype and kind. */
typedef struct {
  const char *name;
  int params;
  float param;
  Any cpu[NDTYPES][3], gpu[NDTYPES][3];
} Activation;

enum { FORWARD, GRAD, BIAS };

#define KINDS(NAME, S, SUFFIX)                                                 \
  {(Any)NAME##_##S##SUFFIX, (Any)NAME##_grad_##S##SUFFIX,                      \
   (Any)NAME##_bias_##S##SUFFIX}
#define ENTRY(NAME, PARAMS, VALUE)                                             \
  {#NAME,                                                                      \
   PARAMS,                                                                     \
   VALUE,                                                                      \
   {KINDS(NAME, f32, ), KINDS(NAME, f64, ), KINDS(NAME, bf16, ),               \
    KINDS(NAME, f16, )},                                                       \
   {KINDS(NAME, f32, _cuda), KINDS(NAME, f64, _cuda),                          \
    KINDS(NAME, bf16, _cuda), KINDS(NAME, f16, _cuda)}},
static const Activation activations[] = {
#include "kernels.def"
};
#undef ENTRY
#undef KINDS

/* A row activation (softmax, log_softmax): forward and grad from y. */
typedef struct {
  const char *name;
  Any cpu[NDTYPES][2], gpu[NDTYPES][2];
} RowActivation;
#define ROWKINDS(NAME, S, SUFFIX)                                              \
  {(Any)NAME##_##S##SUFFIX, (Any)NAME##_grad_##S##SUFFIX}
#define ROW(NAME)                                                              \
  {#NAME,                                                                      \
   {ROWKINDS(NAME, f32, ), ROWKINDS(NAME, f64, ), ROWKINDS(NAME, bf16, ),      \
    ROWKINDS(NAME, f16, )},                                                    \
   {ROWKINDS(NAME, f32, _cuda), ROWKINDS(NAME, f64, _cuda),                    \
    ROWKINDS(NAME, bf16, _cuda), ROWKINDS(NAME, f16, _cuda)}},
static const RowActivation rowActivations[] = {
#include "rows.def"
};
#undef ROW
#undef ROWKINDS

/* Calls through the generic pointers; T-agnostic (void *) arguments. */
typedef void (*CpuForward0)(const void *, void *, int64_t);
typedef void (*CpuForward1)(const void *, void *, int64_t, float);
typedef void (*CpuGrad0)(const void *, const void *, void *, int64_t);
typedef void (*CpuGrad1)(const void *, const void *, void *, int64_t, float,
                         float *);
typedef void (*CpuBias0)(const void *, const void *, void *, int64_t, int64_t);
typedef void (*CpuBias1)(const void *, const void *, void *, int64_t, int64_t,
                         float);
typedef int (*GpuForward0)(const void *, void *, int64_t, void *);
typedef int (*GpuForward1)(const void *, void *, int64_t, void *, float);
typedef int (*GpuGrad0)(const void *, const void *, void *, int64_t, void *);
typedef int (*GpuGrad1)(const void *, const void *, void *, int64_t, void *,
                        float, float *);
typedef int (*GpuBias0)(const void *, const void *, void *, int64_t, int64_t,
                        void *);
typedef int (*GpuBias1)(const void *, const void *, void *, int64_t, int64_t,
                        void *, float);

static void runCpu(const Activation *a, int dtype, int kind, const void *x,
                   const void *dy, const void *bias, void *y, int64_t n,
                   int64_t cols, float *dp) {
  Any f = a->cpu[dtype][kind];
  if (kind == FORWARD && a->params == 0) ((CpuForward0)f)(x, y, n);
  if (kind == FORWARD && a->params == 1) ((CpuForward1)f)(x, y, n, a->param);
  if (kind == GRAD && a->params == 0) ((CpuGrad0)f)(x, dy, y, n);
  if (kind == GRAD && a->params == 1)
    ((CpuGrad1)f)(x, dy, y, n, a->param, dp);
  if (kind == BIAS && a->params == 0) ((CpuBias0)f)(x, bias, y, n / cols, cols);
  if (kind == BIAS && a->params == 1)
    ((CpuBias1)f)(x, bias, y, n / cols, cols, a->param);
}

typedef void (*CpuRow)(const void *, void *, int64_t, int64_t);
typedef void (*CpuRowGrad)(const void *, const void *, void *, int64_t,
                           int64_t);
typedef int (*GpuRow)(const void *, void *, int64_t, int64_t, void *);
typedef int (*GpuRowGrad)(const void *, const void *, void *, int64_t,
                          int64_t, void *);

static int runGpu(const Activation *a, int dtype, int kind, CUdeviceptr x,
                  CUdeviceptr dy, CUdeviceptr bias, CUdeviceptr y, int64_t n,
                  int64_t cols, CUdeviceptr dp) {
  Any f = a->gpu[dtype][kind];
  void *vx = (void *)x, *vdy = (void *)dy, *vb = (void *)bias, *vy = (void *)y;
  if (kind == FORWARD && a->params == 0) return ((GpuForward0)f)(vx, vy, n, 0);
  if (kind == FORWARD && a->params == 1)
    return ((GpuForward1)f)(vx, vy, n, 0, a->param);
  if (kind == GRAD && a->params == 0) return ((GpuGrad0)f)(vx, vdy, vy, n, 0);
  if (kind == GRAD && a->params == 1)
    return ((GpuGrad1)f)(vx, vdy, vy, n, 0, a->param, (float *)dp);
  if (kind == BIAS && a->params == 0)
    return ((GpuBias0)f)(vx, vb, vy, n / cols, cols, 0);
  return ((GpuBias1)f)(vx, vb, vy, n / cols, cols, 0, a->param);
}

/* Element i of arrays of `dtype`: the distance between a and b in ULP of
   that type. */
static double ulpAt(int dtype, const void *a, const void *b, int64_t i) {
  switch (dtype) {
  case F32: return ulp32(((const float *)a)[i], ((const float *)b)[i]);
  case F64: return ulp64(((const double *)a)[i], ((const double *)b)[i]);
  case BF16:
    return ulp16(((const uint16_t *)a)[i], ((const uint16_t *)b)[i], 0x7f80);
  default:
    return ulp16(((const uint16_t *)a)[i], ((const uint16_t *)b)[i], 0x7c00);
  }
}

/* bf16 bits of a float, rounded to nearest even (NaN stays NaN). */
static uint16_t toBF16(float value) {
  uint32_t bits;
  memcpy(&bits, &value, 4);
  if ((bits & 0x7fffffff) > 0x7f800000) return (uint16_t)((bits >> 16) | 0x40);
  bits += 0x7fff + ((bits >> 16) & 1);
  return (uint16_t)(bits >> 16);
}

/* Element i of an array of `dtype`, as a double (exact). */
static double loadAs(int dtype, const void *array, int64_t i) {
  switch (dtype) {
  case F32: return ((const float *)array)[i];
  case F64: return ((const double *)array)[i];
  case BF16: {
    uint32_t bits = (uint32_t)((const uint16_t *)array)[i] << 16;
    float value;
    memcpy(&value, &bits, 4);
    return value;
  }
  default: {
    _Float16 half;
    memcpy(&half, (const uint16_t *)array + i, 2);
    return (float)half;
  }
  }
}

/* Element i of an array of `dtype` set to `value` (rounded to it). */
static void storeAs(int dtype, void *array, int64_t i, double value) {
  switch (dtype) {
  case F32: ((float *)array)[i] = (float)value; break;
  case F64: ((double *)array)[i] = value; break;
  case BF16: ((uint16_t *)array)[i] = toBF16((float)value); break;
  default: {
    _Float16 half = (_Float16)(float)value;
    memcpy((uint16_t *)array + i, &half, 2);
  }
  }
}

/* The max ULP between count elements of a and b (INFINITY: a NaN against a
   number). */
static double maxUlpOf(int dtype, const void *a, const void *b,
                       int64_t count) {
  double worst = 0;
  for (int64_t i = 0; i < count; ++i) {
    double u = ulpAt(dtype, a, b, i);
    if (u > worst) worst = u;
  }
  return worst;
}

/* The max ULP of `count` results from the long double reference, rounded
   to `dtype` (through double). */
static double maxUlpFromTruth(int dtype, const void *result,
                              const long double *truth, void *scratch,
                              int64_t count) {
  for (int64_t i = 0; i < count; ++i)
    storeAs(dtype, scratch, i, (double)truth[i]);
  return maxUlpOf(dtype, result, scratch, count);
}

static void formatUlp(char *text, size_t size, double u) {
  if (isinf(u)) snprintf(text, size, "NaN diff");
  else snprintf(text, size, "%.0f", u);
}

static float median5(float *t) {
  for (int i = 1; i < 5; ++i)
    for (int j = i; j > 0 && t[j] < t[j - 1]; --j) {
      float s = t[j]; t[j] = t[j - 1]; t[j - 1] = s;
    }
  return t[2];
}

int main(int argc, char **argv) {
  int64_t big = argc > 1 ? atoll(argv[1]) : (int64_t)1 << 28;
  const int64_t n = 1 << 20, cols = 1000, checked = n / cols * cols;
  CUdevice device = usePrimaryContext();
  char deviceName[256];
  CHECK(cuDeviceGetName(deviceName, sizeof deviceName, device));

  double *xs = malloc(n * sizeof(double)), *dys = malloc(n * sizeof(double)),
         *biases = malloc(cols * sizeof(double));
  fillInputs(xs, n);
  for (int64_t i = 0; i < n; ++i) dys[i] = -2 + 4 * uniform();
  for (int64_t i = 0; i < cols; ++i) biases[i] = -1 + 2 * uniform();

  /* Device buffers of `big` doubles hold the timing runs too. */
  size_t bytes = (size_t)big * sizeof(double);
  CUdeviceptr dx, ddy, dy, dbias, ddp;
  CHECK(cuMemAlloc(&dx, bytes));
  CHECK(cuMemAlloc(&ddy, bytes));
  CHECK(cuMemAlloc(&dy, bytes));
  CHECK(cuMemAlloc(&dbias, cols * sizeof(double)));
  CHECK(cuMemAlloc(&ddp, sizeof(float)));
  CUdeviceptr dbias2; /* the row gradients' y */
  CHECK(cuMemAlloc(&dbias2, n * sizeof(double)));
  void *hx = malloc(n * sizeof(double)), *hdy = malloc(n * sizeof(double)),
       *hb = malloc(cols * sizeof(double)), *cpuY = malloc(n * sizeof(double)),
       *gpuY = malloc(n * sizeof(double)), *cpuDx = malloc(n * sizeof(double)),
       *scratch = malloc(n * sizeof(double));
  double *values = malloc(n * sizeof(double)),
         *dyValues = malloc(n * sizeof(double));
  long double *truth = malloc(n * sizeof(long double));
  CUevent start, stop;
  CHECK(cuEventCreate(&start, CU_EVENT_DEFAULT));
  CHECK(cuEventCreate(&stop, CU_EVENT_DEFAULT));

  printf("device: %s; accuracy: n = %lld (special + random), max ULP of the "
         "GPU result from the CPU kernel's; time: n = %lld, median of 5\n",
         deviceName, (long long)n, (long long)big);
  printf("%-14s %-5s %-7s %10s %10s %9s %8s %10s  %s\n", "activation",
         "dtype", "kernel", "max ULP", "dP relerr", "GB/s", "of copy",
         "unaligned", "truth GPU/CPU");
  static const char *kinds[] = {"forward", "grad", "bias"};
  int failures = 0;
  for (int dtype = 0; dtype < NDTYPES; ++dtype) {
    size_t size = dtypeSize(dtype);
    const char *dname = dtypeNames[dtype];
    for (int64_t i = 0; i < n; ++i) {
      storeAs(dtype, hx, i, xs[i]);
      storeAs(dtype, hdy, i, dys[i]);
    }
    for (int64_t i = 0; i < cols; ++i) storeAs(dtype, hb, i, biases[i]);
    /* The timing inputs: the checked block repeated. */
    for (int64_t at = 0; at < big; at += n) {
      int64_t count = big - at < n ? big - at : n;
      CHECK(cuMemcpyHtoD(dx + at * size, hx, count * size));
      CHECK(cuMemcpyHtoD(ddy + at * size, hdy, count * size));
    }
    CHECK(cuMemcpyHtoD(dbias, hb, cols * size));

    /* The copy the kernels are compared with: big elements read, written. */
    float copyTimes[5];
    for (int r = 0; r < 5; ++r) {
      CHECK(cuEventRecord(start, 0));
      CHECK(cuMemcpyDtoD(dy, dx, big * size));
      CHECK(cuEventRecord(stop, 0));
      CHECK(cuEventSynchronize(stop));
      CHECK(cuEventElapsedTime(&copyTimes[r], start, stop));
    }
    double copyGBs = 2.0 * big * size / (median5(copyTimes) * 1e6);
    printf("%-14s %-5s %-7s %10s %10s %9.0f %8s\n", "(copy)", dname, "DtoD",
           "", "", copyGBs, "100%");

    for (size_t a = 0; a < sizeof activations / sizeof *activations; ++a) {
      const Activation *act = &activations[a];
      for (int kind = 0; kind < 3; ++kind) {
        int64_t count = kind == BIAS ? checked : n;
        float cpuDp = 0, gpuDp = 0;
        runCpu(act, dtype, kind, hx, hdy, hb, cpuY, count, cols, &cpuDp);
        CHECK(runGpu(act, dtype, kind, dx, ddy, dbias, dy, count, cols, ddp));
        CHECK(cuCtxSynchronize());
        CHECK(cuMemcpyDtoH(gpuY, dy, count * size));
        CHECK(cuMemcpyDtoH(&gpuDp, ddp, sizeof(float)));
        double maxUlp = 0;
        for (int64_t i = 0; i < count; ++i) {
          double u = ulpAt(dtype, cpuY, gpuY, i);
          if (u > maxUlp) maxUlp = u;
        }
        double dpError = kind == GRAD && act->params
                             ? fabs(gpuDp - cpuDp) / fmax(fabs(cpuDp), 1e-30)
                             : NAN;
        /* The scalar paths: x, dy and y one element further (bias stays). */
        int64_t shifted = kind == BIAS ? count : count - 1;
        runCpu(act, dtype, kind, (char *)hx + size, (char *)hdy + size, hb,
               cpuY, shifted, cols, &cpuDp);
        CHECK(runGpu(act, dtype, kind, dx + size, ddy + size, dbias, dy + size,
                     shifted, cols, ddp));
        CHECK(cuCtxSynchronize());
        CHECK(cuMemcpyDtoH(gpuY, dy + size, shifted * size));
        double unalignedUlp = maxUlpOf(dtype, cpuY, gpuY, shifted);

        /* Bytes moved: x and y; the gradient also reads dy. */
        float times[5];
        int64_t rows = big / cols;
        int64_t timed = kind == BIAS ? rows * cols : big;
        for (int r = 0; r < 5; ++r) {
          CHECK(cuEventRecord(start, 0));
          CHECK(runGpu(act, dtype, kind, dx, ddy, dbias, dy, timed, cols, ddp));
          CHECK(cuEventRecord(stop, 0));
          CHECK(cuEventSynchronize(stop));
          CHECK(cuEventElapsedTime(&times[r], start, stop));
        }
        double moved = (kind == GRAD ? 3.0 : 2.0) * timed * size;
        double gbs = moved / (median5(times) * 1e6);
        char ulpText[32], dpText[32], unalignedText[32];
        formatUlp(ulpText, sizeof ulpText, maxUlp);
        formatUlp(unalignedText, sizeof unalignedText, unalignedUlp);
        if (isnan(dpError)) snprintf(dpText, sizeof dpText, "-");
        else snprintf(dpText, sizeof dpText, "%.1e", dpError);
        printf("%-14s %-5s %-7s %10s %10s %9.0f %7.0f%% %10s  -\n", act->name,
               dname, kinds[kind], ulpText, dpText, gbs, 100 * gbs / copyGBs,
               unalignedText);
        if (isinf(maxUlp) || isinf(unalignedUlp)) ++failures;
      }
    }

    /* Row activations: rows of `cols` elements; the gradient from the CPU
       forward's y and dy. Each is also run one element further (the
       scalar paths) and compared with the long double reference. */
    for (size_t a = 0; a < sizeof rowActivations / sizeof *rowActivations;
         ++a) {
      const RowActivation *act = &rowActivations[a];
      int logSoftmax = strcmp(act->name, "log_softmax") == 0;
      int withTruth = logSoftmax || strcmp(act->name, "softmax") == 0;
      int64_t rows = n / cols;
      double maxUlp[2], unalignedUlp[2], gpuTruth[2] = {NAN, NAN},
             cpuTruth[2] = {NAN, NAN};
      for (int shift = 0; shift < 2; ++shift) {
        size_t offset = shift * size;
        const char *hxAt = (const char *)hx + offset,
                   *hdyAt = (const char *)hdy + offset;
        ((CpuRow)act->cpu[dtype][0])(hxAt, cpuY, rows, cols);
        CHECK(((GpuRow)act->gpu[dtype][0])((void *)(dx + offset),
                                            (void *)(dy + offset), rows, cols,
                                            0));
        CHECK(cuCtxSynchronize());
        CHECK(cuMemcpyDtoH(gpuY, dy + offset, checked * size));
        double forwardUlp = maxUlpOf(dtype, cpuY, gpuY, checked);
        if (!shift && withTruth) {
          for (int64_t i = 0; i < checked; ++i) values[i] = loadAs(dtype, hx, i);
          referenceRows(logSoftmax, values, truth, rows, cols);
          gpuTruth[0] = maxUlpFromTruth(dtype, gpuY, truth, scratch, checked);
          cpuTruth[0] = maxUlpFromTruth(dtype, cpuY, truth, scratch, checked);
        }
        /* The gradient: y (the CPU's forward output) and dy on the device. */
        CHECK(cuMemcpyHtoD(dbias2 + offset, cpuY, checked * size));
        ((CpuRowGrad)act->cpu[dtype][1])(cpuY, hdyAt, cpuDx, rows, cols);
        CHECK(((GpuRowGrad)act->gpu[dtype][1])(
            (void *)(dbias2 + offset), (void *)(ddy + offset),
            (void *)(dy + offset), rows, cols, 0));
        CHECK(cuCtxSynchronize());
        CHECK(cuMemcpyDtoH(gpuY, dy + offset, checked * size));
        double gradUlp = maxUlpOf(dtype, cpuDx, gpuY, checked);
        if (!shift && withTruth) {
          for (int64_t i = 0; i < checked; ++i) {
            values[i] = loadAs(dtype, cpuY, i);
            dyValues[i] = loadAs(dtype, hdy, i);
          }
          referenceRowGrads(logSoftmax, values, dyValues, truth, rows, cols);
          gpuTruth[1] = maxUlpFromTruth(dtype, gpuY, truth, scratch, checked);
          cpuTruth[1] = maxUlpFromTruth(dtype, cpuDx, truth, scratch, checked);
        }
        (shift ? unalignedUlp : maxUlp)[0] = forwardUlp;
        (shift ? unalignedUlp : maxUlp)[1] = gradUlp;
      }
      for (int kind = 0; kind < 2; ++kind) {
        float times[5];
        int64_t timedRows = big / cols;
        for (int r = 0; r < 5; ++r) {
          CHECK(cuEventRecord(start, 0));
          if (kind == 0)
            CHECK(((GpuRow)act->gpu[dtype][0])((void *)dx, (void *)dy,
                                                timedRows, cols, 0));
          else
            CHECK(((GpuRowGrad)act->gpu[dtype][1])(
                (void *)dx, (void *)ddy, (void *)dy, timedRows, cols, 0));
          CHECK(cuEventRecord(stop, 0));
          CHECK(cuEventSynchronize(stop));
          CHECK(cuEventElapsedTime(&times[r], start, stop));
        }
        double moved = (kind ? 3.0 : 2.0) * timedRows * cols * size;
        double gbs = moved / (median5(times) * 1e6);
        char ulpText[32], unalignedText[32], gpuText[32], cpuText[32],
            truthText[80] = "-";
        formatUlp(ulpText, sizeof ulpText, maxUlp[kind]);
        formatUlp(unalignedText, sizeof unalignedText, unalignedUlp[kind]);
        if (withTruth) {
          formatUlp(gpuText, sizeof gpuText, gpuTruth[kind]);
          formatUlp(cpuText, sizeof cpuText, cpuTruth[kind]);
          snprintf(truthText, sizeof truthText, "%s/%s", gpuText, cpuText);
        }
        printf("%-14s %-5s %-7s %10s %10s %9.0f %7.0f%% %10s  %s\n",
               act->name, dname, kind ? "rowgrad" : "row", ulpText, "-", gbs,
               100 * gbs / copyGBs, unalignedText, truthText);
        if (isinf(maxUlp[kind]) || isinf(unalignedUlp[kind])) ++failures;
      }
    }
  }
  printf("%d kernel(s) with NaN where the CPU has a number (or the reverse)\n",
         failures);
  return failures != 0;
}
