//===- FormatNumber.h - numbers as users read them --------------*- C++ -*-===//
//
// How actc prints a number wherever a user reads it (diagnostics, the .act
// derivatives of --emit=act-grad, the C header's formulas): the shortest
// decimal that reads back as the same double.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_SUPPORT_FORMATNUMBER_H
#define ACTC_SUPPORT_FORMATNUMBER_H

#include <string>

namespace actc {

/// The shortest decimal that reads back as `value`: integers below 1e15 as
/// integers (20, not 2e+01), -0 with its sign, others in %g form with as
/// few digits as round-trip (0.1, 1e-300, 0.70710678118654757).
std::string formatShortest(double value);

} // namespace actc

#endif // ACTC_SUPPORT_FORMATNUMBER_H
