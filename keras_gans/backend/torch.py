"""PyTorch training step: torch.autograd.grad, create_graph for input gradients."""

import torch


def input_gradient(fn, x, output_scale=None):
    """Gradient of `sum(fn(x))` with respect to `x`, kept in the autograd graph.

    Args:
        fn: a function of `x` (typically the discriminator in training mode).
        x: the input tensor.
        output_scale: optional scalar multiplying the summed output before
            differentiation (loss scaling for float16); the result is NOT unscaled.
    """
    with torch.enable_grad():
        if not x.requires_grad:  # data: differentiate at it; a computed x keeps its graph
            x = x.detach().requires_grad_(True)
        total = fn(x).float().sum()
        if output_scale is not None:
            total = total * output_scale
        (grad,) = torch.autograd.grad(total, x, create_graph=True)
    return grad


def _update(network, optimizer, objective):
    variables = network.trainable_variables
    loss, logs = objective()
    scaled_loss = optimizer.scale_loss(loss)
    values = [v.value for v in variables]
    grads = torch.autograd.grad(scaled_loss, values, allow_unused=True)
    grads = [torch.zeros_like(v) if g is None else g for g, v in zip(grads, values)]
    applied = None
    if hasattr(optimizer, "inner_optimizer"):  # the loss scaler skips non-finite updates
        applied = torch.stack([torch.isfinite(g).all() for g in grads]).all()
    with torch.no_grad():
        optimizer.apply(grads, variables)
    return {name: value.detach() for name, value in logs.items()}, applied


def _run(fn):
    with torch.no_grad():
        return fn()


def _when(condition, fn):
    if condition is None or bool(condition):
        fn()


class AdversarialTrainer:
    """`train_step` / `test_step` for the PyTorch backend."""

    def train_step(self, data):
        real, labels = self.unpack_batch(data)
        self.adversarial_step(real, labels, update=_update, run=_run, when=_when)
        return self.current_logs()

    def test_step(self, data):
        real, labels = self.unpack_batch(data)
        self.evaluation_step(real, labels)
        return self.current_logs()
