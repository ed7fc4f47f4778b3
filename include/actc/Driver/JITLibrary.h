//===- JITLibrary.h - an actc object loaded into this process ---*- C++ -*-===//
//
// Links the object file a compilation produced into the running process
// with ORC (JITLink), so its kernels are callable without writing a file,
// running a linker or dlopen: the bytes that `save` writes are the bytes
// that run.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_DRIVER_JITLIBRARY_H
#define ACTC_DRIVER_JITLIBRARY_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>
#include <vector>

namespace llvm::orc {
class JITDylib;
class LLJIT;
} // namespace llvm::orc

namespace actc {

/// The kernels of one object file, linked into this process. Symbols resolve
/// against the object itself, then the process (libm).
class JITLibrary {
public:
  /// Links `object` (an ELF object for the host); `name` names it in
  /// errors.
  static llvm::Expected<std::unique_ptr<JITLibrary>>
  load(llvm::StringRef object, llvm::StringRef name);

  /// Links one more object, in a JITDylib of its own (so its symbols may
  /// repeat the others'), for kernels compiled after the first object.
  llvm::Error add(llvm::StringRef object, llvm::StringRef name);

  /// The address of `symbol`, a function an object defines; the latest
  /// object that defines it wins.
  llvm::Expected<void *> lookup(llvm::StringRef symbol);

  /// True when code for `triple` runs in this process (same architecture
  /// and object format as the host).
  static bool isHostCompatible(llvm::StringRef triple);

  ~JITLibrary();

private:
  explicit JITLibrary(std::unique_ptr<llvm::orc::LLJIT> jit);

  std::unique_ptr<llvm::orc::LLJIT> jit;
  /// The main JITDylib, then one per added object.
  std::vector<llvm::orc::JITDylib *> dylibs;
};

} // namespace actc

#endif // ACTC_DRIVER_JITLIBRARY_H
