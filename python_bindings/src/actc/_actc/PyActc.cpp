//===- PyActc.cpp - the _actc extension module ----------------------------===//

#include "PyActc.h"

static_assert(PYBIND11_VERSION_MAJOR == 2 && PYBIND11_VERSION_MINOR >= 10,
              "actc's Python bindings need pybind11 2.10 or later");

PYBIND11_MODULE(_actc, m) {
  using namespace actc::python;
  m.doc() = "actc: activation functions compiled to kernels, in-process";
  // Types used in signatures first: errors, then the library before the
  // activations it returns.
  defineError(m);
  defineLibrary(m);
  defineActivation(m);
  defineCompile(m);
  definePrelude(m);
}
