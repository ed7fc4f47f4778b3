//===- JITLibrary.cpp - an actc object loaded into this process -----------===//

#include "actc/Driver/JITLibrary.h"

#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace llvm;
using namespace actc;

JITLibrary::JITLibrary(std::unique_ptr<orc::LLJIT> jit) : jit(std::move(jit)) {
  dylibs.push_back(&this->jit->getMainJITDylib());
}

JITLibrary::~JITLibrary() = default;

bool JITLibrary::isHostCompatible(StringRef triple) {
  Triple target(triple);
  Triple host(sys::getProcessTriple());
  return target.getArch() == host.getArch() && target.getOS() == host.getOS() &&
         target.getObjectFormat() == host.getObjectFormat();
}

Expected<std::unique_ptr<JITLibrary>> JITLibrary::load(StringRef object,
                                                       StringRef name) {
  // The object is already compiled: the JIT's own compiler never runs, so
  // the host's default JITTargetMachineBuilder is only a formality.
  Expected<std::unique_ptr<orc::LLJIT>> jit = orc::LLJITBuilder().create();
  if (!jit)
    return jit.takeError();
  if (Error error =
          (*jit)->addObjectFile(MemoryBuffer::getMemBufferCopy(object, name)))
    return std::move(error);
  return std::unique_ptr<JITLibrary>(new JITLibrary(std::move(*jit)));
}

Error JITLibrary::add(StringRef object, StringRef name) {
  // JITDylib names are unique; the LLJIT links each new one against the
  // process (libm), like the main one.
  Expected<orc::JITDylib &> dylib = jit->createJITDylib(
      (name + " #" + Twine(dylibs.size())).str());
  if (!dylib)
    return dylib.takeError();
  if (Error error =
          jit->addObjectFile(*dylib, MemoryBuffer::getMemBufferCopy(object, name)))
    return error;
  dylibs.push_back(&*dylib);
  return Error::success();
}

Expected<void *> JITLibrary::lookup(StringRef symbol) {
  Error notFound = Error::success();
  for (orc::JITDylib *dylib : llvm::reverse(dylibs)) {
    Expected<orc::ExecutorAddr> address = jit->lookup(*dylib, symbol);
    if (address) {
      consumeError(std::move(notFound));
      return address->toPtr<void *>();
    }
    // Keep the first (latest object's) error for the report.
    if (notFound)
      consumeError(address.takeError());
    else
      notFound = address.takeError();
  }
  return std::move(notFound);
}
