//===- OutputFiles.h - all outputs written, or none -------------*- C++ -*-===//

#ifndef ACTC_DRIVER_OUTPUTFILES_H
#define ACTC_DRIVER_OUTPUTFILES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace actc {

/// One file a compilation produces: a path ("-" is `stdoutStream`) and its
/// contents.
struct OutputFile {
  std::string path;
  std::string contents;
};

/// Writes every output through a temporary file beside it and renames them
/// into place only once all were written, so a failure (an unwritable
/// directory, a full disk) leaves no output, partial or stale, behind.
/// Outputs to "-" go to `stdoutStream` after the files are in place.
llvm::Error writeOutputFiles(llvm::ArrayRef<OutputFile> outputs,
                             llvm::raw_ostream &stdoutStream);

} // namespace actc

#endif // ACTC_DRIVER_OUTPUTFILES_H
