//===- peer_xnnpack.cpp - XNNPACK's unary operators and softmax -----------===//
//
// XNNPACK (Debian's 2022-02 snapshot) is inference-only and has, in f32:
// sigmoid, ELU, leaky ReLU, hardswish, clamp (ReLU) and softmax; no tanh,
// GELU, SiLU, softplus, mish, SELU or log-softmax, and no backward.
// Operators are created and set up once per shape and run without a thread
// pool (one thread).
//
//===----------------------------------------------------------------------===//

#include "bench.h"

#include "xnnpack_ops.h"

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
  if (p.kind == Kind::Forward) {
    int fn = formulas::lookup(p.fn.c_str());
    if (fn >= 0)
      s = xnnpack_ops::createOperator(fn, size_t(p.n), x, y, &o->op);
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
