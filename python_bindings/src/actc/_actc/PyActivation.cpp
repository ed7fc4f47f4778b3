//===- PyActivation.cpp - one compiled activation: lib.NAME ---------------===//
//
// Each method calls one kernel kind of ABI.md on numpy arrays: the forward
// kernel (__call__), the backward kernels (grad, grad_from_y) and the fused
// epilogues (bias, bias_grad, matmul, matmul_aux), compiled on first use
// unless actc.compile's `kernels` named them (NotImplementedError where the
// activation has no such kernel). The dtype of the arrays picks the kernel;
// runtime parameters are keywords.
//
//===----------------------------------------------------------------------===//

#include "PyArray.h"
#include "PyError.h"
#include "PyKernelCall.h"
#include "PyLibrary.h"

#include "actc/Dialect/Act/KernelABI.h"

#include <algorithm>

using namespace actc;
using namespace actc::python;

namespace {

/// One call of a method: the activation, how messages name the call
/// ("swish()", "swish.grad()") and the runtime parameter values.
struct Call {
  const Activation &activation;
  std::string what;
  std::vector<float> params;

  const std::string &name() const { return activation.info->name; }
  bool isRow() const { return activation.info->shape == "row"; }
  std::string argument(const char *argumentName) const {
    return what + ": " + argumentName;
  }
};

} // namespace

/// The runtime parameters of `activation` from keywords, defaults for the
/// ones not given. A compile-time constant or an unknown name is a
/// TypeError that says what the activation takes.
static std::vector<float> getParams(const Activation &activation,
                                    const std::string &what,
                                    const py::kwargs &kwargs) {
  const ActivationInfo &info = *activation.info;
  std::string runtimeNames;
  for (const ParamInfo &param : info.params)
    if (param.runtime)
      runtimeNames += (runtimeNames.empty() ? "" : ", ") + param.name;
  if (runtimeNames.empty())
    runtimeNames = "none";
  for (auto [key, value] : kwargs) {
    std::string name = py::str(key);
    const ParamInfo *found = nullptr;
    for (const ParamInfo &param : info.params)
      if (param.name == name)
        found = &param;
    if (!found)
      throw py::type_error(what + " got an unexpected keyword argument '" +
                           name + "' (runtime parameters: " + runtimeNames +
                           ")");
    if (!found->runtime)
      throw py::type_error(what + ": '" + name +
                           "' is a compile-time constant of " + info.name +
                           ", folded into the kernels; set it with "
                           "actc.compile(..., defines={'" +
                           info.name + "." + name + "': value})");
  }
  std::vector<float> values;
  for (const ParamInfo &param : info.params) {
    if (!param.runtime)
      continue;
    py::str key(param.name);
    values.push_back(kwargs.contains(key)
                         ? py::cast<float>(py::float_(kwargs[key]))
                         : static_cast<float>(param.defaultValue));
  }
  return values;
}

/// The kernel of `kernelKind` for `dtype`: NotImplementedError when the
/// library has no kernel of that kind at all, TypeError when it has one for
/// other dtypes only.
static void *findKernel(const Call &call, const std::string &kernelKind,
                        const std::string &dtype) {
  std::string compiled;
  for (const KernelInfo &kernel :
       call.activation.library->getKernels(*call.activation.info, kernelKind)) {
    if (kernel.dtype == dtype)
      return call.activation.library->getKernel(kernel.symbol);
    compiled += (compiled.empty() ? "" : ", ") + kernel.dtype;
  }
  if (compiled.empty())
    raise(PyExc_NotImplementedError,
          call.what + ": " + call.name() + " has no " +
              (kernelKind.empty() ? "forward" : kernelKind) + " kernel (" +
              mlir::act::getKernelName(call.name(), kernelKind, dtype) +
              ") in this build of actc");
  const std::vector<std::string> &dtypes =
      call.activation.library->getOptions().dtypes;
  if (std::find(dtypes.begin(), dtypes.end(), dtype) != dtypes.end())
    raise(PyExc_NotImplementedError,
          call.what + ": actc has no " + kernelKind + " kernel for " + dtype +
              " (" + mlir::act::getKernelName(call.name(), kernelKind, dtype) +
              "), only for " + compiled);
  throw py::type_error(call.what + ": " + call.name() + " was compiled for " +
                       compiled + " only, not " + dtype +
                       "; pass dtypes=(\"f32\", \"f64\") to actc.compile");
}

