//===- peer_eigen.cpp - Eigen 3.4 array expressions -----------------------===//
//
// What an Eigen user writes: whole-array expressions over Map<ArrayXf>,
// using Eigen's own vectorized logistic/tanh/erf/exp/expm1/log1p packets
// (AVX-512 with -march=native). Conditionals are select(), which evaluates
// both sides, as in any Eigen code. Softmax is the rowwise max / exp / sum.
//
//===----------------------------------------------------------------------===//

#include "bench.h"
#include "formulas.h"

#include <Eigen/Core>
#include <unsupported/Eigen/SpecialFunctions> // erf

using namespace bench;
using namespace formulas;

namespace {

using Arr = Eigen::ArrayXf;
using In = Eigen::Map<const Arr>;
using Out = Eigen::Map<Arr>;

void forward(int fn, In x, Out y) {
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

void backward(int fn, In x, In dy, Out dx) {
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

using RowMajor = Eigen::Array<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

void softmax(const float *x, float *y, int64_t rows, int64_t cols) {
  Eigen::Map<const RowMajor> X(x, rows, cols);
  Eigen::Map<RowMajor> Y(y, rows, cols);
  Y = (X.colwise() - X.rowwise().maxCoeff()).exp();
  Y.colwise() /= Y.rowwise().sum();
}

void softmaxGrad(const float *y, const float *dy, float *dx, int64_t rows,
                 int64_t cols) {
  Eigen::Map<const RowMajor> Y(y, rows, cols), DY(dy, rows, cols);
  Eigen::Map<RowMajor> DX(dx, rows, cols);
  DX = Y * (DY.colwise() - (Y * DY).rowwise().sum());
}

Runner prepare(const Problem &p) {
  if (p.dtype != DType::F32)
    return {};
  auto *x = static_cast<const float *>(p.x);
  auto *dy = static_cast<const float *>(p.dy);
  auto *out = static_cast<float *>(p.out);
  int64_t n = p.n, rows = p.rows, cols = p.cols;
  int fn = lookup(p.fn.c_str());
  switch (p.kind) {
  case Kind::Forward:
    if (fn < 0)
      return {};
    return repeatCalls([=] { forward(fn, In(x, n), Out(out, n)); });
  case Kind::Backward:
    if (fn < 0)
      return {};
    return repeatCalls([=] { backward(fn, In(x, n), In(dy, n), Out(out, n)); });
  case Kind::RowForward:
    if (p.fn != "softmax")
      return {};
    return repeatCalls([=] { softmax(x, out, rows, cols); });
  case Kind::RowBackward:
    if (p.fn != "softmax")
      return {};
    return repeatCalls([=] { softmaxGrad(x, dy, out, rows, cols); });
  case Kind::Matmul:
    return {};
  }
  return {};
}

} // namespace

void registerEigen(Registry &r) {
  r.add({"Eigen 3.4", true, false, [](const Problem &p, int) { return prepare(p); }});
}
