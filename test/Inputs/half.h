/*===- half.h - bf16 and f16 references for the 16-bit kernel tests -------===*
 *
 * The independent roundings the 16-bit kernels (ABI.md: uint16_t arrays,
 * arithmetic in f32) are checked against: bf16 as the nearer of a float's
 * two bf16 neighbours, ties to the even one, decided in double; f16 through
 * the compiler's _Float16.
 *
 *===----------------------------------------------------------------------===*/

#ifndef ACTC_TEST_HALF_H
#define ACTC_TEST_HALF_H

#include <math.h>
#include <stdint.h>
#include <string.h>

static float from_bits(uint32_t bits) {
  float f;
  memcpy(&f, &bits, 4);
  return f;
}

static uint32_t to_bits(float f) {
  uint32_t bits;
  memcpy(&bits, &f, 4);
  return bits;
}

/* bf16: the upper half of a float. */
static float widen_bf16(uint16_t h) { return from_bits((uint32_t)h << 16); }

/* The nearest bf16, ties to even, by comparing the two neighbours' distance
 * in double (the one above the largest finite bf16 is 2^128: overflow). */
static uint16_t round_bf16(float f) {
  if (isnan(f))
    return 0x7fc0;
  uint32_t bits = to_bits(f);
  uint16_t lo = (uint16_t)(bits >> 16);
  if (isinf(f) || (bits & 0xffff) == 0)
    return lo;
  uint16_t hi = (uint16_t)(lo + 1);
  double below = widen_bf16(lo);
  double above = (hi & 0x7fff) == 0x7f80 ? copysign(ldexp(1.0, 128), f)
                                         : widen_bf16(hi);
  double dlo = fabs((double)f - below), dhi = fabs(above - (double)f);
  if (dlo != dhi)
    return dlo < dhi ? lo : hi;
  return (lo & 1) ? hi : lo;
}

static float widen_f16(uint16_t h) {
  _Float16 v;
  memcpy(&v, &h, 2);
  return (float)v;
}

static uint16_t round_f16(float f) {
  _Float16 v = (_Float16)f;
  uint16_t h;
  memcpy(&h, &v, 2);
  return h;
}

typedef struct {
  const char *name;
  float (*widen)(uint16_t);
  uint16_t (*round)(float);
} Format;

static const Format bf16 = {"bf16", widen_bf16, round_bf16};
static const Format f16 = {"f16", widen_f16, round_f16};

#endif /* ACTC_TEST_HALF_H */
