/* loader.test: the launchers and the loader of a GPU object against the
   fake driver (fake-cuda.c), on the host: sizes, launch shapes, one module
   load per context (concurrent first launches included), a context
   re-created at the same address, more contexts than the table has slots,
   the PTX fallback, errors returned as CUresult. Prints one line per check
   and exits 1 on the first failure. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "fake-cuda.h"
#include "kernels.h"

static int failures;
#define EXPECT(cond)                                                           \
  do {                                                                         \
    if (!(cond)) {                                                             \
      printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);                   \
      exit(1);                                                                 \
    }                                                                          \
  } while (0)

static float *const X = (float *)0x1000, *const Y = (float *)0x2000;

static void *launchMany(void *arg) {
  fakeCurrent = arg;
  for (int i = 0; i < 100; ++i)
    EXPECT(gelu_f32_cuda(X, Y, 1000, 0) == 0);
  return 0;
}

int main(void) {
  /* No current context: CUDA_ERROR_INVALID_CONTEXT, nothing loaded. */
  EXPECT(gelu_f32_cuda(X, Y, 10, 0) == 201);
  FakeContext a = {.id = 1};
  fakeCurrent = &a;
  /* Sizes: negative is CUDA_ERROR_INVALID_VALUE, 0 launches nothing. */
  EXPECT(gelu_f32_cuda(X, Y, -1, 0) == 1);
  EXPECT(gelu_bias_f32_cuda(X, X, Y, 4, -3, 0) == 1);
  EXPECT(gelu_f32_cuda(X, Y, 0, 0) == 0);
  EXPECT(softmax_f32_cuda(X, Y, 0, 5, 0) == 0);
  EXPECT(fakeStats.loadCalls == 0 && fakeStats.launches == 0);
  printf("sizes: ok\n");

  /* One load per context; functions fetched once each. */
  EXPECT(gelu_f32_cuda(X, Y, 1000, (void *)0x77) == 0);
  EXPECT(fakeStats.loads == 1 && fakeStats.launches == 1);
  EXPECT(fakeStats.last.grid[0] == 4 && fakeStats.last.grid[1] == 1 &&
         fakeStats.last.block[0] == 256 && fakeStats.last.stream == (void *)0x77);
  EXPECT(gelu_f32_cuda(X, Y, 1 << 30, 0) == 0);
  EXPECT(fakeStats.last.grid[0] == 8192);
  EXPECT(gelu_grad_f32_cuda(X, X, Y, 5, 0) == 0);
  EXPECT(softmax_f32_cuda(X, Y, 20, 3000, 0) == 0);
  /* One warp per row, 8 rows per block of 256. */
  EXPECT(fakeStats.last.grid[0] == 3 && fakeStats.last.block[0] == 256);
  float dalpha;
  EXPECT(prelu_grad_f32_cuda(X, X, Y, 5, 0, 0.25f, &dalpha) == 0);
  EXPECT(fakeStats.memsets == 1);
  EXPECT(gelu_f32_cuda(X, Y, 10, 0) == 0);
  EXPECT(fakeStats.loads == 1 && fakeStats.getFunctions == 4);
  printf("one context: %d load, %d functions, %d launches\n", fakeStats.loads,
         fakeStats.getFunctions, fakeStats.launches);

  /* The context destroyed and another created at the same address: a new
     id, so a new module (a stale one would be launched otherwise). */
  a.destroyed = 1;
  EXPECT(gelu_f32_cuda(X, Y, 10, 0) == 709);
  a.destroyed = 0;
  a.id = 2;
  EXPECT(gelu_f32_cuda(X, Y, 10, 0) == 0);
  EXPECT(fakeStats.loads == 2 && fakeStats.staleLaunches == 0);
  printf("re-created context: %d loads, %d stale launches\n", fakeStats.loads,
         fakeStats.staleLaunches);

  /* 200 contexts, more than the table's 64 slots, visited twice: every
     launch uses its own context's module. */
  static FakeContext many[200];
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < 200; ++i) {
      many[i].id = 100 + i;
      fakeCurrent = &many[i];
      EXPECT(gelu_f32_cuda(X, Y, 10, 0) == 0);
      EXPECT(gelu_f32_cuda(X, Y, 10, 0) == 0);
    }
  EXPECT(fakeStats.staleLaunches == 0);
  int afterMany = fakeStats.loads;
  /* The last 64 still have theirs. */
  for (int i = 200 - 64; i < 200; ++i) {
    fakeCurrent = &many[i];
    EXPECT(gelu_grad_f32_cuda(X, X, Y, 10, 0) == 0);
  }
  EXPECT(fakeStats.loads == afterMany && fakeStats.staleLaunches == 0);
  printf("200 contexts: %d loads, %d stale launches\n", fakeStats.loads,
         fakeStats.staleLaunches);

  /* Concurrent first launches in a new context: one load, never two at
     once. */
  FakeContext shared = {.id = 1000};
  pthread_t threads[16];
  int before = fakeStats.loads;
  for (int i = 0; i < 16; ++i)
    pthread_create(&threads[i], 0, launchMany, &shared);
  for (int i = 0; i < 16; ++i) pthread_join(threads[i], 0);
  EXPECT(fakeStats.loads == before + 1 && fakeStats.concurrentLoads == 0);
  printf("16 threads: %d load\n", fakeStats.loads - before);

  /* The driver refuses the cubin: the PTX is loaded instead. */
  FakeContext b = {.id = 2000};
  fakeCurrent = &b;
  fakeCubinError = 209; /* CUDA_ERROR_NO_BINARY_FOR_GPU */
  int ptxBefore = fakeStats.ptxLoads;
  EXPECT(gelu_f32_cuda(X, Y, 10, 0) == 0);
  EXPECT(fakeStats.ptxLoads == ptxBefore + 1);
  fakeCubinError = 0;
  printf("cubin refused: PTX loaded\n");

  /* Both refused: the CUresult comes back, nothing is launched, and the
     next launch tries again. */
  FakeContext c = {.id = 3000};
  fakeCurrent = &c;
  fakeLoadError = 218; /* CUDA_ERROR_INVALID_PTX */
  int launches = fakeStats.launches;
  EXPECT(gelu_f32_cuda(X, Y, 10, 0) == 218);
  EXPECT(fakeStats.launches == launches);
  fakeLoadError = 0;
  EXPECT(gelu_f32_cuda(X, Y, 10, 0) == 0);
  EXPECT(fakeStats.launches == launches + 1 && fakeStats.staleLaunches == 0);
  printf("load error: returned, then retried\n");
  return failures;
}
