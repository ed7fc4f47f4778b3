/* The loader of a GPU object against the real CUDA driver (scripts/
   gpu-check.sh runs it after the kernel table): what test/GPU/loader.test
   checks against a fake driver, checked on a GPU. Every launch's result is
   compared bit for bit with the first one (gelu_f32 on the same inputs), so
   a launch that ran another context's module, or none, shows.

   - no current context: CUDA_ERROR_INVALID_CONTEXT, a negative size:
     CUDA_ERROR_INVALID_VALUE, n = 0: success;
   - 16 threads make their first launches at once in a new context;
   - a context destroyed and another created (often at the same address):
     the new one loads its own module;
   - 70 contexts in turn, more than the loader's 64 slots, twice round.

   Prints one line per check; exits 1 on the first failure. */
#define _POSIX_C_SOURCE 200809L
#include <cuda.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu.h"

#define EXPECT(cond)                                                           \
  do {                                                                         \
    if (!(cond)) {                                                             \
      printf("driver check FAILED %s:%d: %s\n", __FILE__, __LINE__, #cond);    \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

enum { N = 1 << 16, THREADS = 16, CONTEXTS = 70 };
static float input[N], expected[N];
static CUdevice device;

/* gelu_f32 over `input` in the current context; 1 when the result equals
   `expected` bit for bit (or, the first time, sets it). */
static int geluMatches(int first) {
  CUdeviceptr x, y;
  static float result[N];
  if (cuMemAlloc(&x, sizeof input) || cuMemAlloc(&y, sizeof input)) return 0;
  int ok = cuMemcpyHtoD(x, input, sizeof input) == CUDA_SUCCESS &&
           gelu_f32_cuda((void *)x, (void *)y, N, 0) == CUDA_SUCCESS &&
           cuCtxSynchronize() == CUDA_SUCCESS &&
           cuMemcpyDtoH(result, y, sizeof result) == CUDA_SUCCESS;
  cuMemFree(x);
  cuMemFree(y);
  if (!ok) return 0;
  if (first) memcpy(expected, result, sizeof result);
  return memcmp(expected, result, sizeof result) == 0;
}

static CUcontext shared;
static void *firstLaunch(void *unused) {
  (void)unused;
  if (cuCtxSetCurrent(shared) != CUDA_SUCCESS) return (void *)1;
  return geluMatches(0) ? 0 : (void *)1;
}

int main(void) {
  for (int i = 0; i < N; ++i) input[i] = -12.0f + 24.0f * (float)i / N;
  EXPECT(cuInit(0) == CUDA_SUCCESS);
  EXPECT(cuDeviceGet(&device, 0) == CUDA_SUCCESS);

  EXPECT(gelu_f32_cuda((void *)0x1000, (void *)0x2000, 10, 0) ==
         CUDA_ERROR_INVALID_CONTEXT);
  CUcontext primary;
  EXPECT(cuDevicePrimaryCtxRetain(&primary, device) == CUDA_SUCCESS);
  EXPECT(cuCtxSetCurrent(primary) == CUDA_SUCCESS);
  EXPECT(gelu_f32_cuda((void *)0x1000, (void *)0x2000, -1, 0) ==
         CUDA_ERROR_INVALID_VALUE);
  EXPECT(gelu_f32_cuda((void *)0x1000, (void *)0x2000, 0, 0) == CUDA_SUCCESS);
  EXPECT(geluMatches(1));
  printf("driver check: errors and the primary context: ok\n");

  EXPECT(cuCtxCreate(&shared, NULL, 0, device) == CUDA_SUCCESS);
  pthread_t threads[THREADS];
  for (int t = 0; t < THREADS; ++t)
    EXPECT(pthread_create(&threads[t], 0, firstLaunch, 0) == 0);
  for (int t = 0; t < THREADS; ++t) {
    void *failed;
    EXPECT(pthread_join(threads[t], &failed) == 0 && failed == 0);
  }
  printf("driver check: %d threads' first launches in a new context: ok\n",
         THREADS);

  CUcontext old = shared;
  EXPECT(cuCtxDestroy(shared) == CUDA_SUCCESS);
  EXPECT(cuCtxCreate(&shared, NULL, 0, device) == CUDA_SUCCESS);
  EXPECT(geluMatches(0));
  printf("driver check: a re-created context (%s address): ok\n",
         old == shared ? "same" : "another");
  EXPECT(cuCtxDestroy(shared) == CUDA_SUCCESS);

  static CUcontext contexts[CONTEXTS];
  for (int round = 0; round < 2; ++round)
    for (int c = 0; c < CONTEXTS; ++c) {
      if (round == 0)
        EXPECT(cuCtxCreate(&contexts[c], NULL, 0, device) == CUDA_SUCCESS);
      EXPECT(cuCtxSetCurrent(contexts[c]) == CUDA_SUCCESS);
      EXPECT(geluMatches(0));
    }
  for (int c = 0; c < CONTEXTS; ++c)
    EXPECT(cuCtxDestroy(contexts[c]) == CUDA_SUCCESS);
  printf("driver check: %d contexts twice round (64 slots): ok\n", CONTEXTS);
  return 0;
}
