/*===- tails.c - kernel speed on the tails of the float line -------------===*
 *
 * A vector operation whose result underflows (a subnormal, or a tiny value
 * rounded to 0) costs a microcode assist on x86 unless flush-to-zero is on,
 * which actc's kernels cannot use: they return correct subnormal results.
 * Where the result is normal or exactly 0, 1 or 2 the assists could be
 * avoided by computing those lanes on a harmless argument and selecting,
 * at the price of the selects on every input. This benchmark times every
 * transcendental prelude
 * activation, forward and grad, fast and accurate, on 4096 inputs spread
 * over a tail range and over [-6, 6], best of 7 rounds each, and prints the
 * time ratio (1.00: the tails cost nothing extra). Built and run by
 * scripts/bench-tails.sh: NAME_f32 is the fast kernel, a_NAME_f32 the
 * accurate one (objcopy --prefix-symbols).
 *
 *===----------------------------------------------------------------------===*/

#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define TAIL_ACTIVATIONS(X)                                                    \
  X(sigmoid) X(tanh) X(elu) X(selu) X(celu) X(softplus) X(softsign) X(gelu)    \
  X(gelu_tanh) X(new_gelu) X(quick_gelu) X(silu) X(mish) X(logsigmoid)        \
  X(tanhshrink)

typedef void (*Forward)(const float *, float *, int64_t);
typedef void (*Grad)(const float *, const float *, float *, int64_t);

#define DECLARE(name)                                                          \
  void name##_f32(const float *, float *, int64_t);                            \
  void a_##name##_f32(const float *, float *, int64_t);                        \
  void name##_grad_f32(const float *, const float *, float *, int64_t);        \
  void a_##name##_grad_f32(const float *, const float *, float *, int64_t);
TAIL_ACTIVATIONS(DECLARE)

enum { kSize = 4096, kRounds = 7, kCalls = 20 };
static float x[kSize], dy[kSize], out[kSize];

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static void fill(double lo, double hi) {
  for (int i = 0; i < kSize; ++i) {
    x[i] = (float)(lo + (hi - lo) * (i + 0.5) / kSize);
    dy[i] = 1.0f;
  }
}

/* Best time of kRounds batches of kCalls calls. */
static double timeKernel(Forward forward, Grad grad) {
  double best = 1e30;
  for (int round = 0; round < kRounds; ++round) {
    double start = now();
    for (int call = 0; call < kCalls; ++call) {
      if (forward)
        forward(x, out, kSize);
      else
        grad(x, dy, out, kSize);
    }
    double elapsed = now() - start;
    if (elapsed < best)
      best = elapsed;
  }
  return best;
}

static const double kTailLo[] = {-20, -100, 20};
static const double kTailHi[] = {-12, -20, 128};

static void row(const char *name, const char *mode, const char *kind,
                Forward forward, Grad grad) {
  fill(-6, 6);
  double center = timeKernel(forward, grad);
  printf("| %s | %s | %s |", name, mode, kind);
  for (int tail = 0; tail < 3; ++tail) {
    fill(kTailLo[tail], kTailHi[tail]);
    printf(" %.2f |", timeKernel(forward, grad) / center);
  }
  printf("\n");
}

int main(void) {
  printf("| function | mode | kernel | [-20, -12] | [-100, -20] | [20, 128] |\n"
         "| --- | --- | --- | ---: | ---: | ---: |\n");
#define ROWS(name)                                                             \
  row(#name, "fast", "forward", name##_f32, 0);                                \
  row(#name, "accurate", "forward", a_##name##_f32, 0);                        \
  row(#name, "fast", "grad", 0, name##_grad_f32);                              \
  row(#name, "accurate", "grad", 0, a_##name##_grad_f32);
  TAIL_ACTIVATIONS(ROWS)
  return 0;
}
