//===- formulas.h - Activations as a user writes them over a math library -===//
//
// The baseline a user gets without actc: torch.nn's definitions written
// directly over a math library's exp/expm1/log1p/tanh/erf. `M` supplies the
// element type `M::V` (float, or a GNU vector such as __m512) and those five
// functions; the same text serves glibc's scalar libm, gcc's libmvec loops
// and SLEEF's vector functions. Gradients are the analytic derivatives,
// computed from x (dx = dy * f'(x)), as a hand-written backward would be.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_BENCH_FORMULAS_H
#define ACTC_BENCH_FORMULAS_H

#include <cmath>

namespace formulas {

constexpr float kSeluAlpha = 1.6732632423543772f;
constexpr float kSeluScale = 1.0507009873554805f;
constexpr float kSqrtHalf = 0.70710678118654752f;      // 1 / sqrt(2)
constexpr float kInvSqrt2Pi = 0.39894228040143268f;    // 1 / sqrt(2 pi)
constexpr float kSqrt2OverPi = 0.79788456080286536f;   // sqrt(2 / pi)
constexpr float kGeluCubic = 0.044715f;

/// Scalar float math from glibc's libm: the M of the plain C++ loops
/// (vectorized through libmvec where gcc is allowed to).
struct Libm {
  using V = float;
  static float exp(float x) { return ::expf(x); }
  static float expm1(float x) { return ::expm1f(x); }
  static float log1p(float x) { return ::log1pf(x); }
  static float tanh(float x) { return ::tanhf(x); }
  static float erf(float x) { return ::erff(x); }
};

template <class M> struct F {
  using V = typename M::V;

  static V sigmoid(V x) { return 1.0f / (1.0f + M::exp(-x)); }
  static V softplus(V x) { return x > 20.0f ? x : M::log1p(M::exp(x)); }

  static V forward(int fn, V x);
  static V backward(int fn, V x, V dy);
};

/// The functions, in the order of `kFunctionNames`.
enum Fn {
  Sigmoid, Tanh, Relu, LeakyRelu, Elu, Selu, Softplus, Gelu, GeluTanh, Silu,
  Mish, HardSwish, NumFns
};
inline const char *const kFunctionNames[NumFns] = {
    "sigmoid", "tanh",     "relu", "leaky_relu", "elu",  "selu",
    "softplus", "gelu", "gelu_tanh", "silu",     "mish", "hard_swish"};

inline int lookup(const char *name) {
  for (int i = 0; i < NumFns; ++i)
    if (__builtin_strcmp(kFunctionNames[i], name) == 0)
      return i;
  return -1;
}

template <class M>
__attribute__((always_inline)) inline typename M::V F<M>::forward(int fn, V x) {
  switch (fn) {
  case Sigmoid:
    return sigmoid(x);
  case Tanh:
    return M::tanh(x);
  case Relu:
    return x > 0.0f ? x : 0.0f;
  case LeakyRelu:
    return x >= 0.0f ? x : 0.01f * x;
  case Elu:
    return x > 0.0f ? x : M::expm1(x);
  case Selu:
    return kSeluScale * (x > 0.0f ? x : kSeluAlpha * M::expm1(x));
  case Softplus:
    return softplus(x);
  case Gelu:
    return 0.5f * x * (1.0f + M::erf(x * kSqrtHalf));
  case GeluTanh:
    return 0.5f * x * (1.0f + M::tanh(kSqrt2OverPi * (x + kGeluCubic * x * x * x)));
  case Silu:
    return x * sigmoid(x);
  case Mish:
    return x * M::tanh(softplus(x));
  case HardSwish: {
    V r = x + 3.0f;
    r = r > 0.0f ? r : 0.0f;
    r = r < 6.0f ? r : 6.0f;
    return x * r * (1.0f / 6.0f);
  }
  }
  return x;
}

template <class M>
__attribute__((always_inline)) inline typename M::V F<M>::backward(int fn, V x,
                                                                   V dy) {
  switch (fn) {
  case Sigmoid: {
    V s = sigmoid(x);
    return dy * s * (1.0f - s);
  }
  case Tanh: {
    V t = M::tanh(x);
    return dy * (1.0f - t * t);
  }
  case Relu:
    return x > 0.0f ? dy : 0.0f;
  case LeakyRelu:
    return x > 0.0f ? dy : 0.01f * dy;
  case Elu:
    return x > 0.0f ? dy : dy * M::exp(x);
  case Selu:
    return x > 0.0f ? kSeluScale * dy : dy * (kSeluScale * kSeluAlpha) * M::exp(x);
  case Softplus: {
    V z = M::exp(x);
    return x > 20.0f ? dy : dy * z / (z + 1.0f);
  }
  case Gelu: {
    V cdf = 0.5f * (1.0f + M::erf(x * kSqrtHalf));
    V pdf = kInvSqrt2Pi * M::exp(-0.5f * x * x);
    return dy * (cdf + x * pdf);
  }
  case GeluTanh: {
    V x2 = x * x;
    V t = M::tanh(kSqrt2OverPi * x * (1.0f + kGeluCubic * x2));
    V du = kSqrt2OverPi * (1.0f + 3.0f * kGeluCubic * x2);
    return dy * (0.5f * (1.0f + t) + 0.5f * x * (1.0f - t * t) * du);
  }
  case Silu: {
    V s = sigmoid(x);
    return dy * s * (1.0f + x * (1.0f - s));
  }
  case Mish: {
    V t = M::tanh(softplus(x));
    return dy * (t + x * (1.0f - t * t) * sigmoid(x));
  }
  case HardSwish:
    return x < -3.0f ? 0.0f * dy : (x <= 3.0f ? dy * (x * (1.0f / 3.0f) + 0.5f) : dy);
  }
  return dy;
}

} // namespace formulas

#endif // ACTC_BENCH_FORMULAS_H
