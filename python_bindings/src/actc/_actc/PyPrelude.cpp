//===- PyPrelude.cpp - the built-in activations ---------------------------===//

#include "PyActc.h"

#include "actc/Driver/Compiler.h"

using namespace actc::python;

void actc::python::definePrelude(py::module_ &m) {
  m.def("prelude", &actc::getPreludeActivationNames,
        "The names of the built-in activations, usable in any spec and "
        "compilable alone with actc.compile(None, only=[...]).");
}
