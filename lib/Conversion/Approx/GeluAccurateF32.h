//===- GeluAccurateF32.h - accurate erf GELU, 16-row table --*- C++ -*-===//
//
// gelu(x) = x Phi(x) under 1 ULP for 16-lane f32 vectors with AVX-512
// (GeluAccurateF32.cpp: G from a 16-row table, vpermps picks).
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_CONVERSION_APPROX_GELUACCURATEF32_H
#define ACTC_CONVERSION_APPROX_GELUACCURATEF32_H

#include "Emitter.h"

namespace mlir::act::approx {

/// x Phi(x) (precision=accurate, 16 x f32, AVX-512): +0 for -inf (the
/// prelude's guard's value), x for +-0, +inf and NaN.
Value buildAccurateGeluF32(Emitter &e, Value x);

} // namespace mlir::act::approx

#endif // ACTC_CONVERSION_APPROX_GELUACCURATEF32_H
