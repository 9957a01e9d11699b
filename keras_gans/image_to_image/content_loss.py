"""SRGAN's content loss: a mean squared error in pixel or feature space, as a term."""

import keras
from keras import ops

from keras_gans.terms.term import Term

# Layers of the Fashion-MNIST domain classifier (`keras_gans.metrics.build_domain_classifier`)
# that the "domain" extractor can end at: its five 3x3 convolutions (28x28x32, 14x14x32,
# 14x14x64, 7x7x64, 7x7x128 maps, after ReLU) and the 128-d `features` layer.
DOMAIN_FEATURE_LAYERS = ("conv_1", "conv_2", "conv_3", "conv_4", "conv_5", "features")
DOMAIN_IMAGE_SHAPE = (28, 28, 1)


def domain_feature_extractor(feature_layer="conv_4", weights=None):
    """A frozen feature network cut from the Fashion-MNIST domain classifier.

    No VGG weights can be downloaded on the machines this project trains on;
    for Fashion-MNIST the classifier behind `keras_gans.metrics.DomainFeatures`
    (trained by `scripts/train_domain_classifier.py`, weights shipped in
    `keras_gans/zoo/fashion_mnist_classifier/`) plays the role of SRGAN's VGG
    network: its feature maps after the ReLU of one convolution.

    Args:
        feature_layer: one of `DOMAIN_FEATURE_LAYERS` (`"conv_4"`: 7x7x64 maps).
        weights: a `.weights.h5` file of `build_domain_classifier()`; None for the
            shipped weights.

    Returns:
        A non-trainable functional `keras.Model` from 28x28x1 images in [-1, 1] to
        the chosen layer's output.

    Example:

    ```python
    extractor = domain_feature_extractor("conv_2")
    maps = extractor(images)  # (batch, 14, 14, 32)
    ```
    """
    from keras_gans.metrics.feature_extractors import DOMAIN_CLASSIFIER_WEIGHTS
    from keras_gans.metrics.feature_extractors import build_domain_classifier

    if feature_layer not in DOMAIN_FEATURE_LAYERS:
        raise ValueError(
            f"Unknown layer of the domain classifier. Known layers: {', '.join(DOMAIN_FEATURE_LAYERS)}. "
            f"Received: feature_layer={feature_layer!r}"
        )
    classifier = build_domain_classifier()
    classifier.load_weights(DOMAIN_CLASSIFIER_WEIGHTS if weights is None else weights)
    if feature_layer == "features":
        output = classifier.get_layer("features").output
    else:
        convolutions = [layer for layer in classifier.layers if isinstance(layer, keras.layers.Conv2D)]
        output = convolutions[int(feature_layer[-1]) - 1].output
    extractor = keras.Model(classifier.input, output, name=f"domain_{feature_layer}")
    extractor.trainable = False
    return extractor


@keras.saving.register_keras_serializable(package="keras_gans.image_to_image")
class ContentLoss(Term):
    """`weight * mean (phi(G(x)) - phi(y))^2`: the content loss of SRGAN.

    With no extractor, `phi` is the identity: the pixel-wise MSE of SRResNet.
    With one, `phi` maps images to the feature maps of a fixed network, so the
    generator matches the targets' features rather than their pixels, which
    favours sharp textures over the blurred average that pixel losses give
    (SRGAN's VGG loss). The mean is over the batch and every feature (Ledig
    et al. normalize by the map's size). The target's features carry no
    gradient; the extractor is never trained. Reads `fake` and `targets` of
    `keras_gans.image_to_image.PairedStepTensors`.

    Args:
        feature_extractor: None (pixels), `"domain"` (the Fashion-MNIST domain
            classifier, see `domain_feature_extractor`), or a `keras.Model`
            from the target images to features (made non-trainable).
        feature_layer: with `"domain"`, the layer to end at
            (`DOMAIN_FEATURE_LAYERS`).
        weight: the term's weight.
        name: the logged name.
        **kwargs: `keras_gans.terms.Term` arguments.

    Example:

    ```python
    pixels = ContentLoss(name="pixel_loss")
    features = ContentLoss("domain", feature_layer="conv_2", weight=0.1, name="feature_loss")
    srgan = keras_gans.models.SRGAN(image_shape=(28, 28, 1), scale=4, terms=[features])
    ```

    Reference:
        - [Ledig et al., 2017](https://arxiv.org/abs/1609.04802), "Photo-Realistic Single
          Image Super-Resolution Using a Generative Adversarial Network" (Section 2.2.1).
        - [Johnson et al., 2016](https://arxiv.org/abs/1603.08155), "Perceptual Losses for
          Real-Time Style Transfer and Super-Resolution".
    """

    def __init__(
        self, feature_extractor=None, feature_layer="conv_4", weight=1.0, name="content_loss", **kwargs
    ):
        kwargs.pop("network", None)
        super().__init__(network="generator", weight=weight, name=name, **kwargs)
        if isinstance(feature_extractor, dict):
            feature_extractor = keras.saving.deserialize_keras_object(feature_extractor)
        if feature_extractor is None or feature_extractor == "domain":
            self.extractor_name = feature_extractor
        elif isinstance(feature_extractor, keras.Model):
            self.extractor_name = None
        else:
            raise ValueError(
                "`feature_extractor` must be None (pixels), 'domain' or a keras.Model. "
                f"Received: feature_extractor={feature_extractor!r}"
            )
        if feature_extractor == "domain":
            feature_extractor = domain_feature_extractor(feature_layer)
        elif feature_extractor is not None:
            feature_extractor.trainable = False
        self.feature_layer = feature_layer
        self.feature_extractor = feature_extractor

    def attach(self, model):
        if self.extractor_name == "domain" and tuple(model.image_shape) != DOMAIN_IMAGE_SHAPE:
            raise ValueError(
                "The 'domain' content loss uses the Fashion-MNIST classifier, which takes 28x28x1 "
                f"images; {model.name} makes images of shape {tuple(model.image_shape)}. Pass your "
                f"own feature_extractor. Received: feature_extractor='domain'"
            )

    def features(self, images):
        images = ops.cast(images, "float32")
        if self.feature_extractor is None:
            return images
        return ops.cast(self.feature_extractor(images, training=False), "float32")

    def compute(self, tensors):
        fake = self.features(tensors.fake)
        target = ops.stop_gradient(self.features(tensors.targets))
        return {self.name: ops.mean(ops.square(fake - target))}

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        if self.extractor_name == "domain" or self.feature_extractor is None:
            config["feature_extractor"] = self.extractor_name
        else:
            config["feature_extractor"] = keras.saving.serialize_keras_object(self.feature_extractor)
        config["feature_layer"] = self.feature_layer
        return config
