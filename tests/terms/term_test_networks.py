"""Small networks and helpers for the term tests: linear critics on 8x8x1 images,
constant generators, a layer that records what the discriminator sees (eager calls)."""

import keras
import numpy as np
from keras import ops

SHAPE = (8, 8, 1)
PIXELS = int(np.prod(SHAPE))


def to_numpy(x):
    # stop_gradient: a torch input gradient stays in the autograd graph (create_graph).
    return ops.convert_to_numpy(ops.stop_gradient(ops.convert_to_tensor(x)))


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def softplus(x):
    return np.logaddexp(0.0, x)


def critic_weights(seed=0, outputs=1):
    rng = np.random.default_rng(seed)
    return rng.normal(0, 0.3, (PIXELS, outputs)).astype("float32"), rng.normal(0, 0.1, (outputs,)).astype(
        "float32"
    )


class Recorder(keras.layers.Layer):
    """Identity layer that keeps a NumPy copy of each eager input."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seen = []

    def call(self, x):
        try:
            self.seen.append(np.array(to_numpy(x)))
        except Exception:  # noqa: BLE001 - symbolic or traced calls are not recorded
            pass
        return x


def linear_critic(kernel, bias, record=False, name="discriminator", feature_name="features"):
    """`D(x) = flatten(x) . kernel + bias` on 8x8xC images (C from the kernel)."""
    channels = kernel.shape[0] // (SHAPE[0] * SHAPE[1])
    inputs = keras.Input(SHAPE[:2] + (channels,), name="images")
    x = Recorder(name="recorder")(inputs) if record else inputs
    x = keras.layers.Flatten(name=feature_name)(x)
    dense = keras.layers.Dense(kernel.shape[1], dtype="float32", name="logits")
    outputs = dense(x)
    dense.set_weights([kernel, bias])
    return keras.Model(inputs, outputs, name=name)


def constant_generator(image, latent_dim=3):
    """A generator whose every sample is `image` (the bias of a zero-kernel dense layer)."""
    z = keras.Input((latent_dim,), name="z")
    dense = keras.layers.Dense(PIXELS, name="image")
    out = keras.layers.Reshape(SHAPE, name="reshape")(dense(z))
    dense.set_weights([np.zeros((latent_dim, PIXELS), "float32"), np.asarray(image, "float32").reshape(-1)])
    return keras.Model(z, out, name="generator")


def real_images(n=8, seed=0, low=-1.0, high=1.0):
    return np.random.default_rng(seed).uniform(low, high, (n,) + SHAPE).astype("float32")


def seed_states(layer):
    """The states of a layer's seed generators (to redraw the same numbers)."""
    from keras_gans.random_streams import seed_generators

    return [np.array(to_numpy(g.state.value)) for g in seed_generators(layer)]


def restore_seed_states(layer, states):
    from keras_gans.random_streams import seed_generators

    for generator, state in zip(seed_generators(layer), states):
        generator.state.assign(state)


def sgd_compile(gan, d_lr=0.0, g_lr=0.0):
    gan.compile(
        g_optimizer=keras.optimizers.SGD(g_lr), d_optimizer=keras.optimizers.SGD(d_lr), jit_compile=False
    )


def numpy_parameters(params):
    return {key: to_numpy(value) for key, value in params.items()}
