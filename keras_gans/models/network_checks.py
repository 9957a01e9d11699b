"""Checks that a generator and a discriminator fit a model and each other."""

import keras


def static_shape(shape):
    """A shape as a tuple of ints (None for unknown dimensions)."""
    return tuple(None if d is None else int(d) for d in shape)


def input_shapes(model):
    """The declared input shapes of a model (with batch), or None when unknown."""
    try:
        shapes = model.input_shape
    except (AttributeError, ValueError):
        return None
    if isinstance(shapes, tuple) and (not shapes or not isinstance(shapes[0], (tuple, list))):
        shapes = [shapes]
    return [static_shape(s) for s in shapes]


def latent_size(generator):
    """The size of a generator's (first) input, or None when unknown."""
    shapes = input_shapes(generator)
    if not shapes:
        return None
    return shapes[0][-1]


def check_generator(generator, expected_input_shapes, latent_dim):
    """Checks the generator's inputs and builds it when needed.

    Args:
        generator: a `keras.Model`.
        expected_input_shapes: input shapes without batch the model feeds it.
        latent_dim: the latent size it must take.
    """
    if not isinstance(generator, keras.layers.Layer):
        raise ValueError(f"`generator` must be a keras.Model. Received: {type(generator).__name__}")
    declared = input_shapes(generator)
    if declared is not None:
        if len(declared) != len(expected_input_shapes):
            raise ValueError(
                f"The generator takes {len(declared)} input(s) {declared}, but this model feeds it "
                f"{len(expected_input_shapes)}: {[(None,) + s for s in expected_input_shapes]}."
            )
        if declared[0][-1] != latent_dim:
            raise ValueError(
                f"`latent_dim` does not match the generator, whose input is {declared[0]} (latent size "
                f"{declared[0][-1]}). Received: latent_dim={latent_dim}"
            )
    if not generator.built:
        shapes = [(None,) + tuple(s) for s in expected_input_shapes]
        generator.build(shapes[0] if len(shapes) == 1 else shapes)


def check_discriminator(discriminator, expected_input_shapes, expected_outputs):
    """Checks the discriminator's inputs (and logit size) and builds it when needed.

    Args:
        discriminator: a `keras.Model`.
        expected_input_shapes: input shapes without batch it will be fed.
        expected_outputs: the last dimension of its logits, or None to skip.
    """
    if not isinstance(discriminator, keras.layers.Layer):
        raise ValueError(f"`discriminator` must be a keras.Model. Received: {type(discriminator).__name__}")
    declared = input_shapes(discriminator)
    wanted = [(None,) + tuple(s) for s in expected_input_shapes]
    if declared is not None:
        compatible = len(declared) == len(wanted) and all(
            len(d) == len(w) and all(a is None or b is None or a == b for a, b in zip(d[1:], w[1:]))
            for d, w in zip(declared, wanted)
        )
        if not compatible:
            raise ValueError(
                f"The generator's output shape {wanted[0]} (as the discriminator sees it) does not match "
                f"the discriminator's input shape {declared[0] if len(declared) == 1 else declared}."
            )
    elif not discriminator.built:
        discriminator.build(wanted[0] if len(wanted) == 1 else wanted)
    if expected_outputs is None:
        return
    try:
        out_shape = discriminator.compute_output_shape(wanted[0] if len(wanted) == 1 else wanted)
    except Exception:  # noqa: BLE001 - subclassed models may not implement it
        return
    if out_shape and not isinstance(out_shape[0], (list, tuple)) and out_shape[-1] != expected_outputs:
        raise ValueError(
            f"The discriminator must output logits of shape (batch, {expected_outputs}); "
            f"it outputs {tuple(out_shape)}."
        )


_BOUNDED_ACTIVATIONS = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0)}


def output_range(network):
    """`(low, high)` of a functional network's outputs when its last activation
    bounds them (tanh: (-1, 1), sigmoid: (0, 1)); None otherwise."""
    try:
        outputs = network.outputs
    except (AttributeError, ValueError):
        return None
    if not outputs or len(outputs) != 1:
        return None
    history = getattr(outputs[0], "_keras_history", None)
    layer = getattr(history, "operation", None)
    if isinstance(layer, keras.Model):
        return output_range(layer)
    activation = getattr(layer, "activation", None)
    name = getattr(activation, "__name__", None)
    return _BOUNDED_ACTIVATIONS.get(name)


def build_networks(model, generator, discriminator, latent_dim, image_shape, all_terms):
    """`(generator, discriminator, latent_dim)` of a model: the given networks
    or the model's defaults, changed by its terms (generator dropout; packing
    widens what the default discriminator takes), checked against each other."""
    if generator is None and image_shape is None:
        raise ValueError(
            "Pass a `generator` and a `discriminator`, or an `image_shape` such as "
            "(28, 28, 1) to build the default DCGAN networks."
        )
    if generator is None:
        latent_dim = model.default_latent_dim if latent_dim is None else latent_dim
        model.latent_dim = int(latent_dim)
        generator = model.default_generator(model.latent_dim, tuple(image_shape))
    elif latent_dim is None:
        latent_dim = latent_size(generator)
        if latent_dim is None:
            raise ValueError("Could not read the latent size from the generator's input; pass `latent_dim`.")
    if int(latent_dim) < 1:
        raise ValueError(f"`latent_dim` must be >= 1. Received: latent_dim={latent_dim!r}")
    model.latent_dim = int(latent_dim)
    check_generator(generator, model.generator_input_shapes(), model.latent_dim)
    for term in all_terms:
        generator = term.prepare_generator(generator)
    sample_shape = static_shape(generator.output_shape)[1:]
    if image_shape is not None and tuple(image_shape) != sample_shape:
        raise ValueError(
            f"The generator produces samples of shape {sample_shape}. "
            f"Received: image_shape={tuple(image_shape)}"
        )
    judged_shape = sample_shape
    for term in sorted(all_terms, key=lambda t: t.view_order):
        judged_shape = term.discriminator_input_shape(judged_shape)
    if discriminator is None:
        discriminator = model.default_discriminator(judged_shape)
    check_discriminator(
        discriminator, model.discriminator_input_shapes(judged_shape), model.expected_discriminator_output()
    )
    return generator, discriminator, model.latent_dim
