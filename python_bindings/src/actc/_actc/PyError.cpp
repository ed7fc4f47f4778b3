//===- PyError.cpp - actc errors as Python exceptions ---------------------===//

#include "PyError.h"

#include "actc/Driver/Compiler.h"

using namespace actc::python;

namespace {
/// Tag the exception types for pybind11.
struct CompileErrorTag {};
struct CompileWarningTag {};
} // namespace

/// actc.CompileError and actc.CompileWarning, created once by defineError.
static PyObject *compileErrorType = nullptr;
static PyObject *compileWarningType = nullptr;

void actc::python::throwError(llvm::Error error) {
  std::string message;
  CompileError::Kind kind = CompileError::Kind::Backend;
  llvm::handleAllErrors(
      std::move(error),
      [&](const CompileError &compileError) {
        kind = compileError.getKind();
        message = compileError.getMessage();
      },
      [&](const llvm::ErrorInfoBase &other) { message = other.message(); });
  switch (kind) {
  case CompileError::Kind::Spec: {
    py::object exception =
        py::reinterpret_borrow<py::object>(compileErrorType)(py::str(message));
    exception.attr("diagnostics") = py::str(message);
    PyErr_SetObject(compileErrorType, exception.ptr());
    throw py::error_already_set();
  }
  case CompileError::Kind::Options:
    throw py::value_error(message);
  case CompileError::Kind::Input:
    raise(PyExc_OSError, message);
  case CompileError::Kind::Backend:
    break;
  }
  throw std::runtime_error(message);
}

void actc::python::warn(const std::string &diagnostics) {
  if (PyErr_WarnEx(compileWarningType, diagnostics.c_str(), 2) < 0)
    throw py::error_already_set();
}

void actc::python::raise(PyObject *type, const std::string &message) {
  PyErr_SetString(type, message.c_str());
  throw py::error_already_set();
}

void actc::python::defineError(py::module_ &m) {
  // Never destroyed: the type lives as long as the interpreter.
  auto *type = new py::exception<CompileErrorTag>(m, "CompileError");
  type->doc() = "A spec that does not compile. str(error) and "
                "error.diagnostics are the located diagnostics: "
                "'file:line:col: error: message', the source line and a caret.";
  compileErrorType = type->ptr();
  auto *warning = new py::exception<CompileWarningTag>(m, "CompileWarning",
                                                       PyExc_UserWarning);
  warning->doc() = "Warnings of a spec that compiles (a derivative taken at "
                   "a kink, ...), located like CompileError's diagnostics.";
  compileWarningType = warning->ptr();
}
