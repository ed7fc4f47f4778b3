//===- eigen_exprs.h - the activations as Eigen 3.4 array expressions -----===//
//
// What an Eigen user writes: whole-array expressions over Map<ArrayXf>,
// using Eigen's own vectorized logistic/tanh/erf/exp/expm1/log1p packets
// (AVX-512 with -march=native). Conditionals are select(), which evaluates
// both sides, as in any Eigen code. Shared by the benchmark's Eigen peer
// (peer_eigen.cpp) and act-accuracy's (tools/act-accuracy/peers.cpp), so
// that the speed and the accuracy tables measure the same code.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_BENCH_EIGEN_EXPRS_H
#define ACTC_BENCH_EIGEN_EXPRS_H

#include "formulas.h"

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions> // erf

namespace eigen_exprs {

using namespace formulas;

using Arr = Eigen::ArrayXf;
using In = Eigen::Map<const Arr>;
using Out = Eigen::Map<Arr>;

inline void forward(int fn, In x, Out y) {
  switch (fn) {
  case Sigmoid:
    y = x.logistic();
    break;
  case Tanh:
    y = x.tanh();
    break;
  case Relu:
    y = x.max(0.0f);
    break;
  case LeakyRelu:
    y = (x >= 0.0f).select(x, 0.01f * x);
    break;
  case Elu:
    y = (x > 0.0f).select(x, x.expm1());
    break;
  case Selu:
    y = kSeluScale * (x > 0.0f).select(x, kSeluAlpha * x.expm1());
    break;
  case Softplus:
    y = (x > 20.0f).select(x, x.exp().log1p());
    break;
  case Gelu:
    y = 0.5f * x * (1.0f + (x * kSqrtHalf).erf());
    break;
  case GeluTanh:
    y = 0.5f * x * (1.0f + (kSqrt2OverPi * (x + kGeluCubic * x.cube())).tanh());
    break;
  case Silu:
    y = x * x.logistic();
    break;
  case Mish:
    y = x * (x > 20.0f).select(x, x.exp().log1p()).tanh();
    break;
  case HardSwish:
    y = x * (x + 3.0f).max(0.0f).min(6.0f) * (1.0f / 6.0f);
    break;
  }
}

inline void backward(int fn, In x, In dy, Out dx) {
  switch (fn) {
  case Sigmoid:
    dx = dy * x.logistic() * (1.0f - x.logistic());
    break;
  case Tanh:
    dx = dy * (1.0f - x.tanh().square());
    break;
  case Relu:
    dx = (x > 0.0f).select(dy, 0.0f);
    break;
  case LeakyRelu:
    dx = (x > 0.0f).select(dy, 0.01f * dy);
    break;
  case Elu:
    dx = (x > 0.0f).select(dy, dy * x.exp());
    break;
  case Selu:
    dx = (x > 0.0f).select(kSeluScale * dy, (kSeluScale * kSeluAlpha) * dy * x.exp());
    break;
  case Softplus:
    dx = (x > 20.0f).select(dy, dy * x.logistic());
    break;
  case Gelu:
    dx = dy * (0.5f * (1.0f + (x * kSqrtHalf).erf()) +
               kInvSqrt2Pi * x * (-0.5f * x.square()).exp());
    break;
  case GeluTanh:
    dx = dy * (0.5f * (1.0f + (kSqrt2OverPi * (x + kGeluCubic * x.cube())).tanh()) +
               0.5f * x *
                   (1.0f - (kSqrt2OverPi * (x + kGeluCubic * x.cube())).tanh().square()) *
                   (kSqrt2OverPi * (1.0f + 3.0f * kGeluCubic * x.square())));
    break;
  case Silu:
    dx = dy * x.logistic() * (1.0f + x * (1.0f - x.logistic()));
    break;
  case Mish:
    dx = dy * ((x > 20.0f).select(x, x.exp().log1p()).tanh() +
               x * (1.0f - (x > 20.0f).select(x, x.exp().log1p()).tanh().square()) *
                   x.logistic());
    break;
  case HardSwish:
    dx = (x < -3.0f).select(0.0f, (x <= 3.0f).select(dy * (x * (1.0f / 3.0f) + 0.5f), dy));
    break;
  }
}

} // namespace eigen_exprs

#endif // ACTC_BENCH_EIGEN_EXPRS_H
