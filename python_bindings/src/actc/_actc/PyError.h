//===- PyError.h - actc errors as Python exceptions -------------*- C++ -*-===//

#ifndef ACTC_PYTHON_PYERROR_H
#define ACTC_PYTHON_PYERROR_H

#include "PyActc.h"

#include "llvm/Support/Error.h"

namespace actc::python {

/// Raises the Python exception for a failed compilation: actc.CompileError
/// (its text and `.diagnostics` the located diagnostics) for spec errors,
/// ValueError for option values, OSError for an unreadable spec file,
/// RuntimeError otherwise.
[[noreturn]] void throwError(llvm::Error error);

/// Issues `diagnostics` (warnings and remarks of a successful compilation)
/// as an actc.CompileWarning; raises if warnings are errors.
void warn(const std::string &diagnostics);

/// Raises the Python exception `type` (PyExc_NotImplementedError, ...) with
/// `message`, for types pybind11 has no C++ exception for.
[[noreturn]] void raise(PyObject *type, const std::string &message);

} // namespace actc::python

#endif // ACTC_PYTHON_PYERROR_H
