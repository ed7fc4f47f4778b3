//===- PyCompile.cpp - _actc.compile: a spec to a loaded Library ----------===//
//
// The low-level entry point; actc.compile (__init__.py) maps the Python
// options (a path or source text, target="native", defines as a dict) onto
// it.
//
//===----------------------------------------------------------------------===//

#include "PyLibrary.h"

using namespace actc;
using namespace actc::python;

void actc::python::defineCompile(py::module_ &m) {
  m.def(
      "compile",
      [](std::optional<std::string> source, const std::string &name,
         const std::string &target, const std::string &cpu,
         std::vector<std::string> dtypes, const std::string &precision,
         std::vector<std::string> defines, std::vector<std::string> only,
         std::vector<std::string> kernels) {
        CompileOptions options;
        options.target = target;
        options.cpu = cpu;
        options.dtypes = std::move(dtypes);
        options.precision = precision;
        options.defines = std::move(defines);
        options.only = std::move(only);
        return std::make_shared<Library>(std::move(source), name,
                                         std::move(options),
                                         std::move(kernels));
      },
      py::arg("source"), py::kw_only(), py::arg("name") = "<string>",
      py::arg("target") = "", py::arg("cpu") = "",
      py::arg("dtypes") = std::vector<std::string>{"f32"},
      py::arg("precision") = "",
      py::arg("defines") = std::vector<std::string>{},
      py::arg("only") = std::vector<std::string>{},
      py::arg("kernels") =
          std::vector<std::string>{"forward", "grad", "grad_from_y"},
      "Compiles spec text (None: only the prelude activations `only` names) "
      "named `name` in diagnostics. target and cpu as actc's --target and "
      "--mcpu (empty: the host, the portable default CPU); defines as "
      "'name.param=value' strings; `kernels` the kinds compiled now (empty "
      "or 'all': every kind), the others on first use.");
}
