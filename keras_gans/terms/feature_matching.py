"""Feature matching: the generator matches discriminator feature means, as a term."""

import keras
from keras import ops

from keras_gans.terms.term import Term


def feature_matching_loss(real_features, fake_features):
    """`||mean(f(x)) - mean(f(G(z)))||^2`, the squared L2 distance of the batch means.

    Features are flattened per sample; the mean is over the batch.

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
            f"`feature_matching_layer` is not a layer of the discriminator; its layers are: "
            f"{', '.join(names)}. Received: feature_matching_layer={layer_name!r}"
        )
    features = discriminator.get_layer(layer_name).output
    outputs = outputs[0] if len(outputs) == 1 else list(outputs)
    inputs = inputs[0] if len(inputs) == 1 else list(inputs)
    return keras.Model(inputs, [features, outputs], name=f"{discriminator.name}_features")


class _Untracked:
    """Holds a value out of Keras' attribute tracking (and out of saved files)."""

    def __init__(self, value):
        self.value = value


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class FeatureMatching(Term):
    """The generator minimizes `||E f(x) - E f(G(z))||^2` instead of its adversarial loss.

    `f` is the output of the discriminator layer `layer_name`, on real and
    generated batches as the discriminator sees them. Logged as `g_loss`
    (it replaces the generator's adversarial loss). Keyword of every variant:
    `feature_matching_layer`.

    Args:
        layer_name: name of a layer of a functional or Sequential discriminator.
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.GAN(generator, discriminator, feature_matching_layer="hidden_3")
    ```

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016,
        section 3.1.
    """

    keywords = {"feature_matching_layer": None}

    def __init__(self, layer_name=None, name="g_loss", **kwargs):
        kwargs.pop("network", None)
        super().__init__(network="generator", name=name, **kwargs)
        if not isinstance(layer_name, str):
            raise ValueError(
                "`feature_matching_layer` must be a layer name. "
                f"Received: feature_matching_layer={layer_name!r}"
            )
        self.layer_name = layer_name
        self._extractor = None

    @classmethod
    def from_keywords(cls, model, feature_matching_layer):
        return [] if feature_matching_layer is None else [cls(feature_matching_layer)]

    def attach(self, model):
        # Not tracked: the extractor shares the discriminator's layers, which
        # are saved once, under `discriminator`.
        self._extractor = _Untracked(feature_extractor(model.discriminator, self.layer_name))

    def features(self, model, samples, labels, training):
        inputs = model.discriminator_inputs(model.discriminator_view(samples, training=training), labels)
        features, _ = self._extractor.value(inputs, training=training)
        return features

    def compute(self, tensors):
        model, training = tensors.model, tensors.training
        real = self.features(model, ops.cast(tensors.real, tensors.fake.dtype), tensors.real_labels, training)
        fake = self.features(model, tensors.fake, tensors.fake_labels, training)
        return {self.name: feature_matching_loss(ops.stop_gradient(real), fake)}

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return {**config, "layer_name": self.layer_name}
