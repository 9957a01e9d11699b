"""Checks and configs shared by `GeneratorPair` and `DiscriminatorPair`."""

import copy

import keras


def check_pair_member(network, name):
    """A ValueError unless `network` is a built `keras.Model` with one image input."""
    if not isinstance(network, keras.Model):
        raise ValueError(f"`{name}` must be a keras.Model. Received: {name} of type {type(network).__name__}")
    try:
        shape = network.input_shape
    except (AttributeError, ValueError):
        shape = None
    if shape is None or not isinstance(shape, tuple) or (shape and isinstance(shape[0], (tuple, list))):
        raise ValueError(
            f"`{name}` must be a functional keras.Model with one image input (batch, height, width, "
            f"channels). Received: {name} with input shape {shape!r}"
        )


def static_shape(shape, name, what):
    """`shape` as a tuple of ints (the batch may be None); a ValueError for an image
    shape that is not `(batch, height, width, channels)` with known sides."""
    shape = tuple(shape)
    if len(shape) != 4 or any(d is None for d in shape[1:]):
        raise ValueError(
            f"The {what} of `{name}` must be images (batch, height, width, channels) of a known "
            f"size. Received: {name} {what} shape {shape}"
        )
    return (shape[0],) + tuple(int(d) for d in shape[1:])


def pair_config(pair, members):
    """The config of a network pair: its name and its two members, serialized."""
    members = {key: keras.saving.serialize_keras_object(getattr(pair, key)) for key in members}
    return {"name": pair.name, **members}


def pair_from_config(cls, config, members, custom_objects=None):
    """A network pair from `pair_config`'s dict (left intact: Keras' deserialization
    pops the keys of the members' configs, so it reads copies)."""
    config = copy.deepcopy(config)
    for key in members:
        if isinstance(config[key], dict):
            config[key] = keras.saving.deserialize_keras_object(config[key], custom_objects=custom_objects)
    return cls(**config)
