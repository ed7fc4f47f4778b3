// Non-temporal stores (act-vectorize's streaming form, actc --stream-bytes):
// kernels built to stream every output of 64 bytes or more give bitwise the
// results of kernels that never stream (the same object built with
// --stream-bytes=0, its symbols renamed ref_*), for every length up to 70
// and a few long ones, every output misalignment within a vector, in place,
// f32, f64 and bf16; nothing is written before or after the output (a
// canary before it, a PROT_NONE page after it). Parameter gradients are
// sums in another order (the streaming head takes the first lanes), so they
// agree to a relative 1e-5. Covers the elementwise, gradient, from-y, bias
// and bias-gradient kernels (sigmoid; prelu for its runtime alpha). The
// accurate sigmoid's loops are compute-bound, so they stream only with
// --stream-compute-bound (act-streaming-cost). Without it, its gradients
// (reading x and dy) keep the streaming loop with its prefetches but store
// ordinarily: the same program checks that object too.
//
// RUN: actc --only sigmoid,prelu --dtype f32,f64,bf16 --kernels=forward,grad,grad_from_y,bias,bias_grad --stream-bytes=64 --stream-compute-bound -o %t.o --header %t.h
// RUN: actc --only sigmoid,prelu --dtype f32,f64,bf16 --kernels=forward,grad,grad_from_y,bias,bias_grad --stream-bytes=0 -o %t.ref0.o
// RUN: llvm-objcopy --prefix-symbols=ref_ %t.ref0.o %t.ref.o
// RUN: %cc -O1 -I%inputs -include %t.h %s %inputs/guard.c %t.o %t.ref.o -lm -o %t
// RUN: %t | FileCheck %s
// RUN: llvm-objdump -d %t.o | FileCheck %s --check-prefix=ASM
// RUN: llvm-objdump -d %t.ref0.o | FileCheck %s --check-prefix=REF
// RUN: actc --only sigmoid,prelu --dtype f32,f64,bf16 --kernels=forward,grad,grad_from_y,bias,bias_grad --stream-bytes=64 -o %t.pf.o
// RUN: %cc -O1 -I%inputs -include %t.h %s %inputs/guard.c %t.pf.o %t.ref.o -lm -o %t.pf
// RUN: %t.pf | FileCheck %s
// RUN: llvm-objdump -d --disassemble-symbols=sigmoid_grad_f32 %t.pf.o | FileCheck %s --check-prefix=PREFETCHED
//
// CHECK: streaming stores: {{[0-9]+}} kernel calls, bitwise equal
// ASM: vmovnt
// ASM: sfence
// REF-NOT: vmovnt
// REF-NOT: sfence
// PREFETCHED: prefetcht0
// PREFETCHED-NOT: vmovnt

#include "guard.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK_PRINT_LIMIT 20
#include "check.h"

typedef uint16_t bf16;

/* The reference kernels: the same code with streaming off. */
#define DECLARE_REFS(T, S)                                                     \
  void ref_sigmoid_##S(const T *, T *, int64_t);                               \
  void ref_sigmoid_grad_##S(const T *, const T *, T *, int64_t);               \
  void ref_sigmoid_grad_from_y_##S(const T *, const T *, T *, int64_t);        \
  void ref_sigmoid_bias_##S(const T *, const T *, T *, int64_t, int64_t);      \
  void ref_sigmoid_bias_grad_##S(const T *, const T *, const T *, T *, T *,    \
                                 int64_t, int64_t);                            \
  void ref_prelu_grad_##S(const T *, const T *, T *, int64_t, float, float *); \
  void ref_prelu_bias_grad_##S(const T *, const T *, const T *, T *, T *,      \
                               int64_t, int64_t, float, float *);
DECLARE_REFS(float, f32)
DECLARE_REFS(double, f64)
DECLARE_REFS(bf16, bf16)

enum { CANARY = 64 };
static long calls;

static double input(long i) {
  static const double specials[] = {0.0, -0.0, INFINITY, -INFINITY, NAN,
                                    1e-40, 30.0, -30.0};
  if (i % 13 == 7)
    return specials[(i / 13) % 8];
  return (double)((i * 37) % 331 - 165) / 20.0;
}

static void fill(void *p, size_t size, long count, long seed) {
  for (long i = 0; i < count; ++i) {
    double v = input(i + seed);
    if (size == 4) {
      ((float *)p)[i] = (float)v;
    } else if (size == 8) {
      ((double *)p)[i] = v;
    } else {
      float f = (float)v;
      uint32_t bits;
      memcpy(&bits, &f, 4);
      ((bf16 *)p)[i] = (bf16)(bits >> 16);
    }
  }
}

/* An output of `bytes` starting `misalign` bytes past a 64-byte boundary,
 * between two canaries, in front of a PROT_NONE page. */
