//===- OutputFiles.cpp - all outputs written, or none ---------------------===//

#include "actc/Driver/OutputFiles.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"

using namespace llvm;

Error actc::writeOutputFiles(ArrayRef<OutputFile> outputs,
                             raw_ostream &stdoutStream) {
  SmallVector<std::pair<sys::fs::TempFile, StringRef>> staged;
  auto discardAll = [&] {
    for (auto &[temp, path] : staged)
      consumeError(temp.discard());
  };
  for (const OutputFile &output : outputs) {
    if (output.path == "-")
      continue;
    Expected<sys::fs::TempFile> temp =
        sys::fs::TempFile::create(output.path + "-%%%%%%.tmp");
    if (!temp) {
      discardAll();
      return createStringError("cannot write '" + output.path +
                               "': " + toString(temp.takeError()));
    }
    raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    os << output.contents;
    os.flush();
    staged.push_back({std::move(*temp), output.path});
    if (os.has_error()) {
      os.clear_error();
      discardAll();
      return createStringError("cannot write '" + output.path + "'");
    }
  }
  for (auto &[temp, path] : staged)
    if (Error error = temp.keep(path))
      return createStringError("cannot write '" + path +
                               "': " + toString(std::move(error)));
  for (const OutputFile &output : outputs)
    if (output.path == "-") {
      stdoutStream << output.contents;
      stdoutStream.flush();
    }
  return Error::success();
}
