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
//                   from the saved output, as frameworks call them);
//   -DPEER_TORCH    PyTorch's ATen ops (Debian's python3-torch, in an
//                   embedded CPython, one thread): the functions
//                   torch.nn.functional and autograd call, the backward
//                   ops of bench/peer_torch.cpp (sigmoid and tanh from y);
//   -DPEER_EIGEN    Eigen 3.4's array expressions of bench/eigen_exprs.h,
//                   the benchmark's Eigen peer;
//   -DPEER_XNNPACK  XNNPACK's f32 operators (forward only: sigmoid, elu,
//                   leaky_relu, hard_swish, relu as a clamp), created per
//                   call as bench/peer_xnnpack.cpp creates them per shape.
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
#elif defined(PEER_TORCH)
#include <Python.h>
#include <dlfcn.h>
#include <mutex>
static const char *kTorch = R"PY(
import ctypes, torch
A = torch.ops.aten
torch.set_num_threads(1)
SA, SS = 1.6732632423543772, 1.0507009873554805
def t(p, n):
    buf = (ctypes.c_char * (4 * n)).from_address(p)
    return torch.frombuffer(buf, dtype=torch.float32, count=n)
FORWARD = [  # formulas.h's order
    torch.sigmoid, torch.tanh, torch.relu,
    lambda x: A.leaky_relu(x, 0.01), lambda x: A.elu(x, 1.0, 1.0, 1.0),
    lambda x: A.elu(x, SA, SS, 1.0), lambda x: A.softplus(x, 1.0, 20.0),
    lambda x: A.gelu(x), lambda x: A.gelu(x, approximate='tanh'),
    A.silu, A.mish, A.hardswish]
BACKWARD = [
    lambda dy, x: A.sigmoid_backward(dy, torch.sigmoid(x)),
    lambda dy, x: A.tanh_backward(dy, torch.tanh(x)),
    lambda dy, x: A.threshold_backward(dy, x, 0.0),
    lambda dy, x: A.leaky_relu_backward(dy, x, 0.01, False),
    lambda dy, x: A.elu_backward(dy, 1.0, 1.0, 1.0, False, x),
    lambda dy, x: A.elu_backward(dy, SA, SS, 1.0, False, x),
    lambda dy, x: A.softplus_backward(dy, x, 1.0, 20.0),
    lambda dy, x: A.gelu_backward(dy, x),
    lambda dy, x: A.gelu_backward(dy, x, approximate='tanh'),
    A.silu_backward, A.mish_backward, A.hardswish_backward]
def fwd(fn, px, py, n):
    t(py, n).copy_(FORWARD[fn](t(px, n)))
def bwd(fn, px, pdy, pdx, n):
    t(pdx, n).copy_(BACKWARD[fn](t(pdy, n), t(px, n)))
)PY";
static PyObject *torchFn[2];
/// Starts the interpreter once and releases the GIL: act-accuracy's threads
/// take it per call (so PyTorch runs one call at a time).
static void startTorch() {
  static std::once_flag once;
  std::call_once(once, [] {
    // act-accuracy dlopens this file privately; PyTorch's and CPython's
    // extension modules need libpython's symbols global.
    Dl_info info;
    if (dladdr((void *)&Py_InitializeEx, &info) && info.dli_fname)
      dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);
    Py_InitializeEx(0);
    PyObject *module = PyImport_AddModule("__main__");
    PyObject *globals = PyModule_GetDict(module);
    PyObject *r = PyRun_String(kTorch, Py_file_input, globals, globals);
    if (!r)
      PyErr_Print();
    Py_XDECREF(r);
    torchFn[0] = PyDict_GetItemString(globals, "fwd");
    torchFn[1] = PyDict_GetItemString(globals, "bwd");
    PyEval_SaveThread();
  });
}
static void torchCall(int fn, bool backward, const float *x, const float *dy,
                      float *out, int64_t n) {
  startTorch();
  PyGILState_STATE gil = PyGILState_Ensure();
  auto p = [](const void *q) { return (unsigned long long)(uintptr_t)q; };
  PyObject *r =
      backward ? PyObject_CallFunction(torchFn[1], "iKKKL", fn, p(x), p(dy),
                                       p(out), (long long)n)
               : PyObject_CallFunction(torchFn[0], "iKKL", fn, p(x), p(out),
                                       (long long)n);
  if (!r)
    PyErr_Print();
  Py_XDECREF(r);
  PyGILState_Release(gil);
}
template <int FN> void fwd(const float *x, float *y, int64_t n) {
  torchCall(FN, false, x, nullptr, y, n);
}
template <int FN>
void bwd(const float *x, const float *dy, float *dx, int64_t n) {
  torchCall(FN, true, x, dy, dx, n);
}
#elif defined(PEER_EIGEN)
#include "eigen_exprs.h"
template <int FN> void fwd(const float *x, float *y, int64_t n) {
  eigen_exprs::forward(FN, eigen_exprs::In(x, n), eigen_exprs::Out(y, n));
}
template <int FN>
void bwd(const float *x, const float *dy, float *dx, int64_t n) {
  eigen_exprs::backward(FN, eigen_exprs::In(x, n), eigen_exprs::In(dy, n),
                        eigen_exprs::Out(dx, n));
}
#elif defined(PEER_XNNPACK)
#include "xnnpack_ops.h"
#include <cstdio>
#include <cstdlib>
#include <mutex>
/// Creates `FN`'s operator for n elements as the benchmark does
/// (bench/xnnpack_ops.h), runs it once on one thread, deletes it.
template <int FN> void fwd(const float *x, float *y, int64_t n) {
  static std::once_flag once;
  std::call_once(once, [] {
    if (xnn_initialize(nullptr) != xnn_status_success) {
      std::fprintf(stderr, "XNNPACK: xnn_initialize failed\n");
      std::exit(1);
    }
  });
  xnn_operator_t op = nullptr;
  xnn_status s = xnnpack_ops::createOperator(FN, size_t(n), x, y, &op);
  if (s == xnn_status_success)
    s = xnn_run_operator(op, nullptr);
  if (op)
    xnn_delete_operator(op);
  if (s != xnn_status_success) {
    std::fprintf(stderr, "XNNPACK: operator %d failed (status %d)\n", FN,
                 int(s));
    std::exit(1);
  }
}
#else
#error "define one of PEER_LOOPS, PEER_LIBMVEC, PEER_SLEEF, PEER_ONEDNN, PEER_TORCH, PEER_EIGEN, PEER_XNNPACK"
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
#elif defined(PEER_TORCH)
EXPORT_ALL(torch)
EXPORT(torch, selu, Selu)
#elif defined(PEER_EIGEN)
EXPORT_ALL(eigen)
EXPORT(eigen, selu, Selu)
#elif defined(PEER_XNNPACK)
#define EXPORT_FORWARD(name, FN)                                               \
  extern "C" void xnnpack_##name##_f32(const float *x, float *y, int64_t n) {  \
    fwd<FN>(x, y, n);                                                          \
  }
EXPORT_FORWARD(sigmoid, Sigmoid)
EXPORT_FORWARD(relu, Relu)
EXPORT_FORWARD(leaky_relu, LeakyRelu)
EXPORT_FORWARD(elu, Elu)
EXPORT_FORWARD(hard_swish, HardSwish)
#else
EXPORT_ALL(onednn)
#endif