static unsigned char *output(size_t bytes, size_t misalign) {
  unsigned char *p = guard_offset(2 * CANARY + bytes, 128 + misalign - CANARY);
  memset(p, 0xA5, 2 * CANARY + bytes);
  return p + CANARY;
}

static int canaries_intact(const void *out, size_t bytes) {
  const unsigned char *p = out;
  for (int i = 0; i < CANARY; ++i)
    if (p[-1 - i] != 0xA5 || p[bytes + i] != 0xA5)
      return 0;
  return 1;
}

/* dbias: bitwise, except that two NaNs are equal whatever their signs. A
 * column summing NaNs of both signs (NaN inputs give +NaN, dy = inf times
 * f'(z) = 0 the default -NaN) ends with the sign of whichever operand of a
 * NaN + NaN add comes first, and LLVM may commute an fadd's operands
 * differently in the streaming and the plain loops. */
static int sums_equal(const void *a, const void *b, long count, size_t size) {
  const unsigned char *p = a, *q = b;
  for (long i = 0; i < count; ++i, p += size, q += size) {
    if (!memcmp(p, q, size))
      continue;
    int nans;
    if (size == 4) {
      float x, y;
      memcpy(&x, p, 4);
      memcpy(&y, q, 4);
      nans = isnan(x) && isnan(y);
    } else if (size == 8) {
      double x, y;
      memcpy(&x, p, 8);
      memcpy(&y, q, 8);
      nans = isnan(x) && isnan(y);
    } else {
      uint16_t x, y;
      memcpy(&x, p, 2);
      memcpy(&y, q, 2);
      nans = (x & 0x7fff) > 0x7f80 && (y & 0x7fff) > 0x7f80;
    }
    if (!nans)
      return 0;
  }
  return 1;
}

static int close_enough(float a, float b) {
  return a == b || (isnan(a) && isnan(b)) ||
         fabsf(a - b) <= 1e-5f * fmaxf(fabsf(a), fabsf(b));
}

/* Elementwise kinds: n elements, the output `misalign` elements off a
 * 64-byte boundary; `inplace` computes into a copy of the first input. */
