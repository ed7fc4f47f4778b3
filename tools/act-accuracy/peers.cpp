//===- peers.cpp - the benchmark's peers as act-accuracy kernels ----------===//
//
// bench/formulas.h's activations over one math library, exported with the
// signatures of actc's kernels (PEER_NAME_f32, PEER_NAME_grad_f32 with
// dy = 1), so that tools/act-accuracy measures a peer exactly as it measures
// actc. scripts/accuracy-peers.sh compiles this file once per peer, as
// scripts/bench-build.sh compiles bench/ (same flags):
//   -DPEER_LOOPS    loops over glibc's scalar expf/tanhf/erff (-O2);
//   -DPEER_LIBMVEC  the same loops with -O3 -march=native -ffast-math
//                   (gcc vectorizes them through libmvec);
//   -DPEER_SLEEF    SLEEF's u10 AVX-512 functions, 16 lanes at a time;
//   -DPEER_ONEDNN   oneDNN's eltwise primitives (backward sigmoid and tanh
//                   from the saved output, as frameworks call them).
//
//===----------------------------------------------------------------------===//

#include "formulas.h"

#include <cstdint>
#include <cstring>

using namespace formulas;

#if defined(PEER_LOOPS) || defined(PEER_LIBMVEC)
template <int FN> void fwd(const float *x, float *y, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    y[i] = F<Libm>::forward(FN, x[i]);
}
template <int FN>
void bwd(const float *x, const float *dy, float *dx, int64_t n) {
  for (int64_t i = 0; i < n; ++i)
    dx[i] = F<Libm>::backward(FN, x[i], dy[i]);
}
#elif defined(PEER_SLEEF)
#include <immintrin.h>
#include <sleef.h>
struct SleefU10 {
  using V = __m512;
  static V exp(V x) { return Sleef_expf16_u10avx512f(x); }
  static V expm1(V x) { return Sleef_expm1f16_u10avx512f(x); }
  static V log1p(V x) { return Sleef_log1pf16_u10avx512f(x); }
  static V tanh(V x) { return Sleef_tanhf16_u10avx512f(x); }
  static V erf(V x) { return Sleef_erff16_u10avx512f(x); }
};
template <int FN> void fwd(const float *x, float *y, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    _mm512_storeu_ps(y + i, F<SleefU10>::forward(FN, _mm512_loadu_ps(x + i)));
  if (i < n) {
    __mmask16 m = __mmask16((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(
        y + i, m, F<SleefU10>::forward(FN, _mm512_maskz_loadu_ps(m, x + i)));
  }
}
template <int FN>
void bwd(const float *x, const float *dy, float *dx, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    _mm512_storeu_ps(dx + i,
                     F<SleefU10>::backward(FN, _mm512_loadu_ps(x + i),
                                           _mm512_loadu_ps(dy + i)));
  if (i < n) {
    __mmask16 m = __mmask16((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(
        dx + i, m,
        F<SleefU10>::backward(FN, _mm512_maskz_loadu_ps(m, x + i),
                              _mm512_maskz_loadu_ps(m, dy + i)));
  }
}
#elif defined(PEER_ONEDNN)
#include <oneapi/dnnl/dnnl.hpp>
using dnnl::algorithm;
using dnnl::memory;
struct Alg {
  algorithm fwd, bwd;
  float alpha;
  bool fromY;
};
static const Alg kAlgs[NumFns] = {
    {algorithm::eltwise_logistic, algorithm::eltwise_logistic_use_dst_for_bwd,
     0, true},
    {algorithm::eltwise_tanh, algorithm::eltwise_tanh_use_dst_for_bwd, 0,
     true},
    {algorithm::eltwise_relu, algorithm::eltwise_relu, 0, false},
    {algorithm::eltwise_relu, algorithm::eltwise_relu, 0.01f, false},
    {algorithm::eltwise_elu, algorithm::eltwise_elu, 1.0f, false},
    {algorithm::undef, algorithm::undef, 0, false}, // no SELU
    {algorithm::eltwise_soft_relu, algorithm::eltwise_soft_relu, 0, false},
    {algorithm::eltwise_gelu_erf, algorithm::eltwise_gelu_erf, 0, false},
    {algorithm::eltwise_gelu_tanh, algorithm::eltwise_gelu_tanh, 0, false},
    {algorithm::eltwise_swish, algorithm::eltwise_swish, 1.0f, false},
    {algorithm::eltwise_mish, algorithm::eltwise_mish, 0, false},
    {algorithm::eltwise_hardswish, algorithm::eltwise_hardswish, 0, false},
};
static dnnl::engine &engine() {
  static dnnl::engine eng(dnnl::engine::kind::cpu, 0);
  return eng;
}
static void eltwise(int fn, bool backward, const float *x, const float *dy,
                    float *out, int64_t n) {
  const Alg &a = kAlgs[fn];
  memory::desc md({n}, memory::data_type::f32, memory::format_tag::a);
  auto mem = [&](const void *p) {
    return memory(md, engine(), const_cast<void *>(p));
  };
  dnnl::stream stream(engine());
  dnnl::eltwise_forward::desc fd(dnnl::prop_kind::forward_training, a.fwd, md,
                                 a.alpha, 0.0f);
  dnnl::eltwise_forward::primitive_desc fpd(fd, engine());
  if (!backward) {
    dnnl::eltwise_forward(fpd).execute(
        stream, {{DNNL_ARG_SRC, mem(x)}, {DNNL_ARG_DST, mem(out)}});
    stream.wait();
    return;
  }
  float *y = nullptr;
  if (a.fromY) {
    y = new float[n];
    dnnl::eltwise_forward(fpd).execute(
        stream, {{DNNL_ARG_SRC, mem(x)}, {DNNL_ARG_DST, mem(y)}});
    stream.wait();
  }
  dnnl::eltwise_forward::desc hd(dnnl::prop_kind::forward_training, a.bwd, md,
                                 a.alpha, 0.0f);
  dnnl::eltwise_forward::primitive_desc hint(hd, engine());
  dnnl::eltwise_backward::desc bd(a.bwd, md, md, a.alpha, 0.0f);
  dnnl::eltwise_backward::primitive_desc bpd(bd, engine(), hint);
  dnnl::eltwise_backward(bpd).execute(
      stream, {{a.fromY ? DNNL_ARG_DST : DNNL_ARG_SRC, mem(a.fromY ? y : x)},
               {DNNL_ARG_DIFF_DST, mem(dy)},
               {DNNL_ARG_DIFF_SRC, mem(out)}});
  stream.wait();
  delete[] y;
}
template <int FN> void fwd(const float *x, float *y, int64_t n) {
  eltwise(FN, false, x, nullptr, y, n);
}
template <int FN>
void bwd(const float *x, const float *dy, float *dx, int64_t n) {
  eltwise(FN, true, x, dy, dx, n);
}
#else
#error "define one of PEER_LOOPS, PEER_LIBMVEC, PEER_SLEEF, PEER_ONEDNN"
#endif

#define EXPORT(prefix, name, FN)                                               \
  extern "C" void prefix##_##name##_f32(const float *x, float *y, int64_t n) { \
    fwd<FN>(x, y, n);                                                          \
  }                                                                            \
  extern "C" void prefix##_##name##_grad_f32(const float *x, const float *dy,  \
                                             float *dx, int64_t n) {           \
    bwd<FN>(x, dy, dx, n);                                                     \
  }
#define EXPORT_ALL(prefix)                                                     \
  EXPORT(prefix, sigmoid, Sigmoid)                                             \
  EXPORT(prefix, tanh, Tanh)                                                   \
  EXPORT(prefix, relu, Relu)                                                   \
  EXPORT(prefix, leaky_relu, LeakyRelu)                                        \
  EXPORT(prefix, elu, Elu)                                                     \
  EXPORT(prefix, softplus, Softplus)                                           \
  EXPORT(prefix, gelu, Gelu)                                                   \
  EXPORT(prefix, gelu_tanh, GeluTanh)                                          \
  EXPORT(prefix, silu, Silu)                                                   \
  EXPORT(prefix, mish, Mish)                                                   \
  EXPORT(prefix, hard_swish, HardSwish)

#if defined(PEER_LOOPS)
EXPORT_ALL(loops)
EXPORT(loops, selu, Selu)
#elif defined(PEER_LIBMVEC)
EXPORT_ALL(libmvec)
EXPORT(libmvec, selu, Selu)
#elif defined(PEER_SLEEF)
EXPORT_ALL(sleef)
EXPORT(sleef, selu, Selu)
#else
EXPORT_ALL(onednn)
#endif
