"""A small nonlinear critic and its input gradient written independently in NumPy.

`D(x) = tanh(x @ K + b) @ v + c` on flat inputs: its input gradient
`((1 - tanh(x @ K + b)^2) * v) @ K.T` varies with `x` (unlike a linear critic's),
so penalties computed through the backends' double back-propagation can be
checked against these float64 formulas.
"""

import keras
import numpy as np


def tanh_critic(input_dim, hidden=6, seed=0, dtype=None):
    """A Keras critic `Dense(hidden, tanh) -> Dense(1)` with seeded weights."""
    rng = np.random.default_rng(seed)
    model = keras.Sequential(
        [
            keras.Input((input_dim,)),
            keras.layers.Dense(hidden, activation="tanh", dtype=dtype),
            keras.layers.Dense(1, dtype="float32"),
        ]
    )
    model.set_weights(
        [
            rng.normal(0, 0.8, (input_dim, hidden)).astype("float32"),
            rng.normal(0, 0.3, (hidden,)).astype("float32"),
            rng.normal(0, 0.8, (hidden, 1)).astype("float32"),
            rng.normal(0, 0.3, (1,)).astype("float32"),
        ]
    )
    return model


def weights64(model):
    return [np.asarray(w, "float64") for w in model.get_weights()]


def critic_numpy(params, x):
    kernel, bias, v, c = params
    return np.tanh(x @ kernel + bias) @ v + c


def input_gradient_numpy(params, x):
    """d D(x) / d x per sample, float64."""
    kernel, bias, v, _ = params
    hidden = np.tanh(x @ kernel + bias)
    return ((1.0 - hidden**2) * v[:, 0]) @ kernel.T


def gradient_penalty_numpy(params, real, fake, alpha, target=1.0, one_sided=False):
    x_hat = alpha[:, None] * real + (1.0 - alpha[:, None]) * fake
    norms = np.sqrt(np.sum(input_gradient_numpy(params, x_hat) ** 2, axis=1) + 1e-12)
    excess = norms - target
    if one_sided:
        excess = np.maximum(excess, 0.0)
    return np.mean(excess**2)


def squared_gradient_norm_numpy(params, x):
    return np.mean(np.sum(input_gradient_numpy(params, x) ** 2, axis=1))


def numerical_gradient(fn, params, eps=1e-6):
    """Central finite differences of `fn(params)` with respect to every parameter."""
    grads = []
    for i, p in enumerate(params):
        g = np.zeros_like(p)
        for index in np.ndindex(p.shape):
            shifted = [q.copy() for q in params]
            shifted[i][index] += eps
            up = fn(shifted)
            shifted[i][index] -= 2 * eps
            down = fn(shifted)
            g[index] = (up - down) / (2 * eps)
        grads.append(g)
    return grads
