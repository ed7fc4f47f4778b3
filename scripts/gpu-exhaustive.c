/* Every f32 input (all 2^32 bit patterns) and every bf16/f16 input (2^16)
   through each GPU forward and gradient kernel of the prelude (dy = 1,
   runtime parameters at their defaults), compared element by element with
   the CPU kernel of the same activation, which tools/act-accuracy measures
   against MPFR over the same inputs (docs/accuracy.md). Where the two agree
   bit for bit, the CPU's exhaustive bound is the GPU's. Built by
   scripts/gpu-check.sh next to its harness, from the same objects; runs
   after it on a machine with a GPU.

   Prints, per kernel: the inputs whose results differ, the largest
   distance in ULP of the element type (NaN == NaN), the worst input, and
   the inputs where one side is NaN and the other is not. Exits 1 if any
   kernel has such a NaN mismatch.

   Usage: gpu-exhaustive [f32|16bit|all [CHUNKS [NAMES]]]   (default all;
   f32 in CHUNKS of the 16 blocks of 2^28 inputs, default 16: every input;
   NAMES: a comma-separated list of activations, default every one) */
#define _POSIX_C_SOURCE 200809L
#include <cuda.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu.h"
#include "gpu-check-util.h"
#include "gpu.h"

typedef void (*Any)(void);
enum { F32, BF16, F16, NDTYPES };
static const char *dtypeNames[NDTYPES] = {"f32", "bf16", "f16"};
enum { FORWARD, GRAD, NKINDS };
static const char *kindNames[NKINDS] = {"forward", "grad"};

typedef struct {
  const char *name;
  int params;
  float param;
  Any cpu[NDTYPES][NKINDS], gpu[NDTYPES][NKINDS];
} Activation;

