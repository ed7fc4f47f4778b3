//===- PyLibrary.cpp - a compiled spec, loaded in this process ------------===//

#include "PyLibrary.h"
#include "PyError.h"

#include "actc/Dialect/Act/KernelABI.h"
#include "actc/Driver/OutputFiles.h"

#include "llvm/Support/raw_ostream.h"

using namespace actc;
using namespace actc::python;

namespace {
/// An IR stage and where the compile result keeps it.
struct Stage {
  const char *name;
  Artifact artifact;
  std::string CompileResult::*field;
};
} // namespace

static const Stage stages[] = {
    {"parse", Artifact::Parse, &CompileResult::parse},
    {"act", Artifact::Act, &CompileResult::act},
    {"act-grad", Artifact::ActGrad, &CompileResult::actGrad},
    {"header", Artifact::Header, &CompileResult::header},
    {"mlir", Artifact::MLIR, &CompileResult::mlir},
    {"llvm", Artifact::LLVM, &CompileResult::llvmIR},
    {"asm", Artifact::Asm, &CompileResult::assembly},
};

/// Stages that need no lowering are cheap; the lowered ones share most of
/// the work. Asking for one stage computes its whole group.
static Artifact getStageGroup(Artifact artifact) {
  Artifact symbolic =
      Artifact::Parse | Artifact::Act | Artifact::ActGrad | Artifact::Header;
  if ((artifact & symbolic) != Artifact::None)
    return symbolic;
  return Artifact::MLIR | Artifact::LLVM | Artifact::Asm;
}

Library::Library(std::optional<std::string> source, std::string bufferName,
                 CompileOptions options, std::vector<std::string> eagerKinds)
    : source(std::move(source)), bufferName(std::move(bufferName)),
      options(std::move(options)), eagerKinds(std::move(eagerKinds)) {
  this->options.kernels.clear();
  CompileOptions eagerOptions = this->options;
  eagerOptions.kernels = this->eagerKinds;
  result = compile(eagerOptions, Artifact::Object | Artifact::Kernels);
  if (isEager("all"))
    fullObject = result.object;
  if (!JITLibrary::isHostCompatible(result.triple))
    return;
  llvm::Expected<std::unique_ptr<JITLibrary>> loaded =
      JITLibrary::load(result.object, this->bufferName);
  if (!loaded)
    throw std::runtime_error("cannot load the compiled kernels: " +
                             llvm::toString(loaded.takeError()));
  jit = std::move(*loaded);
  for (const ActivationInfo &activation : result.activations)
    addKernels(activation.kernels);
}

bool Library::isEager(const std::string &kind) const {
  // Compiled eagerly: every kind when eagerKinds selects all.
  if (kind == "all")
    return eagerKinds.empty() ||
           llvm::is_contained(eagerKinds, std::string("all"));
  return mlir::act::isKernelKindSelected(eagerKinds, kind);
}

void Library::addKernels(const std::vector<KernelInfo> &compiled) {
  if (!jit)
    return;
  for (const KernelInfo &kernel : compiled) {
    llvm::Expected<void *> address = jit->lookup(kernel.symbol);
    if (!address)
      throw std::runtime_error("cannot find kernel " + kernel.symbol + ": " +
                               llvm::toString(address.takeError()));
    kernels[kernel.symbol] = *address;
  }
}

std::vector<KernelInfo> Library::getKernels(const ActivationInfo &activation,
                                            const std::string &kind) {
  auto key = std::make_pair(activation.name, kind);
  if (!isEager(kind) && !lateCompiled.count(key)) {
    // This activation alone, this kind alone. The GIL stays held: the
    // compilation is short and nothing else may change the maps meanwhile.
    // Its warnings were issued by the first compilation.
    CompileOptions lateOptions = options;
    lateOptions.only = {activation.name};
    lateOptions.kernels = {kind.empty() ? std::string("forward") : kind};
    llvm::Expected<CompileResult> compiled =
        source ? compileSource(*source, bufferName, lateOptions,
                               Artifact::Object | Artifact::Kernels)
               : compileFile("", lateOptions,
                             Artifact::Object | Artifact::Kernels);
    if (!compiled)
      throwError(compiled.takeError());
    std::vector<KernelInfo> found;
    for (const ActivationInfo &each : compiled->activations)
      if (each.name == activation.name)
        found = each.kernels;
    if (jit && !found.empty())
      if (llvm::Error error = jit->add(compiled->object,
                                       bufferName + " " + activation.name +
                                           " " + kind))
        throw std::runtime_error("cannot load the compiled kernels: " +
                                 llvm::toString(std::move(error)));
    addKernels(found);
    auto &late = lateKernels[activation.name];
    late.insert(late.end(), found.begin(), found.end());
    lateCompiled.insert(key);
  }
  std::vector<KernelInfo> result;
  for (const KernelInfo &kernel : getCompiledKernels(activation))
    if (kernel.kind == kind)
      result.push_back(kernel);
  return result;
}

std::vector<KernelInfo>
Library::getCompiledKernels(const ActivationInfo &activation) {
  std::vector<KernelInfo> all = activation.kernels;
  auto it = lateKernels.find(activation.name);
  if (it != lateKernels.end())
    all.insert(all.end(), it->second.begin(), it->second.end());
  return all;
}

const std::string &Library::getObject() {
  if (!fullObject)
    fullObject = compile(options, Artifact::Object).object;
  return *fullObject;
}

