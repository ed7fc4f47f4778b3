"""actc's log_softmax_f32 (accurate and fast) against PyTorch's, side by side.

    PYTHONPATH=build/python_bindings /usr/bin/python3 bench/log_softmax_torch.py \
        [ROWSxCOLS ...] [--rounds N]

It predates log_softmax in bench/main.cpp's softmax section (every peer:
scripts/bench.sh --sections softmax --only log_softmax); it measures the
one question the session-20 change raised (accurate log_softmax computes its
sum's terms in f64: is it still at least half the fastest peer, issue #4's
bar?). PyTorch runs aten::_log_softmax.out (no allocation per call) on one
thread, actc's kernels through the Python bindings with out= arrays. Each
round times every contender on the same rows (x ~ U[-10, 10]), in an order
that rotates per round; it prints the median time per element and the
median over rounds of each actc/PyTorch speed ratio (> 1: actc faster), with
its range. Shapes default to 256x1000 and 8x32000.
"""

import statistics
import sys
import time

import numpy as np
import torch

import actc


def parse(argv):
    shapes, rounds = [], 21
    args = iter(argv)
    for arg in args:
        if arg == "--rounds":
            rounds = int(next(args))
        else:
            rows, cols = arg.split("x")
            shapes.append((int(rows), int(cols)))
    return shapes or [(256, 1000), (8, 32000)], rounds


def timed(call, batch):
    start = time.perf_counter()
    for _ in range(batch):
        call()
    return (time.perf_counter() - start) / batch


def main():
    shapes, rounds = parse(sys.argv[1:])
    torch.set_num_threads(1)
    libs = {p: actc.compile(only=["log_softmax"], precision=p)
            for p in ("accurate", "fast")}
    rng = np.random.default_rng(1)
    for rows, cols in shapes:
        x = rng.uniform(-10, 10, (rows, cols)).astype(np.float32)
        out = np.empty_like(x)
        xt, yt = torch.from_numpy(x), torch.empty(rows, cols)
        calls = {
            "pytorch": lambda: torch.ops.aten._log_softmax.out(
                xt, 1, False, out=yt),
            "actc accurate": lambda: libs["accurate"].log_softmax(x, out=out),
            "actc fast": lambda: libs["fast"].log_softmax(x, out=out),
        }
        torch.ops.aten._log_softmax.out(xt, 1, False, out=yt)
        libs["accurate"].log_softmax(x, out=out)
        assert np.allclose(out, yt.numpy(), rtol=1e-5, atol=1e-5)
        batch = max(1, 2_000_000 // (rows * cols))
        times = {name: [] for name in calls}
        names = list(calls)
        for r in range(rounds):
            order = names[r % len(names):] + names[:r % len(names)]
            for name in order:
                times[name].append(timed(calls[name], batch))
        n = rows * cols
        print(f"{rows} x {cols}, rounds={rounds} batch={batch}")
        print(f"{'contender':<15} {'ns/el':>7} {'vs pytorch':>10} {'[range]':>15}")
        for name in names:
            ratios = [t / s for t, s in zip(times["pytorch"], times[name])]
            print(f"{name:<15} {statistics.median(times[name]) / n * 1e9:7.3f} "
                  f"{statistics.median(ratios):10.3f} "
                  f"[{min(ratios):.3f}-{max(ratios):.3f}]")


if __name__ == "__main__":
    main()