/// Runs a kernel without the GIL.
static void run(void *kernel, const KernelArguments &arguments) {
  bool called;
  {
    py::gil_scoped_release release;
    called = callKernel(kernel, arguments);
  }
  if (!called)
    throw std::runtime_error("kernels with more than " +
                             std::to_string(kMaxRuntimeParams) +
                             " runtime parameters cannot be called from "
                             "Python");
}

static void *data(const py::array &array) {
  return const_cast<void *>(array.data());
}

/// Rows and columns of a row activation's argument: the last axis is the
/// row.
static std::pair<int64_t, int64_t> getRows(const Call &call,
                                           const py::array &x) {
  if (x.ndim() < 1)
    throw py::value_error(call.argument("x") +
                          " must be 2-D (rows, cols) for "
                          "the row activation " +
                          call.name() + ", got a 0-d array");
  int64_t cols = x.shape(x.ndim() - 1);
  int64_t rows = 1;
  for (py::ssize_t axis = 0; axis + 1 < x.ndim(); ++axis)
    rows *= x.shape(axis);
  return {rows, cols};
}

/// The value the backward methods return: dx alone, or (dx, dP...) when
/// the activation has runtime parameters.
static py::object withParamGrads(py::array dx,
                                 const std::vector<float> &paramGrads) {
  if (paramGrads.empty())
    return std::move(dx);
  py::tuple result(1 + paramGrads.size());
  result[0] = std::move(dx);
  for (size_t i = 0; i < paramGrads.size(); ++i)
    result[i + 1] = py::float_(paramGrads[i]);
  return std::move(result);
}

//===----------------------------------------------------------------------===//
// Kernel calls
//===----------------------------------------------------------------------===//

static py::array forward(Call &call, py::handle xValue, py::handle out) {
  py::array x = checkInput(xValue, call.argument("x"));
  std::string dtype = getDtypeSuffix(x.dtype());
  void *kernel = findKernel(call, "", dtype);
  py::array y = makeOutput(out, x.dtype(), getShape(x), call.argument("out"));
  KernelArguments arguments;
  arguments.pointers = {data(x), data(y)};
  if (call.isRow()) {
    auto [rows, cols] = getRows(call, x);
    arguments.sizes = {rows, cols};
  } else {
    arguments.sizes = {static_cast<int64_t>(x.size())};
    arguments.params = call.params;
  }
  run(kernel, arguments);
  return y;
}

/// dx from the forward output y: row activations' "grad" kernel, or the
/// elementwise "grad_from_y" kernel.
static py::object backwardFromY(Call &call, const py::array &y,
                                py::handle dyValue, py::handle out) {
  py::array dy = checkInput(dyValue, call.argument("dy"));
  checkLike(dy, y.dtype(), getShape(y), call.argument("dy"));
  std::string dtype = getDtypeSuffix(y.dtype());
  void *kernel = findKernel(call, call.isRow() ? "grad" : "grad_from_y", dtype);
  py::array dx = makeOutput(out, y.dtype(), getShape(y), call.argument("out"));
  KernelArguments arguments;
  arguments.pointers = {data(y), data(dy), data(dx)};
  if (call.isRow()) {
    auto [rows, cols] = getRows(call, y);
    arguments.sizes = {rows, cols};
    run(kernel, arguments);
    return std::move(dx);
  }
  arguments.sizes = {static_cast<int64_t>(y.size())};
  arguments.params = call.params;
  std::vector<float> paramGrads(call.params.size());
  for (float &paramGrad : paramGrads)
    arguments.paramGrads.push_back(&paramGrad);
  run(kernel, arguments);
  return withParamGrads(dx, paramGrads);
}

