//===- CommandLine.h - -D and --only as located text ------------*- C++ -*-===//
//
// `-D name.param=value` and `--only a,b` come from the command line, not from
// a file. To report their errors like any other (file:line:col, the line and
// a caret), their text is put in a virtual buffer named `<command line>`.
//
//===----------------------------------------------------------------------===//

#ifndef ACTC_LIB_FRONTEND_COMMANDLINE_H
#define ACTC_LIB_FRONTEND_COMMANDLINE_H

#include "Parser.h"

#include "actc/Frontend/Frontend.h"

#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/LLVM.h"

namespace actc {
namespace frontend {

/// The name of the virtual buffer holding the `-D` and `--only` options.
inline constexpr llvm::StringLiteral commandLineBufferName = "<command line>";

/// One `--only` name and where it is in the `<command line>` buffer.
struct OnlyName {
  std::string name;
  mlir::Location loc;
};

/// The options of `FrontendOptions`, checked and located.
struct CommandLineOptions {
  std::vector<Override> overrides;
  std::vector<OnlyName> only;
};

/// Adds the `<command line>` buffer to `sourceMgr` (when there are options)
/// and parses the `-D` texts; reports malformed ones.
mlir::FailureOr<CommandLineOptions>
parseCommandLine(llvm::SourceMgr &sourceMgr, mlir::MLIRContext *context,
                 const FrontendOptions &options);

/// The id of the buffer named `name` with contents `text` in `sourceMgr`,
/// added if it is not there yet. A `<name>` already used for another text
/// gets a number: `<name 2>`.
unsigned findOrAddBuffer(llvm::SourceMgr &sourceMgr, llvm::StringRef name,
                         llvm::StringRef text);

} // namespace frontend
} // namespace actc

#endif // ACTC_LIB_FRONTEND_COMMANDLINE_H