CompileResult Library::compile(const CompileOptions &compileOptions,
                               Artifact artifacts) const {
  llvm::Expected<CompileResult> compiled = [&] {
    // Compilation touches no Python object: let other threads run.
    py::gil_scoped_release release;
    return source
               ? compileSource(*source, bufferName, compileOptions, artifacts)
               : compileFile("", compileOptions, artifacts);
  }();
  if (!compiled)
    throwError(compiled.takeError());
  // Warnings and remarks become Python warnings (errors fail above).
  if (!compiled->diagnostics.empty())
    warn(compiled->diagnostics);
  return std::move(*compiled);
}

void *Library::getKernel(const std::string &symbol) const {
  if (!jit)
    throw std::runtime_error(
        "this library was compiled for " + result.triple +
        " and cannot run in this process; save() it and link the object "
        "there");
  auto it = kernels.find(symbol);
  if (it == kernels.end())
    throw std::runtime_error("no kernel " + symbol + " in this library");
  return it->second;
}

std::string Library::getIR(const std::string &stage, const std::string &only) {
  auto key = std::make_pair(only, stage);
  if (auto it = irCache.find(key); it != irCache.end())
    return it->second;
  const Stage *found = nullptr;
  for (const Stage &each : stages)
    if (stage == each.name)
      found = &each;
  if (!found)
    throw py::value_error("unknown IR stage '" + stage +
                          "' (expected parse, act, act-grad, mlir, llvm, asm "
                          "or header)");
  CompileOptions stageOptions = options;
  if (!only.empty())
    stageOptions.only = {only};
  Artifact group = getStageGroup(found->artifact);
  CompileResult compiled = compile(stageOptions, group);
  for (const Stage &each : stages)
    if ((each.artifact & group) != Artifact::None)
      irCache[std::make_pair(only, std::string(each.name))] =
          std::move(compiled.*each.field);
  return irCache[key];
}

std::string Library::getHeader(const std::string &headerPath) {
  CompileOptions headerOptions = options;
  headerOptions.headerGuard = getHeaderGuard(headerPath);
  return compile(headerOptions, Artifact::Header).header;
}

/// `os.fspath(path)`: a str or a path-like object as a string.
static std::string toPath(py::handle path) {
  return py::str(py::module_::import("os").attr("fspath")(path));
}

static Activation getActivation(const std::shared_ptr<Library> &library,
                                const std::string &name) {
  for (const ActivationInfo &info : library->getResult().activations)
    if (info.name == name)
      return {library, &info};
  throw py::attribute_error("no activation '" + name + "' in this library");
}

void actc::python::defineLibrary(py::module_ &m) {
  py::class_<Library, std::shared_ptr<Library>>(
      m, "Library",
      "The kernels of a compiled spec. Each activation is an attribute "
      "(lib.NAME) and an item (lib['NAME']).")
      .def("__getattr__",
           [](const std::shared_ptr<Library> &library,
              const std::string &name) { return getActivation(library, name); })
      .def(
          "__getitem__",
          [](const std::shared_ptr<Library> &library, const std::string &name) {
            try {
              return getActivation(library, name);
            } catch (const py::attribute_error &) {
              throw py::key_error(name);
            }
          })
      .def("__contains__",
           [](const Library &library, const std::string &name) {
             for (const ActivationInfo &info : library.getResult().activations)
               if (info.name == name)
                 return true;
             return false;
           })
      .def("__len__",
           [](const Library &library) {
             return library.getResult().activations.size();
           })
      .def("__iter__",
           [](const std::shared_ptr<Library> &library) {
             py::list activations;
             for (const ActivationInfo &info : library->getResult().activations)
               activations.append(Activation{library, &info});
             return py::iter(activations);
           })
      .def("__dir__",
           [](py::object self) {
             py::list names = py::module_::import("builtins")
                                  .attr("object")
                                  .attr("__dir__")(self);
             for (const ActivationInfo &info :
                  self.cast<const Library &>().getResult().activations)
               names.append(info.name);
             return names;
           })
      .def_property_readonly(
          "names",
          [](const Library &library) {
            std::vector<std::string> names;
            for (const ActivationInfo &info : library.getResult().activations)
              names.push_back(info.name);
            return names;
          },
          "The compiled activations, in declaration order.")
      .def_property_readonly(
          "triple",
          [](const Library &library) { return library.getResult().triple; })
      .def_property_readonly(
          "cpu", [](const Library &library) { return library.getResult().cpu; })
      .def_property_readonly(
          "dtypes",
          [](const Library &library) { return library.getOptions().dtypes; })
      .def_property_readonly(
          "object",
          [](Library &library) { return py::bytes(library.getObject()); },
          "The object file's bytes (what save() writes): every kernel kind, "
          "the fused ones included (compiled now if they were not yet).")
      .def(
          "ir",
          [](Library &library, const std::string &stage) {
            return library.getIR(stage, "");
          },
          py::arg("stage"),
          "The whole library at `stage`: parse, act, act-grad, mlir, llvm, "
          "asm or header.")
      .def(
          "save",
          [](Library &library, py::handle path, py::handle header) {
            std::vector<OutputFile> outputs{
                {toPath(path), library.getObject()}};
            if (!header.is_none()) {
              std::string headerPath = toPath(header);
              outputs.push_back({headerPath, library.getHeader(headerPath)});
            }
            if (llvm::Error error = writeOutputFiles(outputs, llvm::nulls()))
              raise(PyExc_OSError, llvm::toString(std::move(error)));
          },
          py::arg("path"), py::kw_only(), py::arg("header") = py::none(),
          "Writes the object file (and the C header) as actc -o/--header "
          "would: both or neither.")
      .def("__repr__", [](const Library &library) {
        std::string names;
        for (const ActivationInfo &info : library.getResult().activations)
          names += (names.empty() ? "" : ", ") + info.name;
        return "<actc.Library [" + names + "] " + library.getResult().triple +
               " " + library.getResult().cpu + ">";
      });
}
