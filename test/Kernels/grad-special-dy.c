// Special values of dx = dy f'(x) that the exact product defines
// (docs/autodiff.md, "Zero and infinite dy"). A NaN x gives NaN whatever dy
// is, in every build (the accurate AVX-512 sigmoid', tanh' and softplus'
// returned dy for dy = +-0 and +-inf). With CHECK_TAILS (the AVX-512
// accurate forms, grad-special-dy-avx512.test): where f' underflows in f32
// (a tail: sigmoid' beyond 104, silu' below -100, gelu' below -14,
// softsign' beyond 2^64, tanhshrink' next to 0) dx is a zero of sign
// sign(dy) sign(f') for dy = +-1 and +-inf of that sign for dy = +-inf
// (softplus' gave +-0 there, gelu' NaN). logsigmoid' there, and the other
// builds' tails, are not fixed (docs/accuracy.md, "Special values in the
// gradients (session 11, specials)").
//
// RUN: actc --only sigmoid,tanh,softplus,silu,gelu,gelu_tanh,new_gelu,quick_gelu,mish,elu,selu,celu,logsigmoid,softsign,tanhshrink --dtype f32 --kernels grad -o %t.o --header %t.h
// RUN: %cc -O1 -include %t.h %s %t.o -lm -o %t
// RUN: %t
// RUN: actc --only sigmoid,tanh,softplus,silu,gelu,gelu_tanh,new_gelu,quick_gelu,mish,elu,selu,celu,logsigmoid,softsign,tanhshrink --dtype f32 --kernels grad --precision=fast -o %t.fast.o --header %t.fast.h
// RUN: %cc -O1 -include %t.fast.h %s %t.fast.o -lm -o %t.fast
// RUN: %t.fast

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

typedef void (*Grad)(const float *, const float *, float *, int64_t);

/// A kernel, the points of its tails where f' underflows in f32 (|f'| <
/// 2^-150) with the sign of f' there, and whether CHECK_TAILS checks them.
static const struct {
  const char *name;
  Grad grad;
  float tails[6];
  int signs[6];
  int fixed;
} kernels[] = {
    {"sigmoid", sigmoid_grad_f32, {120, -120, 1e10f, -1e10f, FLT_MAX, -FLT_MAX}, {1, 1, 1, 1, 1, 1}, 1},
    {"tanh", tanh_grad_f32, {60, -60, 1e10f, -1e10f, FLT_MAX, -FLT_MAX}, {1, 1, 1, 1, 1, 1}, 1},
    {"softplus", softplus_grad_f32, {-120, -200, -250, -1e10f, -1e30f, -FLT_MAX}, {1, 1, 1, 1, 1, 1}, 1},
    {"silu", silu_grad_f32, {-120, -200, -250, -1e10f, -1e30f, -FLT_MAX}, {-1, -1, -1, -1, -1, -1}, 1},
    {"gelu", gelu_grad_f32, {-15, -20, -250, -1e10f, -1e30f, -FLT_MAX}, {-1, -1, -1, -1, -1, -1}, 1},
    {"gelu_tanh", gelu_tanh_grad_f32, {-15, -20, -250, -1e10f, -1e30f, -FLT_MAX}, {-1, -1, -1, -1, -1, -1}, 1},
    {"new_gelu", new_gelu_grad_f32, {-15, -20, -250, -1e10f, -1e30f, -FLT_MAX}, {-1, -1, -1, -1, -1, -1}, 1},
    {"quick_gelu", quick_gelu_grad_f32, {-70, -120, -250, -1e10f, -1e30f, -FLT_MAX}, {-1, -1, -1, -1, -1, -1}, 1},
    {"mish", mish_grad_f32, {-120, -200, -250, -1e10f, -1e30f, -FLT_MAX}, {-1, -1, -1, -1, -1, -1}, 1},
    {"elu", elu_grad_f32, {-120, -200, -250, -1e10f, -1e30f, -FLT_MAX}, {1, 1, 1, 1, 1, 1}, 1},
    {"selu", selu_grad_f32, {-120, -200, -250, -1e10f, -1e30f, -FLT_MAX}, {1, 1, 1, 1, 1, 1}, 1},
    {"celu", celu_grad_f32, {-120, -200, -250, -1e10f, -1e30f, -FLT_MAX}, {1, 1, 1, 1, 1, 1}, 1},
    {"logsigmoid", logsigmoid_grad_f32, {120, 200, 250, 1e10f, 1e30f, FLT_MAX}, {1, 1, 1, 1, 1, 1}, 0},
    {"softsign", softsign_grad_f32, {1e23f, -1e23f, 1e30f, -1e30f, FLT_MAX, -FLT_MAX}, {1, 1, 1, 1, 1, 1}, 1},
    {"tanhshrink", tanhshrink_grad_f32, {1e-23f, -1e-23f, 1e-30f, -1e-30f, 0x1p-149f, -0x1p-149f}, {1, 1, 1, 1, 1, 1}, 1},
};

int main(void) {
  enum { N = 6 };
  const float dys[4] = {1.0f, -1.0f, INFINITY, -INFINITY};
  const float nanDys[5] = {0.0f, -0.0f, INFINITY, -INFINITY, 1.0f};
  int failures = 0;
  for (unsigned k = 0; k < sizeof(kernels) / sizeof(kernels[0]); ++k) {
    float x[N], dy[N], dx[N];
    // A NaN x: NaN whatever dy is.
    for (int d = 0; d < 5; ++d) {
      for (int i = 0; i < N; ++i)
        x[i] = i & 1 ? -NAN : NAN, dy[i] = nanDys[d];
      kernels[k].grad(x, dy, dx, N);
      for (int i = 0; i < N; ++i)
        if (!isnan(dx[i])) {
          printf("FAIL %s_grad(x = NaN, dy = %g) = %a: want NaN\n",
                 kernels[k].name, dy[i], dx[i]);
          ++failures;
        }
    }
    // The tails: a zero of sign sign(dy) sign(f') for dy = +-1, an
    // infinity of that sign for dy = +-inf.
#ifdef CHECK_TAILS
    if (!kernels[k].fixed)
      continue;
#else
    continue;
#endif
    for (int d = 0; d < 4; ++d) {
      for (int i = 0; i < N; ++i)
        x[i] = kernels[k].tails[i], dy[i] = dys[d];
      kernels[k].grad(x, dy, dx, N);
      for (int i = 0; i < N; ++i) {
        int negative = (kernels[k].signs[i] < 0) != (dy[i] < 0);
        int ok = (d < 2 ? dx[i] == 0 : isinf(dx[i])) &&
                 (signbit(dx[i]) != 0) == negative;
        if (!ok) {
          printf("FAIL %s_grad(x = %a, dy = %g) = %a: want %s%s\n",
                 kernels[k].name, x[i], dy[i], dx[i], negative ? "-" : "+",
                 d < 2 ? "0" : "inf");
          ++failures;
        }
      }
    }
  }
  if (!failures)
    printf("grad special dy: ok\n");
  return failures != 0;
}
