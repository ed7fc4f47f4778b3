//===- peer_xnnpack.cpp - XNNPACK's unary operators and softmax -----------===//
//
// XNNPACK (Debian's 2022-02 snapshot) is inference-only and has, in f32:
// sigmoid, ELU, leaky ReLU, hardswish, clamp (ReLU) and softmax; no tanh,
// GELU, SiLU, softplus, mish or SELU, and no backward. Operators are created
// and set up once per shape and run without a thread pool (one thread).
//
//===----------------------------------------------------------------------===//

#include "bench.h"

#include <xnnpack.h>

#include <limits>
#include <memory>

using namespace bench;

namespace {

struct Op {
  xnn_operator_t op = nullptr;
  ~Op() {
    if (op)
      xnn_delete_operator(op);
  }
};

Runner prepare(const Problem &p) {
  if (p.dtype != DType::F32)
    return {};
  auto *x = static_cast<const float *>(p.x);
  auto *y = static_cast<float *>(p.out);
  auto o = std::make_shared<Op>();
  xnn_status s = xnn_status_unsupported_parameter;
  // Elementwise: a batch of n rows of one channel (contiguous, so XNNPACK
  // runs it as one flat range).
  size_t n = size_t(p.n);
  if (p.kind == Kind::Forward) {
    const std::string &fn = p.fn;
    if (fn == "sigmoid") {
      s = xnn_create_sigmoid_nc_f32(1, 1, 1, 0, &o->op);
      if (s == xnn_status_success)
        s = xnn_setup_sigmoid_nc_f32(o->op, n, x, y, nullptr);
    } else if (fn == "elu") {
      s = xnn_create_elu_nc_f32(1, 1, 1, 1.0f, 0, &o->op);
      if (s == xnn_status_success)
        s = xnn_setup_elu_nc_f32(o->op, n, x, y, nullptr);
    } else if (fn == "leaky_relu") {
      s = xnn_create_leaky_relu_nc_f32(1, 1, 1, 0.01f, 0, &o->op);
      if (s == xnn_status_success)
        s = xnn_setup_leaky_relu_nc_f32(o->op, n, x, y, nullptr);
    } else if (fn == "hard_swish") {
      s = xnn_create_hardswish_nc_f32(1, 1, 1, 0, &o->op);
      if (s == xnn_status_success)
        s = xnn_setup_hardswish_nc_f32(o->op, n, x, y, nullptr);
    } else if (fn == "relu") {
      s = xnn_create_clamp_nc_f32(1, 1, 1, 0.0f,
                                  std::numeric_limits<float>::infinity(), 0, &o->op);
      if (s == xnn_status_success)
        s = xnn_setup_clamp_nc_f32(o->op, n, x, y, nullptr);
    }
  } else if (p.kind == Kind::RowForward && p.fn == "softmax") {
    s = xnn_create_softmax_nc_f32(size_t(p.cols), size_t(p.cols), size_t(p.cols),
                                  0, &o->op);
    if (s == xnn_status_success)
      s = xnn_setup_softmax_nc_f32(o->op, size_t(p.rows), x, y, nullptr);
  }
  if (s != xnn_status_success)
    return {};
  return [o](int64_t calls) {
    for (int64_t c = 0; c < calls; ++c)
      xnn_run_operator(o->op, nullptr);
  };
}

} // namespace

void registerXnnpack(Registry &r) {
  if (xnn_initialize(nullptr) != xnn_status_success) {
    r.notes.push_back("XNNPACK: xnn_initialize failed on this CPU; its columns read n/a.");
    return;
  }
  r.add({"XNNPACK", true, false, [](const Problem &p, int) { return prepare(p); }});
}
