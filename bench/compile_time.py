"""Compile time of actc.compile for single activations: the default (forward
and gradient kernels; fused kinds on first use) against kernels="all", and
the first fused call. Best and median of a few runs, in ms; the machine is
shared, so compare the columns of one run.

    PYTHONPATH=build/python_bindings /usr/bin/python3 bench/compile_time.py
"""

import statistics
import time

import numpy as np

import actc


def measure(function, runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1e3)
    return min(times), statistics.median(times)


def first_matmul(source):
    lib = actc.compile(source)
    a = np.ones((4, 4), np.float32)
    start = time.perf_counter()
    lib.swish_t.matmul(a, a)
    return (time.perf_counter() - start) * 1e3


def main():
    swish = "act swish_t(x, param beta = 1.0) = x * sigmoid(beta * x)"
    print(f"{'activation':12} {'default':>14} {'kernels=all':>14}  (best/median ms)")
    rows = [("swish (spec)", lambda **k: actc.compile(swish, **k))]
    for name in ("relu", "sigmoid", "mish", "gelu"):
        rows.append((name, lambda name=name, **k: actc.compile(
            None, only=[name], **k)))
    for label, compile_it in rows:
        lazy = measure(compile_it, 7)
        full = measure(lambda: compile_it(kernels="all"), 3)
        print(f"{label:12} {lazy[0]:7.0f}/{lazy[1]:<6.0f} {full[0]:7.0f}/{full[1]:<6.0f}")
    firsts = sorted(first_matmul(swish) for _ in range(5))
    print(f"first .matmul call (compiles it): {firsts[0]:.0f}-{firsts[-1]:.0f} ms")


if __name__ == "__main__":
    main()
