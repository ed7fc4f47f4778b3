//===- PyArray.h - numpy arrays as kernel arguments -------------*- C++ -*-===//
//
// Kernels read and write C-contiguous float32/float64 memory. Arguments are
// checked, never copied: a wrong type or dtype is a TypeError, a wrong shape
// or a non-contiguous or read-only array a ValueError, each naming the
// activation, the argument and the fix.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_PYTHON_PYARRAY_H
#define ACTC_PYTHON_PYARRAY_H

#include "PyActc.h"

#include <string>
#include <vector>

namespace actc::python {

/// "f32" or "f64" for a float32/float64 dtype, "" otherwise.
std::string getDtypeSuffix(const py::dtype &dtype);

/// `value` as a C-contiguous float32 or float64 array; `what` names it in
/// messages ("swish(): x").
py::array checkInput(py::handle value, const std::string &what);

/// Checks that `array` has `dtype` and `shape`.
void checkLike(const py::array &array, const py::dtype &dtype,
               const std::vector<py::ssize_t> &shape, const std::string &what);

/// A new array of `dtype` and `shape` when `out` is None, else `out` after
/// checking it is a writeable C-contiguous array of that dtype and shape.
py::array makeOutput(py::handle out, const py::dtype &dtype,
                     const std::vector<py::ssize_t> &shape,
                     const std::string &what);

/// The shape of `array`.
std::vector<py::ssize_t> getShape(const py::array &array);

/// "(2, 3)".
std::string formatShape(const std::vector<py::ssize_t> &shape);

} // namespace actc::python

#endif // ACTC_PYTHON_PYARRAY_H
