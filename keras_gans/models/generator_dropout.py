"""Dropout after the hidden activations of a generator."""

import keras
from keras.src.models.functional import Functional

DROPOUT_PREFIX = "generator_dropout"

_ACTIVATION_LAYERS = (
    keras.layers.Activation,
    keras.layers.ReLU,
    keras.layers.LeakyReLU,
    keras.layers.PReLU,
    keras.layers.ELU,
)


def _is_activation(layer):
    if isinstance(layer, keras.Model):
        return False
    if isinstance(layer, _ACTIVATION_LAYERS):
        return True
    activation = getattr(layer, "activation", None)
    return activation is not None and activation is not keras.activations.linear


def _output_layers(model, found):
    """Ids of layers producing the outputs of `model` and of its nested models."""
    for tensor in keras.tree.flatten(model.outputs):
        found.add(id(tensor._keras_history.operation))
    for layer in model.layers:
        if isinstance(layer, keras.Model) and getattr(layer, "outputs", None):
            _output_layers(layer, found)
    return found


def has_generator_dropout(generator):
    """Whether `with_generator_dropout` already added its layers to `generator`."""
    return any(
        layer.name.startswith(DROPOUT_PREFIX) for layer in generator._flatten_layers(include_self=False)
    )


def with_generator_dropout(generator, rate, seed=None):
    """A generator with `Dropout(rate)` after each hidden activation.

    The returned functional model shares every layer (and weight) of
    `generator` and inserts a `Dropout` layer, named `generator_dropout_<i>`,
    after each hidden layer with a non-linear activation (activation layers and
    layers with an `activation` argument), also inside nested functional
    models; the layers producing a model's outputs get none. Dropout is active
    in training only, so `generate` stays deterministic. A generator that
    already has these layers is returned unchanged.

    Args:
        generator: a functional or Sequential `keras.Model`.
        rate: dropout rate in `(0, 1)`.
        seed: optional int; dropout layer `i` gets seed `seed + i`.

    Example:

    ```python
    generator = with_generator_dropout(keras_gans.networks.mlp_generator(8, 2), 0.5)
    ```

    Reference:
        Isola et al., "Image-to-Image Translation with Conditional Adversarial
        Networks", CVPR 2017 (dropout as the generator's noise).
        Chintala et al., "How to Train a GAN? Tips and tricks" (ganhacks), 2016,
        tip 17.
    """
    if has_generator_dropout(generator):
        return generator
    if isinstance(generator, keras.Sequential):
        if not generator.built or not getattr(generator, "inputs", None):
            raise ValueError("generator_dropout needs a Sequential generator that starts with keras.Input.")
        functional = keras.Model(generator.inputs, generator.outputs, name=generator.name)
    elif isinstance(generator, Functional):
        functional = generator
    else:
        raise ValueError(
            "generator_dropout needs a functional or Sequential generator; "
            f"got a subclassed {type(generator).__name__}. Add Dropout layers to it instead."
        )
    final = _output_layers(functional, set())
    count = [0]

    def call_function(layer, *args, **kwargs):
        outputs = layer(*args, **kwargs)
        if id(layer) in final or not _is_activation(layer):
            return outputs
        index = count[0]
        count[0] += 1
        dropout = keras.layers.Dropout(
            rate, seed=None if seed is None else seed + index, name=f"{DROPOUT_PREFIX}_{index}"
        )
        return dropout(outputs)

    wrapped = keras.models.clone_model(
        functional, clone_function=lambda layer: layer, call_function=call_function, recursive=True
    )
    if count[0] == 0:
        raise ValueError(
            "generator_dropout found no hidden activation in the generator to put dropout after."
        )
    wrapped.name = generator.name
    return wrapped
