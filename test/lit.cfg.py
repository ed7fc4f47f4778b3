# -*- Python -*-
# lit configuration of the actc tests: IR tests of each pass (act-opt), driver
# tests (actc) and executable tests that link compiled kernels into C programs.

import os

import lit.formats
from lit.llvm import llvm_config
from lit.llvm.subst import ToolSubst

config.name = "ACTC"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".act", ".test", ".c"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.actc_obj_root, "test")

config.substitutions.append(("%PATH%", config.environment["PATH"]))
config.substitutions.append(("%cc", config.c_compiler))
config.substitutions.append(("%actc_src", config.actc_src_root))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)

tool_dirs = [config.actc_tools_dir, config.llvm_tools_dir]
tools = ["act-opt", "actc", "act-accuracy", "act-row-accuracy"]
llvm_config.add_tool_substitutions(tools, tool_dirs)

# Tests that need MPFR (the high-precision reference) are marked REQUIRES: mpfr.
if os.path.exists("/usr/include/mpfr.h"):
    config.available_features.add("mpfr")
# The benchmark's peers (scripts/install-bench-deps.sh): Eigen's headers.
if os.path.exists("/usr/include/eigen3/Eigen/Core"):
    config.available_features.add("eigen")
# The host can run AVX-512 code (kernels built with --mcpu=native).
try:
    with open("/proc/cpuinfo") as cpuinfo:
        if " avx512f " in cpuinfo.read():
            config.available_features.add("avx512")
except OSError:
    pass