static py::object backward(Call &call, py::handle xValue, py::handle dyValue,
                           py::handle out) {
  py::array x = checkInput(xValue, call.argument("x"));
  if (call.isRow()) {
    // The row VJP is a function of the output.
    py::array y = forward(call, x, py::none());
    return backwardFromY(call, y, dyValue, out);
  }
  py::array dy = checkInput(dyValue, call.argument("dy"));
  checkLike(dy, x.dtype(), getShape(x), call.argument("dy"));
  std::string dtype = getDtypeSuffix(x.dtype());
  void *kernel = findKernel(call, "grad", dtype);
  py::array dx = makeOutput(out, x.dtype(), getShape(x), call.argument("out"));
  KernelArguments arguments;
  arguments.pointers = {data(x), data(dy), data(dx)};
  arguments.sizes = {static_cast<int64_t>(x.size())};
  arguments.params = call.params;
  std::vector<float> paramGrads(call.params.size());
  for (float &paramGrad : paramGrads)
    arguments.paramGrads.push_back(&paramGrad);
  run(kernel, arguments);
  return withParamGrads(dx, paramGrads);
}

/// A 2-D argument of the fused kernels.
static py::array checkMatrix(const Call &call, py::handle value,
                             const char *name) {
  py::array array = checkInput(value, call.argument(name));
  if (array.ndim() != 2)
    throw py::value_error(call.argument(name) + " must be 2-D, got shape " +
                          formatShape(getShape(array)));
  return array;
}

/// The bias of the fused kernels: a vector of `length`, or null for None
/// where `optional`.
static void *checkBias(const Call &call, py::handle value,
                       const py::dtype &dtype, py::ssize_t length,
                       bool optional) {
  if (optional && value.is_none())
    return nullptr;
  py::array bias = checkInput(value, call.argument("bias"));
  checkLike(bias, dtype, {length}, call.argument("bias"));
  return data(bias);
}

static py::array biasForward(Call &call, py::handle xValue,
                             py::handle biasValue, py::handle out) {
  py::array x = checkMatrix(call, xValue, "x");
  void *kernel = findKernel(call, "bias", getDtypeSuffix(x.dtype()));
  void *bias = checkBias(call, biasValue, x.dtype(), x.shape(1), false);
  py::array y = makeOutput(out, x.dtype(), getShape(x), call.argument("out"));
  KernelArguments arguments;
  arguments.pointers = {data(x), bias, data(y)};
  arguments.sizes = {x.shape(0), x.shape(1)};
  arguments.params = call.params;
  run(kernel, arguments);
  return y;
}

static py::tuple biasBackward(Call &call, py::handle xValue,
                              py::handle biasValue, py::handle dyValue) {
  py::array x = checkMatrix(call, xValue, "x");
  void *kernel = findKernel(call, "bias_grad", getDtypeSuffix(x.dtype()));
  void *bias = checkBias(call, biasValue, x.dtype(), x.shape(1), false);
  py::array dy = checkInput(dyValue, call.argument("dy"));
  checkLike(dy, x.dtype(), getShape(x), call.argument("dy"));
  py::array dx(x.dtype(), getShape(x));
  py::array dbias(x.dtype(), std::vector<py::ssize_t>{x.shape(1)});
  KernelArguments arguments;
  arguments.pointers = {data(x), bias, data(dy), data(dx), data(dbias)};
  arguments.sizes = {x.shape(0), x.shape(1)};
  arguments.params = call.params;
  std::vector<float> paramGrads(call.params.size());
  for (float &paramGrad : paramGrads)
    arguments.paramGrads.push_back(&paramGrad);
  run(kernel, arguments);
  py::tuple result(2 + paramGrads.size());
  result[0] = dx;
  result[1] = dbias;
  for (size_t i = 0; i < paramGrads.size(); ++i)
    result[i + 2] = py::float_(paramGrads[i]);
  return result;
}

