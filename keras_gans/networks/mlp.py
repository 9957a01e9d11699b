"""Fully connected generator and discriminator for 2D mixtures and other small data."""

import numbers

import keras
import numpy as np


def _check_positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
    return int(value)


def _check_hidden_units(hidden_units):
    try:
        units = tuple(hidden_units)
    except TypeError:
        units = None
    if units is None or any(
        isinstance(u, bool) or not isinstance(u, numbers.Integral) or u < 1 for u in units
    ):
        raise ValueError(
            f"`hidden_units` must be a sequence of positive integers. Received: hidden_units={hidden_units!r}"
        )
    return tuple(int(u) for u in units)


def _check_activation(activation):
    # `keras.activations.get` raises a ValueError naming the identifier when it is unknown.
    keras.activations.get(activation)
    return activation


def _dense_stack(x, hidden_units, activation, spectral_normalization=False, after_dense=None):
    for index, units in enumerate(hidden_units, start=1):
        if spectral_normalization or after_dense is not None:
            x = _dense(units, None, f"hidden_{index}", spectral_normalization)(x)
            if after_dense is not None:
                x = after_dense(index)(x)
            x = keras.layers.Activation(activation, name=f"activation_{index}")(x)
        else:  # the original layout (saved configs unchanged)
            x = keras.layers.Dense(units, activation=activation, name=f"hidden_{index}")(x)
    return x


def _dense(units, dtype, name, spectral_normalization):
    if not spectral_normalization:
        return keras.layers.Dense(units, dtype=dtype, name=name)
    from keras_gans.layers.spectral_normalization import SpectralNormalization

    return SpectralNormalization(keras.layers.Dense(units, dtype=dtype, name=f"{name}_dense"), name=name)


def _check_reference_size(value):
    if value is None:
        return None
    return _check_positive_int(value, "virtual_batch_normalization")


def _check_minibatch_discrimination(value):
    if value is None:
        return None
    try:
        num_kernels, kernel_dim = value
        return _check_positive_int(num_kernels, "num_kernels"), _check_positive_int(kernel_dim, "kernel_dim")
    except (TypeError, ValueError):
        raise ValueError(
            "`minibatch_discrimination` must be None or a pair (num_kernels, kernel_dim) of positive "
            f"integers. Received: minibatch_discrimination={value!r}"
        ) from None


def mlp_generator(
    latent_dim,
    output_dim,
    hidden_units=(128, 128, 128),
    activation="relu",
    name="generator",
    virtual_batch_normalization=None,
    reference_seed=0,
):
    """Fully connected generator: a stack of Dense layers with a linear output.

    Layers:

    1. `Input((latent_dim,))` named `"z"`.
    2. For each `units` in `hidden_units`: `Dense(units, activation=activation)`.
    3. `Dense(output_dim, dtype="float32")` with no activation: samples are unbounded, as
       2D mixtures need.

    Dense layers use Keras' defaults: Glorot-uniform kernels and zero biases.

    With `virtual_batch_normalization=n`, each hidden layer is `Dense` (no
    activation, named `hidden_i`), `keras_gans.layers.VirtualBatchNormalization(
    reference_size=n)` and `Activation(activation)`, and the model is a
    `keras_gans.layers.ReferenceBatchModel` that forwards a fixed reference
    batch of `n` latent vectors (standard normal, NumPy seed `reference_seed`)
    with every batch (Salimans et al. 2016, section 3.4).

    Args:
        latent_dim: int. Size of the latent vector `z`.
        output_dim: int. Size of a generated sample (2 for points in the plane).
        hidden_units: sequence of ints. Units of each hidden layer; may be empty.
        activation: activation of the hidden layers, any name or callable that
            `keras.activations.get` accepts (`"leaky_relu"`: the guides' tip of
            LeakyReLU in G).
        name: str. Name of the model.
        virtual_batch_normalization: None, or the size `n` of the reference batch.
        reference_seed: int. NumPy seed of the reference latent batch.

    Returns:
        A functional `keras.Model` mapping `(batch, latent_dim)` to float32 samples of shape
        `(batch, output_dim)` (a `ReferenceBatchModel` around it with virtual batch
        normalization).

    Example:

    ```python
    generator = keras_gans.networks.mlp_generator(latent_dim=16, output_dim=2)
    points = generator(keras.random.normal((512, 16)))  # (512, 2)
    ```

    Reference:
        - [Goodfellow et al., 2014](https://arxiv.org/abs/1406.2661), "Generative
          Adversarial Nets".
    """
    latent_dim = _check_positive_int(latent_dim, "latent_dim")
    output_dim = _check_positive_int(output_dim, "output_dim")
    hidden_units = _check_hidden_units(hidden_units)
    activation = _check_activation(activation)

    reference_size = _check_reference_size(virtual_batch_normalization)

    z = keras.Input(shape=(latent_dim,), name="z")
    after_dense = None
    if reference_size is not None:
        from keras_gans.layers.virtual_batch_normalization import VirtualBatchNormalization

        def after_dense(index):
            return VirtualBatchNormalization(reference_size=reference_size, name=f"vbn_{index}")

    x = _dense_stack(z, hidden_units, activation, after_dense=after_dense)
    samples = keras.layers.Dense(output_dim, dtype="float32", name="output")(x)
    if reference_size is None:
        return keras.Model(z, samples, name=name)
    from keras_gans.layers.reference_batch_model import ReferenceBatchModel

    body = keras.Model(z, samples, name=f"{name}_body")
    reference = np.random.default_rng(reference_seed).standard_normal((reference_size, latent_dim))
    return ReferenceBatchModel(body, reference.astype("float32"), name=name)


