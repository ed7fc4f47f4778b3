//===- PyActc.h - the _actc extension module --------------------*- C++ -*-===//
//
// One file per concept, as in Halide's python_bindings: errors, compile,
// the compiled library, one activation of it, numpy arrays, kernel calls,
// the prelude. Each defines its part of the module in a define*() function.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_PYTHON_PYACTC_H
#define ACTC_PYTHON_PYACTC_H

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

namespace actc::python {

namespace py = pybind11;

void defineError(py::module_ &m);
void defineCompile(py::module_ &m);
void defineLibrary(py::module_ &m);
void defineActivation(py::module_ &m);
void definePrelude(py::module_ &m);

} // namespace actc::python

#endif // ACTC_PYTHON_PYACTC_H
