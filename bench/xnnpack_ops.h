//===- xnnpack_ops.h - XNNPACK's f32 operator for one activation ----------===//
//
// XNNPACK (Debian's 2022-02 snapshot) has, in f32: sigmoid, ELU, leaky ReLU,
// hardswish and clamp (ReLU). Shared by the benchmark's XNNPACK peer
// (peer_xnnpack.cpp) and act-accuracy's (tools/act-accuracy/peers.cpp), so
// that the speed and the accuracy tables measure the same operators.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_BENCH_XNNPACK_OPS_H
#define ACTC_BENCH_XNNPACK_OPS_H

#include "formulas.h"

#include <xnnpack.h>

#include <limits>

namespace xnnpack_ops {

/// Creates `fn`'s operator (formulas.h's index) over a batch of n
/// one-channel rows (contiguous: XNNPACK runs it as one flat range) from x
/// to y, and sets it up; xnn_status_unsupported_parameter where XNNPACK has
/// no such activation. `*op` is left for the caller to delete when set.
inline xnn_status createOperator(int fn, size_t n, const float *x, float *y,
                                 xnn_operator_t *op) {
  using namespace formulas;
  // Every operator here is created, then set up over the same range.
  auto setUp = [&](xnn_status created, auto setup) {
    return created == xnn_status_success ? setup(*op, n, x, y, nullptr)
                                         : created;
  };
  switch (fn) {
  case Sigmoid:
    return setUp(xnn_create_sigmoid_nc_f32(1, 1, 1, 0, op),
                 xnn_setup_sigmoid_nc_f32);
  case Elu:
    return setUp(xnn_create_elu_nc_f32(1, 1, 1, 1.0f, 0, op),
                 xnn_setup_elu_nc_f32);
  case LeakyRelu:
    return setUp(xnn_create_leaky_relu_nc_f32(1, 1, 1, 0.01f, 0, op),
                 xnn_setup_leaky_relu_nc_f32);
  case HardSwish:
    return setUp(xnn_create_hardswish_nc_f32(1, 1, 1, 0, op),
                 xnn_setup_hardswish_nc_f32);
  case Relu:
    return setUp(xnn_create_clamp_nc_f32(
                     1, 1, 1, 0.0f, std::numeric_limits<float>::infinity(), 0,
                     op),
                 xnn_setup_clamp_nc_f32);
  }
  return xnn_status_unsupported_parameter;
}

} // namespace xnnpack_ops

#endif // ACTC_BENCH_XNNPACK_OPS_H