#define TEST_ELEMENTWISE(T, S)                                                 \
  static void elementwise_##S(long n, int misalign, int inplace) {             \
    size_t bytes = n * sizeof(T), off = misalign * sizeof(T);                  \
    T *x = malloc(bytes + 1), *dy = malloc(bytes + 1);                         \
    T *want = malloc(bytes + 1);                                               \
    fill(x, sizeof(T), n, 0);                                                  \
    fill(dy, sizeof(T), n, 5);                                                 \
    T *got = (T *)output(bytes, off);                                          \
    const T *in = x;                                                           \
    guard_context(#S " n=%ld misalign=%d inplace=%d", n, misalign, inplace);   \
    /* forward */                                                              \
    ref_sigmoid_##S(x, want, n);                                               \
    if (inplace) {                                                             \
      memcpy(got, x, bytes);                                                   \
      in = got;                                                                \
    }                                                                          \
    sigmoid_##S(in, got, n);                                                   \
    CHECK(!memcmp(got, want, bytes) && canaries_intact(got, bytes),             \
          "sigmoid_" #S " n=%ld misalign=%d inplace=%d", n, misalign,          \
          inplace);                                                            \
    /* grad and grad_from_y, dx in place of dy when asked */                   \
    ref_sigmoid_grad_##S(x, dy, want, n);                                      \
    memcpy(got, dy, bytes);                                                    \
    sigmoid_grad_##S(x, inplace ? got : dy, got, n);                           \
    CHECK(!memcmp(got, want, bytes) && canaries_intact(got, bytes),             \
          "sigmoid_grad_" #S " n=%ld misalign=%d", n, misalign);               \
    ref_sigmoid_grad_from_y_##S(x, dy, want, n);                               \
    memcpy(got, dy, bytes);                                                    \
    sigmoid_grad_from_y_##S(x, inplace ? got : dy, got, n);                    \
    CHECK(!memcmp(got, want, bytes) && canaries_intact(got, bytes),             \
          "sigmoid_grad_from_y_" #S " n=%ld misalign=%d", n, misalign);        \
    /* a parameter gradient: a sum in another order */                        \
    float dalpha = -1, want_dalpha = -2;                                       \
    ref_prelu_grad_##S(x, dy, want, n, 0.25f, &want_dalpha);                   \
    memcpy(got, dy, bytes);                                                    \
    prelu_grad_##S(x, inplace ? got : dy, got, n, 0.25f, &dalpha);             \
    CHECK(!memcmp(got, want, bytes) && canaries_intact(got, bytes) &&           \
              close_enough(dalpha, want_dalpha),                               \
          "prelu_grad_" #S " n=%ld misalign=%d dalpha %g vs %g", n, misalign,  \
          dalpha, want_dalpha);                                                \
    calls += 4;                                                                \
    free(x);                                                                   \
    free(dy);                                                                  \
    free(want);                                                                \
    guard_release_all();                                                       \
  }
TEST_ELEMENTWISE(float, f32)
TEST_ELEMENTWISE(double, f64)
TEST_ELEMENTWISE(bf16, bf16)

/* Bias kinds on rows x cols; dbias must be bitwise (same order per column). */
#define TEST_BIAS(T, S)                                                        \
  static void bias_##S(long rows, long cols, int misalign) {                   \
    long n = rows * cols;                                                      \
    size_t bytes = n * sizeof(T), off = misalign * sizeof(T);                  \
    T *x = malloc(bytes + 1), *dy = malloc(bytes + 1);                         \
    T *want = malloc(bytes + 1), *bias = malloc(cols * sizeof(T));             \
    T *dbias = malloc(cols * sizeof(T)), *want_dbias = malloc(cols * sizeof(T)); \
    fill(x, sizeof(T), n, 0);                                                  \
    fill(dy, sizeof(T), n, 5);                                                 \
    fill(bias, sizeof(T), cols, 11);                                           \
    T *got = (T *)output(bytes, off);                                          \
    guard_context(#S " bias %ldx%ld misalign=%d", rows, cols, misalign);       \
    ref_sigmoid_bias_##S(x, bias, want, rows, cols);                           \
    sigmoid_bias_##S(x, bias, got, rows, cols);                                \
    CHECK(!memcmp(got, want, bytes) && canaries_intact(got, bytes),             \
          "sigmoid_bias_" #S " %ldx%ld misalign=%d", rows, cols, misalign);    \
    ref_sigmoid_bias_grad_##S(x, bias, dy, want, want_dbias, rows, cols);      \
    sigmoid_bias_grad_##S(x, bias, dy, got, dbias, rows, cols);                \
    CHECK(!memcmp(got, want, bytes) && canaries_intact(got, bytes) &&           \
              sums_equal(dbias, want_dbias, cols, sizeof(T)),                  \
          "sigmoid_bias_grad_" #S " %ldx%ld misalign=%d", rows, cols,          \
          misalign);                                                           \
    float dalpha = -1, want_dalpha = -2;                                       \
    ref_prelu_bias_grad_##S(x, bias, dy, want, want_dbias, rows, cols, 0.25f,  \
                            &want_dalpha);                                     \
    prelu_bias_grad_##S(x, bias, dy, got, dbias, rows, cols, 0.25f, &dalpha);  \
    CHECK(!memcmp(got, want, bytes) && canaries_intact(got, bytes) &&           \
              sums_equal(dbias, want_dbias, cols, sizeof(T)) &&                \
              close_enough(dalpha, want_dalpha),                               \
          "prelu_bias_grad_" #S " %ldx%ld misalign=%d dalpha %g vs %g", rows,  \
          cols, misalign, dalpha, want_dalpha);                                \
    calls += 3;                                                                \
    free(x);                                                                   \
    free(dy);                                                                  \
    free(want);                                                                \
    free(bias);                                                                \
    free(dbias);                                                                \
    free(want_dbias);                                                          \
    guard_release_all();                                                       \
  }
TEST_BIAS(float, f32)
TEST_BIAS(double, f64)
TEST_BIAS(bf16, bf16)

int main(void) {
  static const long longs[] = {257, 1000, 4099};
  for (int misalign = 0; misalign < 16; ++misalign) {
    for (int inplace = 0; inplace < 2; ++inplace) {
      for (long n = 0; n <= 70; ++n) {
        elementwise_f32(n, misalign, inplace);
        elementwise_f64(n, misalign % 8, inplace);
        elementwise_bf16(n, misalign, inplace);
      }
      for (int i = 0; i < 3; ++i) {
        elementwise_f32(longs[i], misalign, inplace);
        elementwise_f64(longs[i], misalign % 8, inplace);
        elementwise_bf16(longs[i], misalign, inplace);
      }
    }
    static const long shapes[][2] = {{1, 1},  {1, 17},  {3, 5},  {3, 16},
                                     {2, 33}, {5, 40},  {4, 67}, {7, 300},
                                     {64, 3}, {0, 20},  {20, 0}};
    for (int s = 0; s < 11; ++s) {
      bias_f32(shapes[s][0], shapes[s][1], misalign);
      bias_f64(shapes[s][0], shapes[s][1], misalign % 8);
      bias_bf16(shapes[s][0], shapes[s][1], misalign);
    }
  }
  if (!failures)
    printf("streaming stores: %ld kernel calls, bitwise equal\n", calls);
  return failures != 0;
}
