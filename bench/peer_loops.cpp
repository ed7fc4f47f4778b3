//===- peer_loops.cpp - Plain C++ loops over glibc's libm -----------------===//
//
// Compiled twice by scripts/bench-build.sh:
//   -DLOOPS_FAST   g++ -O3 -march=native -ffast-math: gcc vectorizes the
//                  loops and calls libmvec (_ZGVeN16v_expf, ...);
//   -DLOOPS_SCALAR g++ -O2 -fno-tree-vectorize: one scalar libm call per
//                  element, glibc's correctly-rounded-ish expf/tanhf/erff.
// Forward and backward of every function in formulas.h, softmax and
// log_softmax rows, and (fast build only) bf16 storage with f32 arithmetic.
//
//===----------------------------------------------------------------------===//

#include "bench.h"
#include "formulas.h"

#include <cmath>

using namespace bench;
using namespace formulas;

namespace {

template <int FN>
void forwardLoop(const float *__restrict x, float *__restrict y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = F<Libm>::forward(FN, x[i]);
}

template <int FN>
void backwardLoop(const float *__restrict x, const float *__restrict dy,
                  float *__restrict dx, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    dx[i] = F<Libm>::backward(FN, x[i], dy[i]);
}

// bf16 storage: widen, compute in f32, round to nearest even.
inline float widen(uint16_t h) { return __builtin_bit_cast(float, uint32_t(h) << 16); }
inline uint16_t narrow(float f) {
  uint32_t bits = __builtin_bit_cast(uint32_t, f);
  return uint16_t((bits + 0x7fffu + ((bits >> 16) & 1)) >> 16);
}

template <int FN>
void forwardLoopBf16(const uint16_t *__restrict x, uint16_t *__restrict y,
                     int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = narrow(F<Libm>::forward(FN, widen(x[i])));
}

template <int FN>
void backwardLoopBf16(const uint16_t *__restrict x, const uint16_t *__restrict dy,
                      uint16_t *__restrict dx, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    dx[i] = narrow(F<Libm>::backward(FN, widen(x[i]), widen(dy[i])));
}

using Fwd = void (*)(const float *, float *, int64_t);
using Bwd = void (*)(const float *, const float *, float *, int64_t);
using FwdBf16 = void (*)(const uint16_t *, uint16_t *, int64_t);
using BwdBf16 = void (*)(const uint16_t *, const uint16_t *, uint16_t *, int64_t);

template <int... FNs> struct Tables {
  static constexpr Fwd fwd[] = {forwardLoop<FNs>...};
  static constexpr Bwd bwd[] = {backwardLoop<FNs>...};
  static constexpr FwdBf16 fwdBf16[] = {forwardLoopBf16<FNs>...};
  static constexpr BwdBf16 bwdBf16[] = {backwardLoopBf16<FNs>...};
};
using All = Tables<Sigmoid, Tanh, Relu, LeakyRelu, Elu, Selu, Softplus, Gelu,
                   GeluTanh, Silu, Mish, HardSwish>;

/// The largest of a row's `cols` (>= 1) elements.
float rowMax(const float *xr, int64_t cols) {
  float max = xr[0];
  for (int64_t j = 1; j < cols; ++j)
    max = xr[j] > max ? xr[j] : max;
  return max;
}

void softmaxRows(const float *__restrict x, float *__restrict y, int64_t rows,
                 int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    const float *xr = x + r * cols;
    float *yr = y + r * cols;
    float max = rowMax(xr, cols);
    float sum = 0.0f;
    for (int64_t j = 0; j < cols; ++j) {
      yr[j] = ::expf(xr[j] - max);
      sum += yr[j];
    }
    float inv = 1.0f / sum;
    for (int64_t j = 0; j < cols; ++j)
      yr[j] *= inv;
  }
}

void softmaxGradRows(const float *__restrict y, const float *__restrict dy,
                     float *__restrict dx, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    const float *yr = y + r * cols, *dyr = dy + r * cols;
    float *dxr = dx + r * cols;
    float dot = 0.0f;
    for (int64_t j = 0; j < cols; ++j)
      dot += yr[j] * dyr[j];
    for (int64_t j = 0; j < cols; ++j)
      dxr[j] = yr[j] * (dyr[j] - dot);
  }
}

void logSoftmaxRows(const float *__restrict x, float *__restrict y, int64_t rows,
                    int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    const float *xr = x + r * cols;
    float *yr = y + r * cols;
    float max = rowMax(xr, cols);
    float sum = 0.0f;
    for (int64_t j = 0; j < cols; ++j)
      sum += ::expf(xr[j] - max);
    float shift = max + ::logf(sum);
    for (int64_t j = 0; j < cols; ++j)
      yr[j] = xr[j] - shift;
  }
}

void logSoftmaxGradRows(const float *__restrict y, const float *__restrict dy,
                        float *__restrict dx, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    const float *yr = y + r * cols, *dyr = dy + r * cols;
    float *dxr = dx + r * cols;
    float sum = 0.0f;
    for (int64_t j = 0; j < cols; ++j)
      sum += dyr[j];
    for (int64_t j = 0; j < cols; ++j)
      dxr[j] = dyr[j] - ::expf(yr[j]) * sum;
  }
}

Runner prepare(const Problem &p, bool bf16Too) {
  int fn = lookup(p.fn.c_str());
  if (p.dtype == DType::BF16) {
    if (!bf16Too || fn < 0)
      return {};
    auto *x = static_cast<const uint16_t *>(p.x);
    auto *dy = static_cast<const uint16_t *>(p.dy);
    auto *out = static_cast<uint16_t *>(p.out);
    int64_t n = p.n;
    if (p.kind == Kind::Forward)
      return repeatCalls([=] { All::fwdBf16[fn](x, out, n); });
    if (p.kind == Kind::Backward)
      return repeatCalls([=] { All::bwdBf16[fn](x, dy, out, n); });
    return {};
  }
  auto *x = static_cast<const float *>(p.x);
  auto *dy = static_cast<const float *>(p.dy);
  auto *out = static_cast<float *>(p.out);
  int64_t n = p.n, rows = p.rows, cols = p.cols;
  switch (p.kind) {
  case Kind::Forward:
    if (fn < 0)
      return {};
    return repeatCalls([=] { All::fwd[fn](x, out, n); });
  case Kind::Backward:
    if (fn < 0)
      return {};
    return repeatCalls([=] { All::bwd[fn](x, dy, out, n); });
  case Kind::RowForward:
    if (p.fn == "softmax")
      return repeatCalls([=] { softmaxRows(x, out, rows, cols); });
    if (p.fn == "log_softmax")
      return repeatCalls([=] { logSoftmaxRows(x, out, rows, cols); });
    return {};
  case Kind::RowBackward:
    if (p.fn == "softmax")
      return repeatCalls([=] { softmaxGradRows(x, dy, out, rows, cols); });
    if (p.fn == "log_softmax")
      return repeatCalls([=] { logSoftmaxGradRows(x, dy, out, rows, cols); });
    return {};
  case Kind::Matmul:
    return {};
  }
  return {};
}

} // namespace

#if defined(LOOPS_FAST)
void registerLoopsFast(Registry &r) {
  r.add({"gcc -ffast-math loop", true, false,
         [](const Problem &p, int) { return prepare(p, true); }});
}
#elif defined(LOOPS_SCALAR)
void registerLoopsScalar(Registry &r) {
  r.add({"glibc scalar loop", true, false,
         [](const Problem &p, int) { return prepare(p, false); },
         1 << 20});
}
#else
#error "compile with -DLOOPS_FAST or -DLOOPS_SCALAR"
#endif
