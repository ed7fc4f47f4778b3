//===- forward_values.cpp - y = f(x) for the backward rows' saved output --===//
//
// The harness hands every backward row y = f(x) (what from-y kernels read).
// Its accuracy does not matter for timing, its speed does at 64M elements:
// compiled like the gcc loops (-O3 -march=native -ffast-math, libmvec).
//
//===----------------------------------------------------------------------===//

#include "bench.h"
#include "formulas.h"

#include <cmath>

namespace {

template <int FN> void values(const float *__restrict x, float *__restrict y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = formulas::F<formulas::Libm>::forward(FN, x[i]);
}

template <int... FNs> struct Table {
  static constexpr void (*fns[])(const float *, float *, int64_t) = {values<FNs>...};
};
using All = Table<formulas::Sigmoid, formulas::Tanh, formulas::Relu, formulas::LeakyRelu,
                  formulas::Elu, formulas::Selu, formulas::Softplus, formulas::Gelu,
                  formulas::GeluTanh, formulas::Silu, formulas::Mish, formulas::HardSwish>;

} // namespace

namespace bench {

void forwardValues(const std::string &fn, const float *x, float *y, int64_t n) {
  int f = formulas::lookup(fn.c_str());
  for (int64_t i = 0; f < 0 && i < n; ++i)
    y[i] = 0.0f;
  if (f >= 0)
    All::fns[f](x, y, n);
}

void forwardValuesBf16(const std::string &fn, const uint16_t *x, uint16_t *y, int64_t n) {
  const int64_t block = 4096;
  float xs[block], ys[block];
  for (int64_t i = 0; i < n; i += block) {
    int64_t m = std::min(block, n - i);
    for (int64_t j = 0; j < m; ++j)
      xs[j] = bf16ToFloat(x[i + j]);
    forwardValues(fn, xs, ys, m);
    for (int64_t j = 0; j < m; ++j)
      y[i + j] = floatToBf16(ys[j]);
  }
}

} // namespace bench
