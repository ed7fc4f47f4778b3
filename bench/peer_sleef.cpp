//===- peer_sleef.cpp - formulas.h over SLEEF's AVX-512 vector functions --===//
//
// SLEEF is a math library, not an activation library: a SLEEF user writes
// the activation over Sleef_expf16_u10 and friends, 16 lanes at a time, as
// here. "u10" uses the 1.0-ULP functions throughout; "u35" uses the 3.5-ULP
// ones where SLEEF 3.5 has them (tanh) and is listed only for the functions
// that call tanh. Functions without a transcendental (relu, leaky_relu,
// hard_swish) have no SLEEF row. Softmax and log_softmax rows: forward only
// (max, u10 exps, sum; log_softmax adds one u10 log per row).
//
//===----------------------------------------------------------------------===//

#include "bench.h"
#include "formulas.h"

#include <cmath>
#include <immintrin.h>
#include <sleef.h>

using namespace bench;
using namespace formulas;

namespace {

struct SleefU10 {
  using V = __m512;
  static V exp(V x) { return Sleef_expf16_u10avx512f(x); }
  static V expm1(V x) { return Sleef_expm1f16_u10avx512f(x); }
  static V log1p(V x) { return Sleef_log1pf16_u10avx512f(x); }
  static V tanh(V x) { return Sleef_tanhf16_u10avx512f(x); }
  static V erf(V x) { return Sleef_erff16_u10avx512f(x); }
};

struct SleefU35 : SleefU10 {
  static V tanh(V x) { return Sleef_tanhf16_u35avx512f(x); }
};

template <class M, int FN>
void forwardLoop(const float *x, float *y, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    _mm512_storeu_ps(y + i, F<M>::forward(FN, _mm512_loadu_ps(x + i)));
  if (i < n) {
    __mmask16 m = __mmask16((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(y + i, m, F<M>::forward(FN, _mm512_maskz_loadu_ps(m, x + i)));
  }
}

template <class M, int FN>
void backwardLoop(const float *x, const float *dy, float *dx, int64_t n) {
  int64_t i = 0;
  for (; i + 16 <= n; i += 16)
    _mm512_storeu_ps(dx + i, F<M>::backward(FN, _mm512_loadu_ps(x + i),
                                            _mm512_loadu_ps(dy + i)));
  if (i < n) {
    __mmask16 m = __mmask16((1u << (n - i)) - 1);
    _mm512_mask_storeu_ps(dx + i, m,
                          F<M>::backward(FN, _mm512_maskz_loadu_ps(m, x + i),
                                         _mm512_maskz_loadu_ps(m, dy + i)));
  }
}

using Fwd = void (*)(const float *, float *, int64_t);
using Bwd = void (*)(const float *, const float *, float *, int64_t);

template <class M, int... FNs> struct Tables {
  static constexpr Fwd fwd[] = {forwardLoop<M, FNs>...};
  static constexpr Bwd bwd[] = {backwardLoop<M, FNs>...};
};
template <class M>
using All = Tables<M, Sigmoid, Tanh, Relu, LeakyRelu, Elu, Selu, Softplus, Gelu,
                   GeluTanh, Silu, Mish, HardSwish>;

/// The largest of a row's `cols` elements (-inf for an empty row).
float rowMax(const float *xr, int64_t cols) {
  __m512 vmax = _mm512_set1_ps(-INFINITY);
  int64_t j = 0;
  for (; j + 16 <= cols; j += 16)
    vmax = _mm512_max_ps(vmax, _mm512_loadu_ps(xr + j));
  float max = _mm512_reduce_max_ps(vmax);
  for (; j < cols; ++j)
    max = xr[j] > max ? xr[j] : max;
  return max;
}

void softmaxRows(const float *x, float *y, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    const float *xr = x + r * cols;
    float *yr = y + r * cols;
    float max = rowMax(xr, cols);
    int64_t j;
    __m512 shift = _mm512_set1_ps(max), vsum = _mm512_setzero_ps();
    for (j = 0; j + 16 <= cols; j += 16) {
      __m512 e = Sleef_expf16_u10avx512f(_mm512_loadu_ps(xr + j) - shift);
      _mm512_storeu_ps(yr + j, e);
      vsum += e;
    }
    if (j < cols) {
      __mmask16 m = __mmask16((1u << (cols - j)) - 1);
      __m512 e = Sleef_expf16_u10avx512f(_mm512_maskz_loadu_ps(m, xr + j) - shift);
      e = _mm512_maskz_mov_ps(m, e);
      _mm512_mask_storeu_ps(yr + j, m, e);
      vsum += e;
    }
    __m512 inv = _mm512_set1_ps(1.0f / _mm512_reduce_add_ps(vsum));
    for (j = 0; j + 16 <= cols; j += 16)
      _mm512_storeu_ps(yr + j, _mm512_loadu_ps(yr + j) * inv);
    for (; j < cols; ++j)
      yr[j] *= inv[0];
  }
}

/// x - max - log(sum exp(x - max)): the sum in u10 exps, one u10 log per row.
void logSoftmaxRows(const float *x, float *y, int64_t rows, int64_t cols) {
  for (int64_t r = 0; r < rows; ++r) {
    const float *xr = x + r * cols;
    float *yr = y + r * cols;
    float max = rowMax(xr, cols);
    int64_t j;
    __m512 vm = _mm512_set1_ps(max), vsum = _mm512_setzero_ps();
    for (j = 0; j + 16 <= cols; j += 16)
      vsum += Sleef_expf16_u10avx512f(_mm512_loadu_ps(xr + j) - vm);
    if (j < cols) {
      __mmask16 m = __mmask16((1u << (cols - j)) - 1);
      vsum += _mm512_maskz_mov_ps(
          m, Sleef_expf16_u10avx512f(_mm512_maskz_loadu_ps(m, xr + j) - vm));
    }
    float shift = max + Sleef_logf_u10(_mm512_reduce_add_ps(vsum));
    __m512 vs = _mm512_set1_ps(shift);
    for (j = 0; j + 16 <= cols; j += 16)
      _mm512_storeu_ps(yr + j, _mm512_loadu_ps(xr + j) - vs);
    for (; j < cols; ++j)
      yr[j] = xr[j] - shift;
  }
}

bool hasTranscendental(int fn) {
  return fn >= 0 && fn != Relu && fn != LeakyRelu && fn != HardSwish;
}

template <class M> Runner prepare(const Problem &p, bool u35) {
  int fn = lookup(p.fn.c_str());
  if (p.dtype != DType::F32)
    return {};
  auto *x = static_cast<const float *>(p.x);
  auto *dy = static_cast<const float *>(p.dy);
  auto *out = static_cast<float *>(p.out);
  int64_t n = p.n, rows = p.rows, cols = p.cols;
  bool usesTanh = fn == Tanh || fn == GeluTanh || fn == Mish;
  if (p.kind == Kind::Forward || p.kind == Kind::Backward) {
    if (!hasTranscendental(fn) || (u35 && !usesTanh))
      return {};
    if (p.kind == Kind::Forward)
      return repeatCalls([=] { All<M>::fwd[fn](x, out, n); });
    return repeatCalls([=] { All<M>::bwd[fn](x, dy, out, n); });
  }
  if (p.kind == Kind::RowForward && p.fn == "softmax" && !u35)
    return repeatCalls([=] { softmaxRows(x, out, rows, cols); });
  if (p.kind == Kind::RowForward && p.fn == "log_softmax" && !u35)
    return repeatCalls([=] { logSoftmaxRows(x, out, rows, cols); });
  return {};
}

} // namespace

void registerSleef(Registry &r) {
  r.add({"SLEEF u10", true, false,
         [](const Problem &p, int) { return prepare<SleefU10>(p, false); }});
  Contender u35{"SLEEF u35", true, false,
                 [](const Problem &p, int) { return prepare<SleefU35>(p, true); }};
  u35.hideWhenAbsent = true; // only the functions that call tanh
  r.add(u35);
}
