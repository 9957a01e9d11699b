"""Fully connected generator and discriminator for 2D mixtures and other small data."""

import numbers

import keras


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
            "`hidden_units` must be a sequence of positive integers. "
            f"Received: hidden_units={hidden_units!r}"
        )
    return tuple(int(u) for u in units)


def _check_activation(activation):
    # `keras.activations.get` raises a ValueError naming the identifier when it is unknown.
    keras.activations.get(activation)
    return activation


def _dense_stack(x, hidden_units, activation):
    for index, units in enumerate(hidden_units, start=1):
        x = keras.layers.Dense(units, activation=activation, name=f"hidden_{index}")(x)
    return x


def mlp_generator(
    latent_dim, output_dim, hidden_units=(128, 128, 128), activation="relu", name="generator"
):
    """Fully connected generator: a stack of Dense layers with a linear output.

    Layers:

    1. `Input((latent_dim,))` named `"z"`.
    2. For each `units` in `hidden_units`: `Dense(units, activation=activation)`.
    3. `Dense(output_dim, dtype="float32")` with no activation: samples are unbounded, as
       2D mixtures need.

    Dense layers use Keras' defaults: Glorot-uniform kernels and zero biases.

    Args:
        latent_dim: int. Size of the latent vector `z`.
        output_dim: int. Size of a generated sample (2 for points in the plane).
        hidden_units: sequence of ints. Units of each hidden layer; may be empty.
        activation: activation of the hidden layers, any name or callable that
            `keras.activations.get` accepts.
        name: str. Name of the model.

    Returns:
        A functional `keras.Model` mapping `(batch, latent_dim)` to float32 samples of shape
        `(batch, output_dim)`.

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

    z = keras.Input(shape=(latent_dim,), name="z")
    x = _dense_stack(z, hidden_units, activation)
    samples = keras.layers.Dense(output_dim, dtype="float32", name="output")(x)
    return keras.Model(z, samples, name=name)


def mlp_discriminator(
    input_dim, hidden_units=(128, 128, 128), activation="leaky_relu", name="discriminator"
):
    """Fully connected discriminator: a stack of Dense layers with one linear logit.

    Layers:

    1. `Input((input_dim,))` named `"samples"`.
    2. For each `units` in `hidden_units`: `Dense(units, activation=activation)`. The default
       `"leaky_relu"` is Keras' `leaky_relu` with a negative slope of 0.2.
    3. `Dense(1, dtype="float32")`: one unbounded logit per sample.

    Dense layers use Keras' defaults: Glorot-uniform kernels and zero biases.

    Args:
        input_dim: int. Size of a sample (2 for points in the plane).
        hidden_units: sequence of ints. Units of each hidden layer; may be empty.
        activation: activation of the hidden layers, any name or callable that
            `keras.activations.get` accepts.
        name: str. Name of the model.

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

    samples = keras.Input(shape=(input_dim,), name="samples")
    x = _dense_stack(samples, hidden_units, activation)
    logits = keras.layers.Dense(1, dtype="float32", name="logits")(x)
    return keras.Model(samples, logits, name=name)