#define KINDS(NAME, S, SUFFIX)                                                 \
  {(Any)NAME##_##S##SUFFIX, (Any)NAME##_grad_##S##SUFFIX}
#define ENTRY(NAME, PARAMS, VALUE)                                             \
  {#NAME,                                                                      \
   PARAMS,                                                                     \
   VALUE,                                                                      \
   {KINDS(NAME, f32, ), KINDS(NAME, bf16, ), KINDS(NAME, f16, )},              \
   {KINDS(NAME, f32, _cuda), KINDS(NAME, bf16, _cuda),                         \
    KINDS(NAME, f16, _cuda)}},
static const Activation activations[] = {
#include "kernels.def"
};
#undef ENTRY
#undef KINDS
enum { NACT = sizeof activations / sizeof *activations };

typedef void (*CpuForward0)(const void *, void *, int64_t);
typedef void (*CpuForward1)(const void *, void *, int64_t, float);
typedef void (*CpuGrad0)(const void *, const void *, void *, int64_t);
typedef void (*CpuGrad1)(const void *, const void *, void *, int64_t, float,
                         float *);
typedef int (*GpuForward0)(const void *, void *, int64_t, void *);
typedef int (*GpuForward1)(const void *, void *, int64_t, void *, float);
typedef int (*GpuGrad0)(const void *, const void *, void *, int64_t, void *);
typedef int (*GpuGrad1)(const void *, const void *, void *, int64_t, void *,
                        float, float *);

static void runCpu(const Activation *a, int dtype, int kind, const void *x,
                   const void *dy, void *y, int64_t n) {
  Any f = a->cpu[dtype][kind];
  float dp;
  if (kind == FORWARD && a->params == 0) ((CpuForward0)f)(x, y, n);
  if (kind == FORWARD && a->params == 1) ((CpuForward1)f)(x, y, n, a->param);
  if (kind == GRAD && a->params == 0) ((CpuGrad0)f)(x, dy, y, n);
  if (kind == GRAD && a->params == 1) ((CpuGrad1)f)(x, dy, y, n, a->param, &dp);
}

static CUdeviceptr dParam;
static int runGpu(const Activation *a, int dtype, int kind, CUdeviceptr x,
                  CUdeviceptr dy, CUdeviceptr y, int64_t n) {
  Any f = a->gpu[dtype][kind];
  void *vx = (void *)x, *vdy = (void *)dy, *vy = (void *)y;
  if (kind == FORWARD && a->params == 0) return ((GpuForward0)f)(vx, vy, n, 0);
  if (kind == FORWARD) return ((GpuForward1)f)(vx, vy, n, 0, a->param);
  if (a->params == 0) return ((GpuGrad0)f)(vx, vdy, vy, n, 0);
  return ((GpuGrad1)f)(vx, vdy, vy, n, 0, a->param, (float *)dParam);
}

typedef struct {
  uint64_t differ, nanMismatch;
  double maxUlp;
  uint32_t worst; /* input bits of the largest distance */
} Stats;

static void merge(Stats *into, const Stats *from) {
  into->differ += from->differ;
  into->nanMismatch += from->nanMismatch;
  if (from->maxUlp > into->maxUlp) {
    into->maxUlp = from->maxUlp;
    into->worst = from->worst;
  }
}

/* One CPU thread's share of a chunk: compute the CPU kernel on its slice and
   compare with the GPU's result. */
typedef struct {
  const Activation *act;
  int dtype, kind;
  const void *x, *dy, *gpuY;
  void *cpuY;
  int64_t begin, end;
  Stats stats;
} Slice;

static void *compareSlice(void *arg) {
  Slice *s = arg;
  size_t size = s->dtype == F32 ? 4 : 2;
  const char *x = s->x, *dy = s->dy, *g = s->gpuY;
  char *c = s->cpuY;
  int64_t n = s->end - s->begin;
  runCpu(s->act, s->dtype, s->kind, x + s->begin * size, dy + s->begin * size,
         c + s->begin * size, n);
  uint16_t inf16 = s->dtype == BF16 ? 0x7f80 : 0x7c00;
  memset(&s->stats, 0, sizeof s->stats);
  for (int64_t i = s->begin; i < s->end; ++i) {
    if (memcmp(c + i * size, g + i * size, size) == 0) continue;
    uint32_t in;
    double d;
    if (size == 4) {
      float a, b;
      memcpy(&a, c + i * 4, 4);
      memcpy(&b, g + i * 4, 4);
      memcpy(&in, x + i * 4, 4);
      d = ulp32(a, b);
    } else {
      uint16_t a16, b16, in16;
      memcpy(&a16, c + i * 2, 2);
      memcpy(&b16, g + i * 2, 2);
      memcpy(&in16, x + i * 2, 2);
      in = in16;
      d = ulp16(a16, b16, inf16);
    }
    if (d == 0) continue; /* equal, or two NaNs */
    ++s->stats.differ;
    if (isinf(d)) {
      ++s->stats.nanMismatch;
      continue;
    }
    if (d > s->stats.maxUlp) {
      s->stats.maxUlp = d;
      s->stats.worst = in;
    }
  }
  return 0;
}

enum { THREADS = 16 };

/* The CPU side of one chunk, split over THREADS threads. */
static void compareChunk(const Activation *act, int dtype, int kind,
                         const void *x, const void *dy, const void *gpuY,
                         void *cpuY, int64_t n, Stats *total) {
  Slice slices[THREADS];
  pthread_t threads[THREADS];
  int64_t per = (n + THREADS - 1) / THREADS;
  for (int t = 0; t < THREADS; ++t) {
    int64_t begin = t * per < n ? t * per : n;
    int64_t end = begin + per < n ? begin + per : n;
    slices[t] = (Slice){act, dtype, kind, x, dy, gpuY, cpuY, begin, end, {0}};
    if (pthread_create(&threads[t], 0, compareSlice, &slices[t]) != 0) {
      fprintf(stderr, "pthread_create failed\n");
      exit(1);
    }
  }
  for (int t = 0; t < THREADS; ++t) {
    pthread_join(threads[t], 0);
    merge(total, &slices[t].stats);
  }
}

/* Whether `name` is one of the comma-separated `names` (NULL: all). */
static int selected(const char *names, const char *name) {
  if (!names) return 1;
  size_t length = strlen(name);
  for (const char *at = names; (at = strstr(at, name)); at += length)
    if ((at == names || at[-1] == ',') && (at[length] == ',' || !at[length]))
      return 1;
  return 0;
}

static void report(const Activation *act, int dtype, int kind,
                   const Stats *s, uint64_t inputs) {
  char worst[48] = "-";
  if (s->maxUlp > 0) {
    if (dtype == F32) {
      float w;
      memcpy(&w, &s->worst, 4);
      snprintf(worst, sizeof worst, "%a", (double)w);
    } else {
      snprintf(worst, sizeof worst, "0x%04x", s->worst);
    }
  }
  printf("%-14s %-5s %-7s %12llu %12llu %8.0f %16s %10llu\n", act->name,
         dtypeNames[dtype], kindNames[kind], (unsigned long long)inputs,
         (unsigned long long)s->differ, s->maxUlp, worst,
         (unsigned long long)s->nanMismatch);
}

int main(int argc, char **argv) {
  const char *which = argc > 1 ? argv[1] : "all";
  int doF32 = strcmp(which, "16bit") != 0, do16 = strcmp(which, "f32") != 0;
  int64_t chunks = argc > 2 ? atoll(argv[2]) : 16;
  if (chunks < 1 || chunks > 16) chunks = 16;
  const char *names = argc > 3 ? argv[3] : NULL;
  usePrimaryContext();
  CHECK(cuMemAlloc(&dParam, sizeof(float)));

  const int64_t chunk = (int64_t)1 << 28;
  CUdeviceptr dx, ddy, dy;
  CHECK(cuMemAlloc(&dx, chunk * 4));
  CHECK(cuMemAlloc(&ddy, chunk * 4));
  CHECK(cuMemAlloc(&dy, chunk * 4));
  void *hx, *hdy, *gpuY, *cpuY;
  CHECK(cuMemAllocHost(&hx, chunk * 4));
  CHECK(cuMemAllocHost(&hdy, chunk * 4));
  CHECK(cuMemAllocHost(&gpuY, chunk * 4));
  cpuY = malloc(chunk * 4);
  if (!cpuY) return 1;

  printf("every input of the type through the GPU kernel and the CPU kernel "
         "(dy = 1, default parameters); ULP of the element type\n");
  printf("%-14s %-5s %-7s %12s %12s %8s %16s %10s\n", "activation", "dtype",
         "kernel", "inputs", "differ", "max ULP", "worst x", "NaN diff");
  int failures = 0;
  static Stats stats[NACT][NKINDS];

  if (doF32) {
    uint32_t one = 0x3f800000;
    CHECK(cuMemsetD32(ddy, one, chunk));
    for (int64_t i = 0; i < chunk; ++i) ((uint32_t *)hdy)[i] = one;
    for (int64_t base = 0; base < chunks * chunk; base += chunk) {
      for (int64_t i = 0; i < chunk; ++i)
        ((uint32_t *)hx)[i] = (uint32_t)(base + i);
      CHECK(cuMemcpyHtoD(dx, hx, chunk * 4));
      for (int a = 0; a < NACT; ++a)
        for (int kind = 0; kind < NKINDS; ++kind) {
          if (!selected(names, activations[a].name)) continue;
          CHECK(runGpu(&activations[a], F32, kind, dx, ddy, dy, chunk));
          CHECK(cuCtxSynchronize());
          CHECK(cuMemcpyDtoH(gpuY, dy, chunk * 4));
          compareChunk(&activations[a], F32, kind, hx, hdy, gpuY, cpuY, chunk,
                       &stats[a][kind]);
        }
      fprintf(stderr, "f32: %lld of %lld chunks\n",
              (long long)(base / chunk + 1), (long long)chunks);
    }
    for (int a = 0; a < NACT; ++a)
      for (int kind = 0; kind < NKINDS; ++kind) {
        if (!selected(names, activations[a].name)) continue;
        report(&activations[a], F32, kind, &stats[a][kind],
               (uint64_t)(chunks * chunk));
        failures += stats[a][kind].nanMismatch != 0;
      }
  }

  if (do16) {
    const int64_t n = 1 << 16;
    uint16_t *x16 = hx, *dy16 = hdy;
    for (int dtype = BF16; dtype <= F16; ++dtype) {
      uint16_t one = dtype == BF16 ? 0x3f80 : 0x3c00;
      for (int64_t i = 0; i < n; ++i) x16[i] = (uint16_t)i, dy16[i] = one;
      CHECK(cuMemcpyHtoD(dx, hx, n * 2));
      CHECK(cuMemcpyHtoD(ddy, hdy, n * 2));
      for (int a = 0; a < NACT; ++a)
        for (int kind = 0; kind < NKINDS; ++kind) {
          if (!selected(names, activations[a].name)) continue;
          Stats s = {0};
          CHECK(runGpu(&activations[a], dtype, kind, dx, ddy, dy, n));
          CHECK(cuCtxSynchronize());
          CHECK(cuMemcpyDtoH(gpuY, dy, n * 2));
          compareChunk(&activations[a], dtype, kind, hx, hdy, gpuY, cpuY, n,
                       &s);
          report(&activations[a], dtype, kind, &s, n);
          failures += s.nanMismatch != 0;
        }
    }
  }
  printf("%d kernel(s) with NaN where the other side has a number\n",
         failures);
  return failures != 0;
}
