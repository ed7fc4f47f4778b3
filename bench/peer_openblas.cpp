//===- peer_openblas.cpp - OpenBLAS sgemm, then a bias + activation pass --===//
//
// The unfused epilogue: cblas_sgemm (cblas_sbgemm for bf16, which writes f32)
// into C, then one more pass over C that adds the bias and applies the
// activation, compiled like the gcc loops (-O3 -march=native -ffast-math,
// libmvec). OPENBLAS_CORETYPE=Cooperlake and OPENBLAS_NUM_THREADS=1 come
// from scripts/bench.sh: without the first, OpenBLAS 0.3.21 falls back to a
// slow generic kernel on this CPU.
//
//===----------------------------------------------------------------------===//

#include "bench.h"
#include "formulas.h"

#include <cblas.h>
#include <cmath>
#include <memory>
#include <vector>

// Debian's OpenBLAS is built without BUILD_BFLOAT16: sbgemm may be absent.
#pragma weak cblas_sbgemm

using namespace bench;
using namespace formulas;

namespace {

template <int FN>
void biasAct(float *__restrict c, const float *__restrict bias, int64_t m,
             int64_t n) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      c[i * n + j] = F<Libm>::forward(FN, c[i * n + j] + bias[j]);
}

template <int FN>
void biasActBf16(const float *__restrict c, const uint16_t *__restrict bias,
                 uint16_t *__restrict out, int64_t m, int64_t n) {
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) {
      float b = __builtin_bit_cast(float, uint32_t(bias[j]) << 16);
      uint32_t bits = __builtin_bit_cast(uint32_t, F<Libm>::forward(FN, c[i * n + j] + b));
      out[i * n + j] = uint16_t((bits + 0x7fffu + ((bits >> 16) & 1)) >> 16);
    }
}

/// c = a . b, row-major, a m x k, b k x n.
void sgemm(const float *a, const float *b, float *c, int m, int n, int k) {
  cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, k, b,
              n, 0.0f, c, n);
}

Runner prepare(const Problem &p) {
  if (p.kind != Kind::Matmul)
    return {};
  int fn = lookup(p.fn.c_str());
  if (fn != Relu && fn != Gelu && fn != GeluTanh && fn != Silu)
    return {};
  int m = int(p.rows), n = int(p.cols), k = int(p.k);
  if (p.dtype == DType::F32) {
    auto pass = fn == Relu ? biasAct<Relu>
                : fn == Gelu ? biasAct<Gelu>
                : fn == GeluTanh ? biasAct<GeluTanh>
                                 : biasAct<Silu>;
    auto *a = static_cast<const float *>(p.x);
    auto *b = static_cast<const float *>(p.dy);
    auto *bias = static_cast<const float *>(p.aux);
    auto *c = static_cast<float *>(p.out);
    return repeatCalls([=] {
      sgemm(a, b, c, m, n, k);
      pass(c, bias, m, n);
    });
  }
  if (!cblas_sbgemm)
    return {};
  auto pass = fn == Relu ? biasActBf16<Relu>
              : fn == Gelu ? biasActBf16<Gelu>
              : fn == GeluTanh ? biasActBf16<GeluTanh>
                               : biasActBf16<Silu>;
  auto *a = static_cast<const bfloat16 *>(p.x);
  auto *b = static_cast<const bfloat16 *>(p.dy);
  auto *bias = static_cast<const uint16_t *>(p.aux);
  auto *c = static_cast<uint16_t *>(p.out);
  auto scratch = std::make_shared<std::vector<float>>(size_t(m) * n);
  return repeatCalls([=] {
    cblas_sbgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, k,
                 b, n, 0.0f, scratch->data(), n);
    pass(scratch->data(), bias, c, m, n);
  });
}

/// sgemm, then actc's bias kernel of `mode` in place: what an actc user
/// without the fused kernel does.
Runner prepareWithActc(const Problem &p, const std::string &mode) {
  if (p.kind != Kind::Matmul || p.dtype != DType::F32 || !actcBiasKernel)
    return {};
  BiasKernel pass = actcBiasKernel(mode, p.fn);
  if (!pass)
    return {};
  int m = int(p.rows), n = int(p.cols), k = int(p.k);
  auto *a = static_cast<const float *>(p.x);
  auto *b = static_cast<const float *>(p.dy);
  auto *bias = static_cast<const float *>(p.aux);
  auto *c = static_cast<float *>(p.out);
  return repeatCalls([=] {
    sgemm(a, b, c, m, n, k);
    pass(c, bias, c, m, n);
  });
}

} // namespace

void registerOpenBlas(Registry &r) {
  if (!cblas_sbgemm)
    r.notes.push_back("OpenBLAS: this build has no cblas_sbgemm (BUILD_BFLOAT16 off), "
                      "so it has no bf16 matmul row.");
  std::string version = OPENBLAS_VERSION; // " OpenBLAS 0.3.21 "
  version = version.substr(version.find('O'));
  version = version.substr(0, version.find_last_not_of(' ') + 1);
  Contender c{version + " + pass", true, false,
               [](const Problem &p, int) { return prepare(p); }};
  c.hideWhenAbsent = true; // matmul rows only
  r.add(c);
  // Not peers: actc's own bias pass after OpenBLAS (rows appear once actc
  // emits NAME_bias_f32).
  for (const char *mode : {"fast", "accurate", "default"}) {
    Contender with{version + " + actc " + mode + " bias pass", false, false,
                   [mode](const Problem &p, int) { return prepareWithActc(p, mode); }};
    with.hideWhenAbsent = true;
    r.add(with);
  }
}
