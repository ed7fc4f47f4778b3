//===- GPUBinary.cpp - PTX and cubin of the GPU kernels -------------------===//
//
// gpu-module-to-binary (format=isa) gives the PTX. Without libdevice it
// still exits 0, with `.extern .func __nv_tanhf` calls the driver cannot
// resolve when it loads the module, so the PTX is checked here and such a
// build fails. The cubin comes from running the toolkit's ptxas on the PTX
// (rather than a second serialization with format=bin), so the object's
// PTX and cubin are the same code.
//
//===----------------------------------------------------------------------===//

#include "actc/Target/GPUBinary.h"

#include "mlir/Conversion/ArithToLLVM/ArithToLLVM.h"
#include "mlir/Conversion/ControlFlowToLLVM/ControlFlowToLLVM.h"
#include "mlir/Conversion/FuncToLLVM/ConvertFuncToLLVM.h"
#include "mlir/Conversion/IndexToLLVM/IndexToLLVM.h"
#include "mlir/Conversion/NVVMToLLVM/NVVMToLLVM.h"
#include "mlir/Conversion/UBToLLVM/UBToLLVM.h"
#include "mlir/Conversion/VectorToLLVM/ConvertVectorToLLVM.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace llvm;

static Error makeError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

void actc::registerGPUTargetInterfaces(mlir::DialectRegistry &registry) {
  mlir::arith::registerConvertArithToLLVMInterface(registry);
  mlir::cf::registerConvertControlFlowToLLVMInterface(registry);
  mlir::registerConvertFuncToLLVMInterface(registry);
  mlir::index::registerConvertIndexToLLVMInterface(registry);
  mlir::ub::registerConvertUBToLLVMInterface(registry);
  mlir::vector::registerConvertVectorToLLVMInterface(registry);
  mlir::registerConvertNVVMToLLVMInterface(registry);
  mlir::NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  mlir::registerGPUDialectTranslation(registry);
  mlir::registerNVVMDialectTranslation(registry);
}

std::string actc::getCUDAToolkitPath() {
  if (const char *path = std::getenv("CUDA_PATH"))
    if (*path)
      return path;
  return "/usr/local/cuda";
}

Error actc::checkGPUArch(StringRef arch) {
  if (arch == "sm_80" || arch == "sm_90")
    return Error::success();
  return makeError("unknown GPU architecture '" + arch +
                   "' (expected sm_80 or sm_90)");
}

std::vector<std::string> actc::findExternFunctions(StringRef ptx) {
  std::vector<std::string> names;
  SmallVector<StringRef> lines;
  ptx.split(lines, '\n');
  for (StringRef line : lines) {
    line = line.trim();
    if (!line.consume_front(".extern") || !line.ltrim().starts_with(".func"))
      continue;
    // `.extern .func (.param .b32 func_retval0) __nv_tanhf(`: the name is
    // the identifier before the parameter list's '('.
    line = line.ltrim().drop_front(strlen(".func")).ltrim();
    if (line.starts_with("(")) // the return value's parameter list
      line = line.drop_until([](char c) { return c == ')'; }).drop_front();
    names.push_back(line.trim()
                        .take_until([](char c) {
                          return c == '(' || c == ';' || isSpace(c);
                        })
                        .str());
  }
  return names;
}

Expected<std::string> actc::serializeToPTX(mlir::ModuleOp module,
                                           StringRef toolkitPath) {
  SmallString<128> libdevice(toolkitPath);
  sys::path::append(libdevice, "nvvm", "libdevice", "libdevice.10.bc");
  if (!sys::fs::exists(libdevice))
    return makeError("libdevice not found at '" + libdevice +
                     "': the GPU target needs the CUDA toolkit (set CUDA_PATH "
                     "to where it is installed)");

  mlir::OwningOpRef<mlir::ModuleOp> copy(module.clone());
  mlir::PassManager pm(module.getContext());
  mlir::GpuModuleToBinaryPassOptions options;
  options.toolkitPath = toolkitPath.str();
  options.compilationTarget = "isa";
  pm.addPass(mlir::createGpuModuleToBinaryPass(options));
  if (mlir::failed(pm.run(*copy)))
    return makeError("serializing the GPU kernels to PTX failed");

  std::string ptx;
  for (auto binary : copy->getOps<mlir::gpu::BinaryOp>())
    for (mlir::Attribute attr : binary.getObjects())
      ptx += cast<mlir::gpu::ObjectAttr>(attr).getObject().getValue().str();
  if (ptx.empty())
    return makeError("serializing the GPU kernels gave no PTX");
  std::vector<std::string> externs = findExternFunctions(ptx);
  if (!externs.empty())
    return makeError("the PTX calls functions it does not define (" +
                     join(externs, ", ") +
                     "): they would not resolve when the module loads");
  return ptx;
}

Expected<std::string> actc::assembleCubin(StringRef ptx, StringRef arch,
                                          StringRef toolkitPath) {
  SmallString<128> ptxas(toolkitPath);
  sys::path::append(ptxas, "bin", "ptxas");
  if (!sys::fs::can_execute(ptxas))
    return std::string();

  SmallString<128> input, output, errors;
  if (std::error_code error =
          sys::fs::createTemporaryFile("actc-kernels", "ptx", input))
    return makeError("cannot create a temporary file: " + error.message());
  FileRemover inputRemover(input);
  if (std::error_code error =
          sys::fs::createTemporaryFile("actc-kernels", "cubin", output))
    return makeError("cannot create a temporary file: " + error.message());
  FileRemover outputRemover(output);
  if (std::error_code error =
          sys::fs::createTemporaryFile("actc-ptxas", "log", errors))
    return makeError("cannot create a temporary file: " + error.message());
  FileRemover errorsRemover(errors);
  {
    std::error_code error;
    raw_fd_ostream os(input, error);
    if (error)
      return makeError("cannot write '" + input + "': " + error.message());
    os << ptx;
  }

  std::string archFlag = ("-arch=" + arch).str();
  SmallVector<StringRef> args = {ptxas, archFlag, "-O3", input, "-o", output};
  std::optional<StringRef> redirects[] = {std::nullopt, errors, errors};
  std::string message;
  int status = sys::ExecuteAndWait(ptxas, args, /*Env=*/std::nullopt, redirects,
                                   /*SecondsToWait=*/0,
                                   /*MemoryLimit=*/0, &message);
  if (status != 0) {
    std::string log;
    if (ErrorOr<std::unique_ptr<MemoryBuffer>> buffer =
            MemoryBuffer::getFile(errors))
      log = (*buffer)->getBuffer().trim().str();
    return makeError(ptxas + " failed" +
                     (message.empty() ? "" : ": " + message) +
                     (log.empty() ? "" : ":\n" + log));
  }
  ErrorOr<std::unique_ptr<MemoryBuffer>> cubin =
      MemoryBuffer::getFile(output, /*IsText=*/false);
  if (!cubin)
    return makeError("cannot read '" + output +
                     "': " + cubin.getError().message());
  return (*cubin)->getBuffer().str();
}
