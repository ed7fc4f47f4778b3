#!/usr/bin/python3
"""Trains a small MLP with a custom activation compiled by actc.

The activation is Swish-beta (Ramachandran et al., 2017: x * sigmoid(beta x)
with a trainable beta per layer), written in .act below; edit SPEC and
TorchActivation together to try another formula. The same network is trained
twice from the same initialization: once with actc's compiled kernels (the
backward pass, including da, is actc's symbolic derivative) and once with
the formula written in torch and differentiated by torch's autograd. The
script prints the loss per epoch of both and the time per training step.

    PYTHONPATH=build/python_bindings /usr/bin/python3 \\
        examples/train_custom_activation.py
"""

import statistics
import time

import torch

import actc
import actc.torch

SPEC = """
# Swish-beta: a learned sharpness per layer (beta -> inf: relu; 0: x / 2).
act swish_beta(x, param beta = 1.0) = x * sigmoid(beta * x)
"""

EPOCHS = 8
STEPS_PER_EPOCH = 16
BATCH = 512
WIDTH = 512


class TorchActivation(torch.nn.Module):
    """The same formula in torch: autograd derives its backward pass."""

    def __init__(self):
        super().__init__()
        self.beta = torch.nn.Parameter(torch.tensor(1.0))

    def forward(self, x):
        return x * torch.sigmoid(self.beta * x)


def make_model(activation):
    torch.manual_seed(0)
    return torch.nn.Sequential(
        torch.nn.Linear(16, WIDTH), activation(),
        torch.nn.Linear(WIDTH, WIDTH), activation(),
        torch.nn.Linear(WIDTH, 1))


def make_data():
    """A synthetic regression with periodic structure."""
    generator = torch.Generator().manual_seed(1)
    x = torch.randn(EPOCHS * STEPS_PER_EPOCH * BATCH, 16, generator=generator)
    y = torch.sin(3 * x[:, :1]) + 0.5 * x[:, 1:2] * x[:, 2:3]
    return x, y


def train(model, x, y):
    """Returns the mean loss of each epoch and the time of each step."""
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    losses, step_times = [], []
    for epoch in range(EPOCHS):
        epoch_losses = []
        for step in range(STEPS_PER_EPOCH):
            start = (epoch * STEPS_PER_EPOCH + step) * BATCH
            batch_x, batch_y = x[start:start + BATCH], y[start:start + BATCH]
            begin = time.perf_counter()
            optimizer.zero_grad()
            loss = torch.nn.functional.mse_loss(model(batch_x), batch_y)
            loss.backward()
            optimizer.step()
            step_times.append(time.perf_counter() - begin)
            epoch_losses.append(loss.item())
        losses.append(statistics.mean(epoch_losses))
    return losses, step_times


def time_activation(module, x, repeats=50):
    """Median time of the activation's forward and backward pass alone."""
    times = []
    for _ in range(repeats):
        x_grad = x.detach().requires_grad_()
        begin = time.perf_counter()
        module(x_grad).sum().backward()
        times.append(time.perf_counter() - begin)
    return statistics.median(times)


def main():
    # actc's kernels run on one thread: compare with torch on one thread.
    torch.set_num_threads(1)
    begin = time.perf_counter()
    lib = actc.compile(SPEC)
    print(f"actc.compile: {(time.perf_counter() - begin) * 1e3:.0f} ms")
    print("derivative actc compiled (actc --emit=act-grad):")
    print(lib.swish_beta.ir("act-grad"))

    x, y = make_data()
    ours, ours_times = train(
        make_model(lambda: actc.torch.Activation(lib.swish_beta)), x, y)
    theirs, theirs_times = train(make_model(TorchActivation), x, y)

    print("epoch   loss (actc)   loss (torch autograd)")
    for epoch, (a, b) in enumerate(zip(ours, theirs)):
        print(f"{epoch:5d}   {a:11.6f}   {b:21.6f}")

    ms = 1e3
    print(f"\ntime per training step (median of {len(ours_times)}, "
          f"batch {BATCH}, width {WIDTH}, one thread):")
    print(f"  actc kernels     {statistics.median(ours_times) * ms:7.2f} ms")
    print(f"  torch autograd   {statistics.median(theirs_times) * ms:7.2f} ms")
    h = torch.randn(BATCH, WIDTH)
    actc_time = time_activation(actc.torch.Activation(lib.swish_beta), h)
    torch_time = time_activation(TorchActivation(), h)
    print(f"activation alone, forward + backward on {BATCH}x{WIDTH}:")
    print(f"  actc kernels     {actc_time * ms:7.3f} ms")
    print(f"  torch autograd   {torch_time * ms:7.3f} ms "
          f"(actc speedup {torch_time / actc_time:.2f}x)")


if __name__ == "__main__":
    main()
