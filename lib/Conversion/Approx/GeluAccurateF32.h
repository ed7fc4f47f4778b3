//===- GeluAccurateF32.h - accurate erf GELU, 16-row table --*- C++ -*-===//
//
// gelu(x) = x Phi(x) under 1 ULP for 16-lane f32 vectors with AVX-512
// (GeluAccurateF32.cpp: G from a 16-row table, vpermps picks).
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_APPROX_GELUACCURATEF32_H
#define ACTC_CONVERSION_APPROX_GELUACCURATEF32_H

#include "Approx.h"
#include "Emitter.h"

namespace mlir::act::approx {

/// x Phi(x) (precision=accurate, 16 x f32, AVX-512): +0 for -inf (the
/// prelude's guard's value), x for +-0, +inf and NaN.
Value buildAccurateGeluF32(Emitter &e, Value x);

/// exp(-(uh + ul) / 2) = 2^nf (h + l) for u = uh + ul an exact square,
/// from the 32-entry table 2^(j/32) = head + tail (GeluF32.cpp); where
/// `shortHead`, the head holds only a few bits of each entry.
ExpSplit buildExpMinusHalfF32(Emitter &e, Value uh, Value ul,
                              ArrayRef<double> head, ArrayRef<double> tail,
                              bool shortHead = false);

} // namespace mlir::act::approx

#endif // ACTC_CONVERSION_APPROX_GELUACCURATEF32_H
