//===- JITLibrary.cpp - an actc object loaded into this process -----------===//

#include "actc/Driver/JITLibrary.h"

#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

using namespace llvm;
using namespace actc;

JITLibrary::JITLibrary(std::unique_ptr<orc::LLJIT> jit) : jit(std::move(jit)) {}

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

Expected<void *> JITLibrary::lookup(StringRef symbol) {
  Expected<orc::ExecutorAddr> address = jit->lookup(symbol);
  if (!address)
    return address.takeError();
  return address->toPtr<void *>();
}
