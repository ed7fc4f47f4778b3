//===- bench.h - The side-by-side benchmark's contender interface ---------===//
//
// One row of a table is a Problem (an activation, a kind of kernel, a dtype
// and a size, with its buffers). Every contender (actc in each precision
// mode, and each peer library) is asked to prepare a Runner for it; an empty
// Runner means "this contender has no such kernel" and prints as n/a. The
// harness owns the buffers, the timing and the accuracy measurement, so all
// contenders see the same inputs at the same addresses.
//
// A peer is one file, bench/peer_NAME.cpp, that defines
// `void registerNAME(Registry &)`. The harness declares those functions weak:
// a peer whose library is not installed is not compiled or linked, and its
// columns read n/a. Adding a peer, or a kernel to a peer, is one entry.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_BENCH_BENCH_H
#define ACTC_BENCH_BENCH_H

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace bench {

enum class Kind {
  Forward,    // y = f(x)
  Backward,   // dx = dy * f'(x); `aux` holds y = f(x) for from-y kernels
  RowForward, // softmax, log_softmax: y[r,:] = f(x[r,:]), rows x cols
  RowBackward, // the same: dx from y (in `x`) and dy
  Matmul,     // c = f(a . b + bias): a = x (m x k), b = dy (k x n), bias = aux
};

enum class DType { F32, BF16 };

struct Problem {
  std::string fn; // the activation, as actc's prelude names it
  Kind kind;
  DType dtype;
  int64_t n;      // elements (elementwise; rows * cols for row kinds)
  int64_t rows;   // row kinds; matmul: m
  int64_t cols;   // row kinds; matmul: n
  int64_t k;      // matmul only
  const void *x;
  const void *dy;
  const void *aux;
  void *out;      // y, dx or c
};

/// Runs the prepared kernel `calls` times back to back. `calls == 0` must
/// leave the result of the last call in `out` (for a runner whose timed call
/// discards it); the accuracy check runs `r(1); r(0);` and reads `out`.
using Runner = std::function<void(int64_t calls)>;

/// A Runner that calls `body()` `calls` times.
template <class Body> Runner repeatCalls(Body body) {
  return [=](int64_t calls) {
    for (int64_t c = 0; c < calls; ++c)
      body();
  };
}

struct Contender {
  std::string name;   // the column
  bool isPeer = true; // false: actc itself, or a bandwidth limit
  /// True for contenders that spread one call over `threads` themselves
  /// (PyTorch); the harness splits every other one into per-thread halves.
  bool ownThreads = false;
  std::function<Runner(const Problem &, int threads)> prepare;
  /// Larger problems are not run (a compute-bound scalar loop at 64M would
  /// take minutes and says nothing the 262144 row does not).
  int64_t maxN = INT64_MAX;
  /// A variant (e.g. actc's grad-from-y kernels) that gets a line only in the
  /// rows where it exists, instead of an n/a everywhere else.
  bool hideWhenAbsent = false;
};

struct Registry {
  std::vector<Contender> contenders;
  std::vector<std::string> notes; // printed under the tables
  void add(Contender c) { contenders.push_back(std::move(c)); }
};

/// bf16 <-> f32 (round to nearest even; NaN stays NaN).
inline float bf16ToFloat(uint16_t h) {
  uint32_t bits = uint32_t(h) << 16;
  float f;
  __builtin_memcpy(&f, &bits, 4);
  return f;
}
inline uint16_t floatToBf16(float f) {
  uint32_t bits;
  __builtin_memcpy(&bits, &f, 4);
  if ((bits & 0x7fffffffu) > 0x7f800000u)
    return uint16_t((bits >> 16) | 0x40);
  bits += 0x7fffu + ((bits >> 16) & 1);
  return uint16_t(bits >> 16);
}

/// actc's bias kernel NAME_bias_f32 (y = f(x + bias[c]) on rows x cols) of
/// a precision mode ("fast", "accurate", "default"), or null; defined in
/// peer_actc.cpp, so that OpenBLAS + actc's pass is a matmul contender.
using BiasKernel = void (*)(const float *x, const float *bias, float *y, int64_t rows,
                            int64_t cols);
BiasKernel actcBiasKernel(const std::string &mode, const std::string &fn)
    __attribute__((weak));

/// y = f(x) (bench/forward_values.cpp; fast, not accurate).
void forwardValues(const std::string &fn, const float *x, float *y, int64_t n);
void forwardValuesBf16(const std::string &fn, const uint16_t *x, uint16_t *y, int64_t n);

} // namespace bench

// The peers; each is defined only where its library was found.
#define BENCH_PEERS(X)                                                         \
  X(Actc) X(LoopsFast) X(LoopsScalar) X(Sleef) X(Eigen) X(OneDnn) X(Xnnpack) X(OpenBlas) X(Torch) \
      X(Bandwidth)
#define BENCH_DECLARE(P) void register##P(bench::Registry &) __attribute__((weak));
BENCH_PEERS(BENCH_DECLARE)
#undef BENCH_DECLARE

#endif // ACTC_BENCH_BENCH_H
