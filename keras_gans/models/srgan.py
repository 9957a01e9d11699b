"""SRGAN: adversarial single-image super-resolution with a content loss."""

import keras
from keras import ops

from keras_gans import networks
from keras_gans import terms as terms_lib
from keras_gans.image_to_image.content_loss import ContentLoss
from keras_gans.image_to_image.image_checks import describe_shape
from keras_gans.image_to_image.image_checks import input_shape_of
from keras_gans.image_to_image.paired_step_tensors import PairedStepTensors
from keras_gans.image_to_image.paired_training import PairedTrainingMixin
from keras_gans.image_to_image.translation_mixin import ImageTranslationMixin
from keras_gans.models.base import AdversarialModel
from keras_gans.networks.srgan_generator import check_scale
from keras_gans.terms.term import check_non_negative


def _generator_scale(generator):
    """The integer up-sampling factor of a generator with static sides."""
    source = input_shape_of(generator)
    output = tuple(generator.output_shape[1:])
    if None in source[:2] or None in output[:2]:
        raise ValueError(
            "SRGAN trains a generator with a static input size (its discriminator judges images of "
            "one size): build it for the low-resolution size, e.g. srgan_generator((7, 7, 1), scale=4). "
            f"Received: a generator from {describe_shape(source)} to {describe_shape(output)}"
        )
    (in_h, in_w), (out_h, out_w) = source[:2], output[:2]
    if out_h % in_h or out_w % in_w or out_h // in_h != out_w // in_w or out_h < in_h:
        raise ValueError(
            "An SRGAN generator must up-sample height and width by one integer factor. Received: a "
            f"generator from {describe_shape(source)} to {describe_shape(output)}"
        )
    return out_h // in_h


