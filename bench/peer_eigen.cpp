//===- peer_eigen.cpp - Eigen 3.4 array expressions -----------------------===//
//
// The activations of eigen_exprs.h (what an Eigen user writes: whole-array
// expressions with Eigen's own vectorized packets), and softmax and
// log_softmax as the rowwise max / exp / sum (/ log).
//
//===----------------------------------------------------------------------===//

#include "bench.h"
#include "eigen_exprs.h"

using namespace bench;
using namespace formulas;

namespace {

using eigen_exprs::In;
using eigen_exprs::Out;
using eigen_exprs::forward;
using eigen_exprs::backward;

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

/// exp over a plain array, never over a broadcast (X.colwise() - v): Eigen
/// evaluates a broadcast one coefficient at a time, with std::exp (about
/// 10x slower, measured on the backward below).
void logSoftmax(const float *x, float *y, int64_t rows, int64_t cols) {
  Eigen::Map<const RowMajor> X(x, rows, cols);
  Eigen::Map<RowMajor> Y(y, rows, cols);
  Y = X.colwise() - X.rowwise().maxCoeff();
  Y.colwise() -= Y.exp().rowwise().sum().log();
}

/// dx = dy - exp(y) * sum(dy) (exp(y) is the softmax), in three passes so
/// that the exp is a packet one (see above).
void logSoftmaxGrad(const float *y, const float *dy, float *dx, int64_t rows,
                    int64_t cols) {
  Eigen::Map<const RowMajor> Y(y, rows, cols), DY(dy, rows, cols);
  Eigen::Map<RowMajor> DX(dx, rows, cols);
  DX = Y.exp();
  DX.colwise() *= DY.rowwise().sum();
  DX = DY - DX;
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
    if (p.fn == "softmax")
      return repeatCalls([=] { softmax(x, out, rows, cols); });
    if (p.fn == "log_softmax")
      return repeatCalls([=] { logSoftmax(x, out, rows, cols); });
    return {};
  case Kind::RowBackward:
    if (p.fn == "softmax")
      return repeatCalls([=] { softmaxGrad(x, dy, out, rows, cols); });
    if (p.fn == "log_softmax")
      return repeatCalls([=] { logSoftmaxGrad(x, dy, out, rows, cols); });
    return {};
  case Kind::Matmul:
    return {};
  }
  return {};
}

} // namespace

void registerEigen(Registry &r) {
  r.add({"Eigen 3.4", true, false, [](const Problem &p, int) { return prepare(p); }});
}
