/* The baseline a user gets without actc: the same formulas as plain C loops,
 * compiled by bench/run-foundation.sh with gcc -O3 -march=native -ffast-math
 * (glibc's libmvec vectorizes expf, tanhf, erff, logf, log1pf, expm1f). */
#include <math.h>
#include <stdint.h>

#define LOOP(name, expr)                                                       \
  void naive_##name(const float *restrict in, float *restrict out,             \
                    int64_t n) {                                               \
    for (int64_t i = 0; i < n; ++i) {                                          \
      float x = in[i];                                                         \
      out[i] = (expr);                                                         \
    }                                                                          \
  }

static inline float sigm(float x) { return 1.0f / (1.0f + expf(-x)); }
static inline float softp(float x) { return log1pf(expf(x)); }

LOOP(sigmoid, sigm(x))
LOOP(tanh, tanhf(x))
LOOP(elu, x > 0 ? x : expm1f(x))
LOOP(selu, 1.0507009873554805f * (x > 0 ? x : 1.6732632423543772f * expm1f(x)))
LOOP(celu, x > 0 ? x : expm1f(x))
LOOP(softplus, x > 20.0f ? x : softp(x))
LOOP(gelu, 0.5f * x * (1.0f + erff(x * 0.70710678118654752f)))
LOOP(gelu_tanh, 0.5f * x * (1.0f + tanhf(0.7978845608028654f * (x + 0.044715f * x * x * x))))
LOOP(quick_gelu, x * sigm(1.702f * x))
LOOP(silu, x * sigm(x))
LOOP(mish, x * tanhf(softp(x)))
LOOP(logsigmoid, -softp(-x))
LOOP(tanhshrink, x - tanhf(x))
LOOP(softsign, x / (1.0f + fabsf(x)))
LOOP(relu, x > 0 ? x : 0.0f)
LOOP(relu6, fminf(fmaxf(x, 0.0f), 6.0f))
LOOP(leaky_relu, x >= 0 ? x : 0.01f * x)
LOOP(hardtanh, fminf(fmaxf(x, -1.0f), 1.0f))
LOOP(hard_sigmoid, fminf(fmaxf(x + 3.0f, 0.0f), 6.0f) / 6.0f)
LOOP(hard_swish, x * fminf(fmaxf(x + 3.0f, 0.0f), 6.0f) / 6.0f)
LOOP(identity, x)
