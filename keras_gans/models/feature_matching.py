"""Feature matching: the generator matches the mean of discriminator features."""

import keras
from keras import ops


def feature_matching_loss(real_features, fake_features):
    """`||mean(f(x)) - mean(f(G(z)))||^2`, the squared L2 distance of the batch means.

    Features are flattened per sample; the mean is over the batch.

    Args:
        real_features: discriminator features of a real batch.
        fake_features: features of a generated batch (same feature shape).

    Returns:
        A float32 scalar.

    Example:

    ```python
    loss = feature_matching_loss(features(real), features(generator(z)))
    ```

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016,
        section 3.1.
    """
    real = ops.cast(real_features, "float32")
    fake = ops.cast(fake_features, "float32")
    real = ops.reshape(real, (ops.shape(real)[0], -1))
    fake = ops.reshape(fake, (ops.shape(fake)[0], -1))
    return ops.sum(ops.square(ops.mean(real, axis=0) - ops.mean(fake, axis=0)))


def feature_extractor(discriminator, layer_name):
    """A model sharing the discriminator's layers: inputs -> (features, outputs).

    `features` is the output of the layer named `layer_name`; `outputs` are the
    discriminator's own outputs, so one call gives both.

    Args:
        discriminator: a functional or Sequential `keras.Model`.
        layer_name: name of one of its layers (e.g. the last hidden one).
    """
    if not isinstance(discriminator, keras.Model) or not hasattr(discriminator, "get_layer"):
        raise ValueError("Feature matching needs a functional or Sequential discriminator.")
    try:
        inputs = discriminator.inputs
        outputs = discriminator.outputs
    except (AttributeError, ValueError):
        inputs = outputs = None
    if not inputs or not outputs:
        raise ValueError(
            "Feature matching needs a functional or Sequential discriminator with known inputs; "
            f"{discriminator.name!r} has none."
        )
    names = [layer.name for layer in discriminator.layers]
    if layer_name not in names:
        raise ValueError(
            f"feature_matching_layer={layer_name!r} is not a layer of the discriminator. "
            f"Its layers are: {', '.join(names)}."
        )
    features = discriminator.get_layer(layer_name).output
    outputs = outputs[0] if len(outputs) == 1 else list(outputs)
    inputs = inputs[0] if len(inputs) == 1 else list(inputs)
    return keras.Model(inputs, [features, outputs], name=f"{discriminator.name}_features")
