/* The fake driver's controls and records (fake-cuda.c). */
#ifndef FAKE_CUDA_H
#define FAKE_CUDA_H

typedef struct {
  unsigned long long id;
  int destroyed;
} FakeContext;

typedef struct {
  char name[64];
  unsigned grid[3], block[3];
  void *stream;
} FakeLaunch;

typedef struct {
  int loadCalls, loads, ptxLoads, getFunctions, launches, staleLaunches,
      memsets, inLoad, concurrentLoads;
  FakeLaunch last;
} FakeStats;

/* The calling thread's current context (NULL: none). */
extern _Thread_local FakeContext *fakeCurrent;
extern FakeStats fakeStats;
/* cuModuleLoadData fails with this CUresult when nonzero (for a cubin
   image only: fakeCubinError). */
extern int fakeLoadError, fakeCubinError;

#endif
