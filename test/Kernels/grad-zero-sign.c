// The sign of a zero dx = dy f'(x) where dy = +-0: sign(dy) sign(f'(x))
// (docs/autodiff.md, "Zero and infinite dy"). The accurate f32 gradient
// forms that round dy f' once (DyProduct.h) added the low part dy lo to
// dy hi: -0 + +0 = +0, so dy = -0 gave +0 where f' > 0 (softsign', every
// x; hard_swish', elu', celu', selu', silu', gelu', gelu_tanh', quick_gelu'
// on part of the line). dropLowForSpecialDy (Approx/AccurateF32.h) adds -0
// there. tools/act-accuracy --grad --specials counts these now (test/Tools/
// act-accuracy-zeros.test); grad-zero-sign-avx512.test runs this file on
// the AVX-512 forms, where they were wrong.
//
// RUN: actc --only softsign,hard_swish,elu,celu,selu,silu,gelu,gelu_tanh,quick_gelu,sigmoid,tanh,softplus,logsigmoid --dtype f32 --kernels grad -o %t.o --header %t.h
// RUN: %cc -O1 -include %t.h %s %t.o -lm -o %t
// RUN: %t
// RUN: actc --only softsign,hard_swish,elu,celu,selu,silu,gelu,gelu_tanh,quick_gelu,sigmoid,tanh,softplus,logsigmoid --dtype f32 --kernels grad --precision=fast -o %t.fast.o --header %t.fast.h
// RUN: %cc -O1 -include %t.fast.h %s %t.fast.o -lm -o %t.fast
// RUN: %t.fast

#include <math.h>
#include <stdint.h>
#include <stdio.h>

typedef void (*Grad)(const float *, const float *, float *, int64_t);

static long double sig(long double x) { return 1 / (1 + expl(-x)); }
static long double x_sig_d(long double x, long double k) {
  long double s = sig(k * x);
  return s * (1 + k * x * (1 - s));
}
static long double d_softsign(long double x) {
  return 1 / ((1 + fabsl(x)) * (1 + fabsl(x)));
}
static long double d_hard_swish(long double x) {
  return x > 3 ? 1 : (x < -3 ? 0 : (2 * x + 3) / 6);
}
static long double d_elu(long double x) { return x > 0 ? 1 : expl(x); }
static long double d_silu(long double x) { return x_sig_d(x, 1); }
static long double d_quick_gelu(long double x) { return x_sig_d(x, 1.702L); }
static long double d_gelu(long double x) {
  return 0.5L * erfcl(-x / sqrtl(2)) +
         x * expl(-x * x / 2) / sqrtl(2 * 3.14159265358979323846L);
}
static long double d_gelu_tanh(long double x) {
  long double c = sqrtl(2 / 3.14159265358979323846L);
  long double u = c * (x + 0.044715L * x * x * x);
  long double t = tanhl(u);
  return 0.5L * (1 + t) +
         0.5L * x * (1 - t * t) * c * (1 + 3 * 0.044715L * x * x);
}
static long double d_sigmoid(long double x) { return sig(x) * sig(-x); }
static long double d_tanh(long double x) { return 1 - tanhl(x) * tanhl(x); }
static long double d_softplus(long double x) { return sig(x); }
static long double d_logsigmoid(long double x) { return sig(-x); }

static const struct {
  const char *name;
  Grad grad;
  long double (*slope)(long double);
} kernels[] = {
    {"softsign", softsign_grad_f32, d_softsign},
    {"hard_swish", hard_swish_grad_f32, d_hard_swish},
    {"elu", elu_grad_f32, d_elu},
    {"celu", celu_grad_f32, d_elu},
    {"selu", selu_grad_f32, d_elu},
    {"silu", silu_grad_f32, d_silu},
    {"gelu", gelu_grad_f32, d_gelu},
    {"gelu_tanh", gelu_tanh_grad_f32, d_gelu_tanh},
    {"quick_gelu", quick_gelu_grad_f32, d_quick_gelu},
    {"sigmoid", sigmoid_grad_f32, d_sigmoid},
    {"tanh", tanh_grad_f32, d_tanh},
    {"softplus", softplus_grad_f32, d_softplus},
    {"logsigmoid", logsigmoid_grad_f32, d_logsigmoid},
};

int main(void) {
  // Where f' is a normal number of known sign (no tails, no kinks).
  enum { N = 24 };
  const float xs[N] = {-0.0f, 0.0f,  1e-30f, -1e-30f, 0x1p-149f, -0x1p-149f,
                       0.25f, -0.25f, 0.5f,  -0.5f,   1.0f,      -1.0f,
                       2.0f,  -2.0f,  2.5f,  -2.5f,   5.0f,      -5.0f,
                       1e-5f, -1e-5f, 0.1f,  -0.1f,   -4.0f,     -2.75f};
  int failures = 0;
  for (unsigned k = 0; k < sizeof(kernels) / sizeof(kernels[0]); ++k) {
    for (int d = 0; d < 4; ++d) {
      const float dys[4] = {0.0f, -0.0f, 1.0f, -1.0f};
      float x[N], dy[N], dx[N];
      for (int i = 0; i < N; ++i)
        x[i] = xs[i], dy[i] = dys[d];
      kernels[k].grad(x, dy, dx, N);
      for (int i = 0; i < N; ++i) {
        long double slope = kernels[k].slope(x[i]);
        if (slope == 0 || fabsl(slope) < 0x1p-100L)
          continue; // no sign defined, or a tail
        int want = (slope < 0) != (signbit(dy[i]) != 0); // 1: negative
        int ok = (signbit(dx[i]) != 0) == want &&
                 (d >= 2 ? dx[i] != 0 : dx[i] == 0);
        if (!ok) {
          printf("FAIL %s_grad(x = %a, dy = %g) = %a: want a %s%s\n",
                 kernels[k].name, x[i], dy[i], dx[i],
                 want ? "negative" : "positive", d >= 2 ? " number" : " zero");
          ++failures;
        }
      }
    }
  }
  if (!failures)
    printf("grad zero signs: ok\n");
  return failures != 0;
}
