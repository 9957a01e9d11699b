"""Fixtures for the network tests."""

import keras
import numpy as np
import pytest


def _input_gradient_fn(model):
    """`gradient(x, output_weights)`: d sum(output_weights * model(x)) / dx, as NumPy.

    Uses the running backend's autodiff (test-only code). `x` is one array, or a list
    of arrays for a model with several inputs (then a list of gradients comes back).
    The model runs with `training=False`; on JAX one compiled function serves every
    call, and reads the model's current weights.
    """
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        def gradient(x, output_weights):
            x = tf.nest.map_structure(tf.convert_to_tensor, x)
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = tf.reduce_sum(model(x, training=False) * output_weights)
            return tf.nest.map_structure(lambda g: g.numpy(), tape.gradient(y, x))

        return gradient
    if backend == "jax":
        import jax

        def objective(x, output_weights, trainable, non_trainable):
            y, _ = model.stateless_call(trainable, non_trainable, x, training=False)
            return (y * output_weights).sum()

        compiled = jax.jit(jax.grad(objective))

        def gradient(x, output_weights):
            values = compiled(
                x,
                output_weights,
                [v.value for v in model.trainable_variables],
                [v.value for v in model.non_trainable_variables],
            )
            return jax.tree_util.tree_map(np.asarray, values)

        return gradient
    import torch

    def gradient(x, output_weights):
        tensors = [torch.tensor(v, requires_grad=True) for v in (x if isinstance(x, list) else [x])]
        y = model(tensors if isinstance(x, list) else tensors[0], training=False)
        (y * torch.tensor(output_weights)).sum().backward()
        grads = [t.grad.numpy() for t in tensors]
        return grads if isinstance(x, list) else grads[0]

    return gradient


@pytest.fixture
def input_gradient():
    """Factory: `input_gradient(model)` returns `gradient(x, output_weights)`."""
    return _input_gradient_fn
