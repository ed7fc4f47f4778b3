/* A fake CUDA driver for loader.test: the few driver functions a GPU
   object calls, on the host, recording what the launchers and the loader
   do. Contexts are FakeContext objects whose id the test sets (a context
   "re-created" at the same address gets a new id, as cuCtxGetId's are
   unique per process); modules remember the context id they were loaded
   in, so a launch of a function from another context's module is seen. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fake-cuda.h"

_Thread_local FakeContext *fakeCurrent;
FakeStats fakeStats;
int fakeLoadError, fakeCubinError;

typedef struct {
  unsigned long long context;
  int fromPtx;
} FakeModule;
typedef struct {
  FakeModule *module;
  const char *name;
} FakeFunction;

static void count(int *counter) { __atomic_add_fetch(counter, 1, __ATOMIC_SEQ_CST); }

int cuCtxGetCurrent(void **context) {
  *context = fakeCurrent;
  return 0;
}

int cuCtxGetId(void *context, unsigned long long *id) {
  FakeContext *c = context;
  if (c->destroyed) return 709; /* CUDA_ERROR_CONTEXT_IS_DESTROYED */
  *id = c->id;
  return 0;
}

int cuModuleLoadData(void **module, const void *image) {
  count(&fakeStats.loadCalls);
  int isCubin = memcmp(image, "\x7f" "ELF", 4) == 0;
  if (fakeLoadError) return fakeLoadError;
  if (isCubin && fakeCubinError) return fakeCubinError;
  /* The loader is serialized: a second thread in here at once is a bug. */
  if (__atomic_add_fetch(&fakeStats.inLoad, 1, __ATOMIC_SEQ_CST) != 1)
    count(&fakeStats.concurrentLoads);
  for (volatile int spin = 0; spin < 100000; ++spin) {
  }
  __atomic_sub_fetch(&fakeStats.inLoad, 1, __ATOMIC_SEQ_CST);
  FakeModule *m = malloc(sizeof *m);
  m->context = fakeCurrent->id;
  m->fromPtx = !isCubin;
  if (m->fromPtx) count(&fakeStats.ptxLoads);
  count(&fakeStats.loads);
  *module = m;
  return 0;
}

int cuModuleGetFunction(void **function, void *module, const char *name) {
  count(&fakeStats.getFunctions);
  FakeFunction *f = malloc(sizeof *f);
  f->module = module;
  f->name = name;
  *function = f;
  return 0;
}

int cuLaunchKernel(void *function, unsigned gx, unsigned gy, unsigned gz,
                   unsigned bx, unsigned by, unsigned bz, unsigned shared,
                   void *stream, void **params, void **extra) {
  FakeFunction *f = function;
  count(&fakeStats.launches);
  if (f->module->context != fakeCurrent->id) count(&fakeStats.staleLaunches);
  FakeLaunch *last = &fakeStats.last;
  strncpy(last->name, f->name, sizeof last->name - 1);
  last->grid[0] = gx, last->grid[1] = gy, last->grid[2] = gz;
  last->block[0] = bx, last->block[1] = by, last->block[2] = bz;
  last->stream = stream;
  (void)shared, (void)params, (void)extra;
  return 0;
}

int cuMemsetD32Async(unsigned long long pointer, unsigned value, size_t count_,
                     void *stream) {
  count(&fakeStats.memsets);
  (void)pointer, (void)value, (void)count_, (void)stream;
  return 0;
}
