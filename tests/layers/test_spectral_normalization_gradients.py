"""Spectral normalization: the gradient with respect to the raw kernel flows through sigma(W)."""

import keras
import numpy as np

from keras_gans import layers


def kernel_gradient(model, x):
    """d sum(model(x)) / d (the model's trainable variables), with the running backend's autodiff."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        with tf.GradientTape() as tape:
            y = tf.reduce_sum(model(x, training=False))
        return [g.numpy() for g in tape.gradient(y, model.trainable_variables)]
    if backend == "jax":
        import jax

        def objective(trainable, non_trainable):
            y, _ = model.stateless_call(trainable, non_trainable, x, training=False)
            return y.sum()

        grads = jax.grad(objective)(
            [v.value for v in model.trainable_variables], [v.value for v in model.non_trainable_variables]
        )
        return [np.asarray(g) for g in grads]
    import torch

    y = model(torch.tensor(x), training=False).sum()
    grads = torch.autograd.grad(y, [v.value for v in model.trainable_variables])
    return [g.numpy() for g in grads]


def test_gradient_includes_the_dependence_of_sigma_on_the_kernel():
    rng = np.random.default_rng(0)
    kernel = rng.normal(size=(5, 3))
    x = rng.normal(size=(4, 5)).astype("float32")
    wrapper = layers.SpectralNormalization(keras.layers.Dense(3, use_bias=False))
    model = keras.Sequential([keras.Input((5,)), wrapper])
    wrapper.layer.kernel.assign(kernel.astype("float32"))
    u = keras.ops.convert_to_numpy(wrapper.u).astype("float64")
    u_hat = (u / np.linalg.norm(u))[0]

    def f(w):  # sum(x W / sigma(W)), sigma(W) = |W u_hat| with u fixed (inference reads u)
        return np.sum(x.astype("float64") @ w) / np.linalg.norm(w @ u_hat)

    numeric = np.zeros_like(kernel)
    for index in np.ndindex(kernel.shape):
        step = np.zeros_like(kernel)
        step[index] = 1e-6
        numeric[index] = (f(kernel + step) - f(kernel - step)) / 2e-6
    (got,) = kernel_gradient(model, x)
    np.testing.assert_allclose(got, numeric, rtol=1e-3, atol=1e-5)
    sigma_constant = np.tile(x.sum(0)[:, None], (1, 3)) / np.linalg.norm(kernel @ u_hat)
    assert np.abs(got - sigma_constant).max() > 1e-2  # the sigma term is really there