def mlp_discriminator(
    input_dim,
    hidden_units=(128, 128, 128),
    activation="leaky_relu",
    name="discriminator",
    spectral_normalization=False,
    minibatch_discrimination=None,
):
    """Fully connected discriminator: a stack of Dense layers with one linear logit.

    Layers:

    1. `Input((input_dim,))` named `"samples"`.
    2. For each `units` in `hidden_units`: `Dense(units, activation=activation)`. The default
       `"leaky_relu"` is Keras' `leaky_relu` with a negative slope of 0.2.
    3. `Dense(1, dtype="float32")`: one unbounded logit per sample.

    Dense layers use Keras' defaults: Glorot-uniform kernels and zero biases.

    With `spectral_normalization=True` every Dense layer (hidden and logits) is
    wrapped in `keras_gans.layers.SpectralNormalization` (an SNGAN-style
    critic, Miyato et al. 2018), and each hidden layer is the wrapped `Dense`
    (named `hidden_i`) followed by `Activation(activation)`. With
    `minibatch_discrimination=(num_kernels, kernel_dim)` a
    `keras_gans.layers.MinibatchDiscrimination` layer comes before the logit
    (Salimans et al. 2016).

    Args:
        input_dim: int. Size of a sample (2 for points in the plane).
        hidden_units: sequence of ints. Units of each hidden layer; may be empty.
        activation: activation of the hidden layers, any name or callable that
            `keras.activations.get` accepts.
        name: str. Name of the model.
        spectral_normalization: bool. Spectrally normalize every Dense layer.
        minibatch_discrimination: None, or `(num_kernels, kernel_dim)`.

    Returns:
        A functional `keras.Model` mapping `(batch, input_dim)` to float32 logits of shape
        `(batch, 1)`.

    Example:

    ```python
    discriminator = keras_gans.networks.mlp_discriminator(input_dim=2)
    logits = discriminator(keras.random.normal((512, 2)))  # (512, 1)
    ```

    Reference:
        - [Goodfellow et al., 2014](https://arxiv.org/abs/1406.2661), "Generative
          Adversarial Nets".
    """
    input_dim = _check_positive_int(input_dim, "input_dim")
    hidden_units = _check_hidden_units(hidden_units)
    activation = _check_activation(activation)

    spectral_normalization = bool(spectral_normalization)
    minibatch = _check_minibatch_discrimination(minibatch_discrimination)

    samples = keras.Input(shape=(input_dim,), name="samples")
    x = _dense_stack(samples, hidden_units, activation, spectral_normalization=spectral_normalization)
    if minibatch is not None:
        from keras_gans.layers.minibatch_discrimination import MinibatchDiscrimination

        x = MinibatchDiscrimination(*minibatch, name="minibatch_discrimination")(x)
    logits = _dense(1, "float32", "logits", spectral_normalization)(x)
    return keras.Model(samples, logits, name=name)