/// c = f(a . b + bias), and z = a . b + bias as well when `aux`.
static py::object matmul(Call &call, py::handle aValue, py::handle bValue,
                         py::handle biasValue, py::handle out, bool aux) {
  py::array a = checkMatrix(call, aValue, "a");
  py::array b = checkMatrix(call, bValue, "b");
  void *kernel = findKernel(call, aux ? "matmul_aux" : "matmul",
                            getDtypeSuffix(a.dtype()));
  py::ssize_t m = a.shape(0), k = a.shape(1), n = b.shape(1);
  if (!b.dtype().equal(a.dtype()))
    throw py::type_error(call.argument("b") + " has dtype " +
                         std::string(py::str(b.dtype())) + ", a has " +
                         std::string(py::str(a.dtype())));
  if (b.shape(0) != k)
    throw py::value_error(call.what + ": shapes " + formatShape(getShape(a)) +
                          " and " + formatShape(getShape(b)) +
                          " do not multiply");
  void *bias = checkBias(call, biasValue, a.dtype(), n, true);
  std::vector<py::ssize_t> shape{m, n};
  py::array c = makeOutput(out, a.dtype(), shape, call.argument("out"));
  KernelArguments arguments;
  arguments.pointers = {data(a), data(b), bias, data(c)};
  py::array z;
  if (aux) {
    z = py::array(a.dtype(), shape);
    arguments.pointers.push_back(data(z));
  }
  arguments.sizes = {m, n, k};
  arguments.params = call.params;
  run(kernel, arguments);
  if (aux)
    return py::make_tuple(c, z);
  return std::move(c);
}

//===----------------------------------------------------------------------===//
// The Python class
//===----------------------------------------------------------------------===//

static Call makeCall(const Activation &activation, const char *method,
                     const py::kwargs &kwargs) {
  std::string what = activation.info->name +
                     (method[0] ? std::string(".") + method : "") + "()";
  std::vector<float> params = getParams(activation, what, kwargs);
  return {activation, what, std::move(params)};
}

static std::string formatSignature(const ActivationInfo &info) {
  std::string text = info.name + "(x";
  for (const ParamInfo &param : info.params)
    text += std::string(", ") + (param.runtime ? "param " : "") + param.name +
            " = " + std::string(py::str(py::float_(param.defaultValue)));
  return text + ")";
}