@keras.saving.register_keras_serializable(package="keras_gans")
class SRGAN(ImageTranslationMixin, PairedTrainingMixin, AdversarialModel):
    """SRGAN: an SRResNet generator trained on a content loss plus `1e-3` x adversarial loss.

    Trained with `fit(low_resolution, high_resolution)` (e.g.
    `keras_gans.data.fashion_mnist_pairs("super_resolution_x4")`, 7x7 -> 28x28).
    The generator's objective is the perceptual loss of the paper,

        pixel_weight * MSE(G(x), y) + feature_weight * MSE(phi(G(x)), phi(y))
            + adversarial_weight * -log D(G(x)),

    where `phi` is a fixed feature network: SRGAN's VGG, which cannot be
    downloaded here; for Fashion-MNIST the domain classifier's feature maps
    (`feature_extractor="domain"`, `feature_layer="conv_4"`), or any Keras model
    (`feature_extractor=model`). With `feature_extractor=None` the content
    loss is the pixel MSE alone (SRGAN-MSE). The discriminator is the paper's
    eight-convolution network on the high-resolution images (no condition),
    with the non-saturating loss.

    Args:
        generator: a `keras.Model` from low- to high-resolution images with a
            static input size; `keras_gans.networks.srgan_generator` when omitted.
        discriminator: a `keras.Model` from high-resolution images to logits
            `(batch, 1)`; `keras_gans.networks.srgan_discriminator` when omitted.
        image_shape: `(height, width, channels)` of the high-resolution images
            (for the default networks).
        scale: the up-sampling factor; a power of two for the default generator.
            With a given generator, None reads it from the generator, and a
            value that the generator does not produce raises a `ValueError`.
        pixel_weight: weight of the pixel MSE (`pixel_loss`).
        feature_weight: weight of the feature MSE (`feature_loss`; only with a
            `feature_extractor`).
        feature_extractor: None, `"domain"` or a `keras.Model` (see
            `keras_gans.image_to_image.ContentLoss`).
        feature_layer: the domain classifier's layer for `"domain"`.
        adversarial_weight: weight of the generator's adversarial loss (1e-3).
        filters, num_residual_blocks: default generator (64 and 16 in the paper).
        discriminator_filters, dense_units: default discriminator (64, 1024).
        **kwargs: see `keras_gans.models.AdversarialModel`.

    Example:

    ```python
    low, high = keras_gans.data.fashion_mnist_pairs("super_resolution_x4", num_examples=6000)
    srgan = keras_gans.models.SRGAN(image_shape=(28, 28, 1), scale=4, filters=32,
                                    num_residual_blocks=4, feature_extractor="domain")
    srgan.compile()
    srgan.fit(low, high, batch_size=32, epochs=5)
    sharp = srgan.translate(low[:8])  # (8, 28, 28, 1)
    ```

    Reference:
        - [Ledig et al., 2017](https://arxiv.org/abs/1609.04802), "Photo-Realistic Single
          Image Super-Resolution Using a Generative Adversarial Network".
    """

    default_loss = "non_saturating"

    def __init__(
        self,
        generator=None,
        discriminator=None,
        image_shape=None,
        scale=None,
        pixel_weight=1.0,
        feature_weight=1.0,
        feature_extractor=None,
        feature_layer="conv_4",
        adversarial_weight=1e-3,
        filters=64,
        num_residual_blocks=16,
        discriminator_filters=64,
        dense_units=1024,
        **kwargs,
    ):
        self.pixel_weight = check_non_negative("pixel_weight", pixel_weight)
        self.feature_weight = check_non_negative("feature_weight", feature_weight)
        self.adversarial_weight = check_non_negative("adversarial_weight", adversarial_weight)
        if isinstance(feature_extractor, dict):
            feature_extractor = keras.saving.deserialize_keras_object(feature_extractor)
        # Not tracked here: a model extractor belongs to its ContentLoss term (saved once).
        object.__setattr__(self, "_given_feature_extractor", feature_extractor)
        self.feature_layer = feature_layer
        self.filters = filters
        self.num_residual_blocks = num_residual_blocks
        self.discriminator_filters = discriminator_filters
        self.dense_units = dense_units
        if generator is None:
            if image_shape is None:
                raise ValueError(
                    "Pass a `generator` (and a `discriminator`), or the high-resolution `image_shape` "
                    "such as (28, 28, 1) to build the default SRResNet and discriminator."
                )
            scale = 4 if scale is None else scale
            check_scale(scale)
            height, width, channels = (int(d) for d in image_shape)
            if height % scale or width % scale:
                raise ValueError(
                    f"The image sides must be multiples of the scale. Received: image_shape="
                    f"{tuple(image_shape)}, scale={scale}"
                )
            generator = networks.srgan_generator(
                (height // scale, width // scale, channels),
                scale=scale,
                filters=filters,
                num_residual_blocks=num_residual_blocks,
            )
        elif not isinstance(generator, keras.Model):
            raise ValueError(f"`generator` must be a keras.Model. Received: {type(generator).__name__}")
        produced = _generator_scale(generator)
        if scale is not None and (isinstance(scale, bool) or scale != produced):
            raise ValueError(
                f"The generator up-samples {describe_shape(input_shape_of(generator))} to "
                f"{describe_shape(generator.output_shape[1:])} (x{produced}); it cannot produce "
                f"scale={scale!r}. Build a generator for that scale or pass scale={produced}."
            )
        self.scale = produced
        self.source_shape = input_shape_of(generator)
        if discriminator is None:
            discriminator = networks.srgan_discriminator(
                tuple(generator.output_shape[1:]), filters=discriminator_filters, dense_units=dense_units
            )
        super().__init__(generator, discriminator, image_shape=image_shape, **kwargs)

    def variant_terms(self):
        terms = [terms_lib.AdversarialLoss("generator", weight=self.adversarial_weight)]
        if self.pixel_weight:
            terms.append(ContentLoss(None, weight=self.pixel_weight, name="pixel_loss"))
        if self._given_feature_extractor is not None and self.feature_weight:
            terms.append(
                ContentLoss(
                    self._given_feature_extractor,
                    feature_layer=self.feature_layer,
                    weight=self.feature_weight,
                    name="feature_loss",
                )
            )
        return terms

    def fake_labels(self, batch_size, labels):
        return labels

    def step_tensors(self, network, real, labels, training=True):
        inputs = ops.cast(labels, "float32")  # the condition: the generator's inputs
        return PairedStepTensors(self, network, self.prepare_real(real), inputs, training=training)

    @property
    def feature_extractor(self):
        """None, `"domain"` or the extractor model of the feature content loss."""
        extractor = self._given_feature_extractor
        if isinstance(extractor, keras.Model):
            term = next((t for t in self.terms if t.name == "feature_loss"), None)
            return extractor if term is None else term.feature_extractor
        return extractor

    def get_config(self):
        extractor = self.feature_extractor
        if isinstance(extractor, keras.Model):
            extractor = keras.saving.serialize_keras_object(extractor)
        return {
            **super().get_config(),
            "scale": self.scale,
            "pixel_weight": self.pixel_weight,
            "feature_weight": self.feature_weight,
            "feature_extractor": extractor,
            "feature_layer": self.feature_layer,
            "adversarial_weight": self.adversarial_weight,
            "filters": self.filters,
            "num_residual_blocks": self.num_residual_blocks,
            "discriminator_filters": self.discriminator_filters,
            "dense_units": self.dense_units,
        }
