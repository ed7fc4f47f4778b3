//===- Frontend.cpp - .act source to the act dialect ----------------------===//
//
// Drives the frontend: locates the command-line options, parses the prelude
// and then the user's spec into one module, picks the activations to compile
// (public) and keeps only what they call (private), callees first.
//
//===----------------------------------------------------------------------===//

#include "actc/Frontend/Frontend.h"

#include "CommandLine.h"
#include "Parser.h"

#include "actc/Dialect/Act/ActDialect.h"
#include "actc/Dialect/Act/ActOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace actc::frontend;

/// The name of the buffer holding the prelude, as diagnostics show it.
static constexpr llvm::StringLiteral preludeBufferName = "<prelude>";

/// The user's spec: the first buffer that is not one the frontend added.
static unsigned findMainBuffer(const llvm::SourceMgr &sourceMgr) {
  for (unsigned id = 1, e = sourceMgr.getNumBuffers(); id <= e; ++id) {
    StringRef name = sourceMgr.getMemoryBuffer(id)->getBufferIdentifier();
    if (name != preludeBufferName &&
        !name.starts_with(commandLineBufferName.drop_back()))
      return id;
  }
  return 0;
}

/// Reports the `-D` overrides that named no activation.
static LogicalResult checkOverridesMatched(const FrontendState &state) {
  for (const Override &override : state.overrides)
    if (!override.matched)
      return emitError(override.activationLoc)
             << "no activation named '" << override.activation << "' (in -D "
             << override.activation << "." << override.param << ")";
  return success();
}

/// Makes the chosen activations public, the ones they call private, and
/// erases the rest.
static LogicalResult selectActivations(FrontendState &state,
                                       ArrayRef<OnlyName> only) {
  llvm::StringSet<> publicNames;
  if (only.empty()) {
    for (const std::string &name : state.order)
      if (!state.activations.lookup(name).fromPrelude)
        publicNames.insert(name);
  } else {
    for (const OnlyName &entry : only) {
      if (!state.activations.count(entry.name))
        return emitError(entry.loc)
               << "unknown activation '" << entry.name << "' in --only";
      publicNames.insert(entry.name);
    }
  }

  // Everything the public activations call, transitively.
  llvm::StringSet<> needed;
  std::vector<std::string> worklist;
  for (StringRef name : publicNames.keys())
    worklist.push_back(name.str());
  while (!worklist.empty()) {
    std::string name = worklist.back();
    worklist.pop_back();
    if (!needed.insert(name).second)
      continue;
    state.activations.lookup(name).op.walk(
        [&](act::CallOp call) { worklist.push_back(call.getCallee().str()); });
  }

  StringAttr privateAttr =
      StringAttr::get(state.module.getContext(), "private");
  for (const std::string &name : state.order) {
    act::ActivationOp op = state.activations.lookup(name).op;
    if (!needed.contains(name))
      op.erase();
    else if (!publicNames.contains(name))
      op.setSymVisibilityAttr(privateAttr);
  }
  return success();
}

OwningOpRef<ModuleOp> actc::parseActSource(llvm::SourceMgr &sourceMgr,
                                           MLIRContext *context,
                                           const FrontendOptions &options) {
  context
      ->loadDialect<act::ActDialect, arith::ArithDialect, math::MathDialect>();
  unsigned mainBuffer = findMainBuffer(sourceMgr);

  FailureOr<CommandLineOptions> commandLine =
      parseCommandLine(sourceMgr, context, options);
  if (failed(commandLine))
    return nullptr;
  if (!mainBuffer && commandLine->only.empty()) {
    emitError(UnknownLoc::get(context))
        << "nothing to compile: give a .act spec, or --only with prelude "
           "activations";
    return nullptr;
  }

  Location moduleLoc =
      mainBuffer
          ? Location(FileLineColLoc::get(
                context,
                sourceMgr.getMemoryBuffer(mainBuffer)->getBufferIdentifier(), 1,
                1))
          : Location(UnknownLoc::get(context));
  OwningOpRef<ModuleOp> module = ModuleOp::create(moduleLoc);
  FrontendState state(sourceMgr, *module, std::move(commandLine->overrides));

  unsigned preludeBuffer =
      findOrAddBuffer(sourceMgr, preludeBufferName, getPreludeSource());
  if (failed(parseBuffer(state, preludeBuffer, /*isPrelude=*/true)))
    return nullptr;
  if (mainBuffer && failed(parseBuffer(state, mainBuffer, /*isPrelude=*/false)))
    return nullptr;
  if (failed(checkOverridesMatched(state)) ||
      failed(selectActivations(state, commandLine->only)))
    return nullptr;
  if (failed(verify(*module)))
    return nullptr;
  return module;
}