void actc::python::defineActivation(py::module_ &m) {
  py::class_<Activation>(
      m, "Activation",
      "One compiled activation. Call it on a C-contiguous float32, float64 or "
      "float16 "
      "numpy array (the dtype picks the kernel); runtime parameters are "
      "keywords with the spec's defaults. Arguments are never copied: a "
      "wrong type or dtype raises TypeError, a wrong shape, a "
      "non-contiguous or read-only array ValueError.")
      .def(
          "__call__",
          [](const Activation &self, py::handle x, py::handle out,
             py::kwargs params) {
            Call call = makeCall(self, "", params);
            return forward(call, x, out);
          },
          py::arg("x"), py::kw_only(), py::arg("out") = py::none(),
          "y = f(x), elementwise (any shape) or row by row (the last axis "
          "is the row). `out` (x itself allowed) receives y.")
      .def(
          "grad",
          [](const Activation &self, py::handle x, py::handle dy,
             py::handle out, py::kwargs params) {
            Call call = makeCall(self, "grad", params);
            return backward(call, x, dy, out);
          },
          py::arg("x"), py::arg("dy"), py::kw_only(),
          py::arg("out") = py::none(),
          "dx = dy * f'(x) (row activations: the vector-Jacobian product). "
          "With runtime parameters, returns (dx, dP...) where each dP is the "
          "sum over all elements of dy * df/dP.")
      .def(
          "grad_from_y",
          [](const Activation &self, py::handle y, py::handle dy,
             py::handle out, py::kwargs params) {
            Call call = makeCall(self, "grad_from_y", params);
            py::array yArray = checkInput(y, call.argument("y"));
            return backwardFromY(call, yArray, dy, out);
          },
          py::arg("y"), py::arg("dy"), py::kw_only(),
          py::arg("out") = py::none(),
          "The gradient from the forward output y = f(x), where the "
          "activation has such a kernel (row activations; sigmoid-like).")
      .def(
          "bias",
          [](const Activation &self, py::handle x, py::handle bias,
             py::handle out, py::kwargs params) {
            Call call = makeCall(self, "bias", params);
            return biasForward(call, x, bias, out);
          },
          py::arg("x"), py::arg("bias"), py::kw_only(),
          py::arg("out") = py::none(),
          "y[r, c] = f(x[r, c] + bias[c]) for a 2-D x (the fused bias "
          "epilogue).")
      .def(
          "bias_grad",
          [](const Activation &self, py::handle x, py::handle bias,
             py::handle dy, py::kwargs params) {
            Call call = makeCall(self, "bias_grad", params);
            return biasBackward(call, x, bias, dy);
          },
          py::arg("x"), py::arg("bias"), py::arg("dy"),
          "(dx, dbias, dP...) of the bias epilogue.")
      .def(
          "matmul",
          [](const Activation &self, py::handle a, py::handle b,
             py::handle bias, py::handle out, py::kwargs params) {
            Call call = makeCall(self, "matmul", params);
            return matmul(call, a, b, bias, out, /*aux=*/false);
          },
          py::arg("a"), py::arg("b"), py::arg("bias") = py::none(),
          py::kw_only(), py::arg("out") = py::none(),
          "c = f(a @ b + bias) in one fused kernel; bias may be None.")
      .def(
          "matmul_aux",
          [](const Activation &self, py::handle a, py::handle b,
             py::handle bias, py::kwargs params) {
            Call call = makeCall(self, "matmul_aux", params);
            return matmul(call, a, b, bias, py::none(), /*aux=*/true);
          },
          py::arg("a"), py::arg("b"), py::arg("bias") = py::none(),
          "(c, z): c = f(z) with z = a @ b + bias kept for the backward "
          "pass.")
      .def(
          "ir",
          [](const Activation &self, const std::string &stage) {
            std::string text = self.library->getIR(stage, self.info->name);
            if (text.empty() && stage == "act-grad")
              raise(PyExc_NotImplementedError,
                    "act-grad: actc prints no .act derivative for " +
                        self.info->name + " (a " + self.info->shape +
                        " activation)");
            return text;
          },
          py::arg("stage"),
          "This activation alone at `stage`: parse, act, act-grad, mlir, "
          "llvm, asm or header. Compiles again the first time (cached).")
      .def(
          "has_kernel",
          [](const Activation &self, const std::string &kernelKind) {
            return !self.library->getKernels(*self.info, kernelKind).empty();
          },
          py::arg("kind"),
          "Whether the library has this kernel kind ('' forward, 'grad', "
          "'grad_from_y', 'bias', 'bias_grad', 'matmul', 'matmul_aux'); "
          "compiles the kind first if it is one built on first use.")
      .def_property_readonly(
          "name", [](const Activation &self) { return self.info->name; })
      .def_property_readonly(
          "shape", [](const Activation &self) { return self.info->shape; },
          "'elementwise' or 'row' (softmax-like: takes rows of the last "
          "axis).")
      .def_property_readonly(
          "formula", [](const Activation &self) { return self.info->formula; })
      .def_property_readonly(
          "params",
          [](const Activation &self) {
            py::dict params;
            for (const ParamInfo &param : self.info->params)
              if (param.runtime)
                params[py::str(param.name)] = param.defaultValue;
            return params;
          },
          "Runtime parameters (keywords of the calls) and their defaults, in "
          "declaration order.")
      .def_property_readonly(
          "constants",
          [](const Activation &self) {
            py::dict constants;
            for (const ParamInfo &param : self.info->params)
              if (!param.runtime)
                constants[py::str(param.name)] = param.defaultValue;
            return constants;
          },
          "Compile-time constants and the values folded into the kernels.")
      .def_property_readonly(
          "kernels",
          [](const Activation &self) {
            std::vector<std::string> symbols;
            for (const KernelInfo &kernel :
                 self.library->getCompiledKernels(*self.info))
              symbols.push_back(kernel.symbol);
            return symbols;
          },
          "The C symbols of this activation's kernels compiled so far (the "
          "kinds not in actc.compile's `kernels` compile on first use).")
      .def_property_readonly(
          "library", [](const Activation &self) { return self.library; })
      .def("__repr__", [](const Activation &self) {
        std::string dtypes;
        for (const std::string &dtype : self.library->getOptions().dtypes)
          dtypes += (dtypes.empty() ? "" : ", ") + dtype;
        return "<actc.Activation " + formatSignature(*self.info) + " " +
               self.info->shape + " [" + dtypes + "]>";
      });
}
