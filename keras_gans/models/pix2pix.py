"""Pix2Pix: conditional adversarial image-to-image translation on paired data."""

import keras
from keras import ops

from keras_gans import networks
from keras_gans import terms as terms_lib
from keras_gans.image_to_image.image_checks import describe_shape
from keras_gans.image_to_image.image_checks import input_shape_of
from keras_gans.image_to_image.l1_reconstruction import L1Reconstruction
from keras_gans.image_to_image.paired_step_tensors import PairedStepTensors
from keras_gans.image_to_image.paired_training import PairedTrainingMixin
from keras_gans.image_to_image.translation_mixin import ImageTranslationMixin
from keras_gans.models.base import AdversarialModel
from keras_gans.random_streams import derive_seed
from keras_gans.terms.term import check_non_negative


def patchgan_downsamplings(side):
    """The PatchGAN depth for images of `side` pixels: 16x16 patches up to 32 px,
    34x34 up to 64 px, the paper's 70x70 above."""
    return 1 if side <= 32 else 2 if side <= 64 else 3


def check_image_shape(shape, name):
    try:
        dims = tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        dims = ()
    if len(dims) != 3 or min(dims) < 1:
        raise ValueError(f"`{name}` must be (height, width, channels). Received: {name}={shape!r}")
    return dims


@keras.saving.register_keras_serializable(package="keras_gans")
class Pix2Pix(ImageTranslationMixin, PairedTrainingMixin, AdversarialModel):
    """Pix2Pix: a U-Net generator and a PatchGAN that judges (input, output) pairs.

    Trained with `fit(inputs, targets)` on paired images in [-1, 1] (e.g.
    `keras_gans.data.fashion_mnist_pairs("inpainting")`): the discriminator
    tells real pairs `(x, y)` from translated pairs `(x, G(x))`, patch by patch;
    the generator minimizes the non-saturating adversarial loss plus
    `l1_weight * mean |G(x) - y|` (lambda = 100). The discriminator's loss is
    halved (`discriminator_weight=0.5`), "which slows down the rate at which D
    learns relative to G" (Section 3.3). The generator's noise is dropout, on
    in training and when translating (`unet_generator(dropout_at_sampling=True)`).
    Inpainting (an input with a mask channel) and denoising are pix2pix tasks
    with other inputs.

    The engine's phases are unchanged: a discriminator phase on the pairs
    (`d_loss`), a generator phase with `g_loss` and `l1_loss`; every
    keyword trick of `AdversarialModel` applies (`r1_gamma`, `ema_decay`,
    ...). Internally the targets are the engine's real samples and the
    inputs their conditions (`keras_gans.image_to_image.PairedStepTensors`).

    Args:
        generator: a `keras.Model` from input images to output images; built
            with `keras_gans.networks.unet_generator(source_shape, ...)` when
            omitted.
        discriminator: a `keras.Model` taking `[inputs, images]` to patch
            logits; `keras_gans.networks.patchgan_discriminator` when omitted
            (16x16 patches for images up to 32 px).
        source_shape: `(height, width, channels)` of the inputs (for the
            default networks).
        output_channels: channels of the outputs (default: the inputs').
        l1_weight: `lambda` of the L1 term.
        discriminator_weight: multiplier of the discriminator's loss.
        filters: first-layer filters of both default networks.
        normalization: `"batch"` (the paper's) or `"instance"`, default networks.
        seed: model seed (the default generator's dropout is seeded from it).
        **kwargs: see `keras_gans.models.AdversarialModel` (`loss`, `n_critic`,
            keyword tricks, `terms`, `name`).

    Example:

    ```python
    inputs, targets = keras_gans.data.fashion_mnist_pairs("inpainting", num_examples=6000)
    pix2pix = keras_gans.models.Pix2Pix(source_shape=(28, 28, 2), output_channels=1, filters=32)
    pix2pix.compile()
    pix2pix.fit(inputs, targets, batch_size=32, epochs=5)
    completed = pix2pix.translate(inputs[:8])  # (8, 28, 28, 1)
    ```

    Reference:
        - [Isola et al., 2017](https://arxiv.org/abs/1611.07004), "Image-to-Image Translation
          with Conditional Adversarial Networks".
    """

    default_loss = "non_saturating"
    scale = 1

    def __init__(
        self,
        generator=None,
        discriminator=None,
        source_shape=None,
        output_channels=None,
        l1_weight=100.0,
        discriminator_weight=0.5,
        filters=64,
        normalization="batch",
        seed=None,
        image_shape=None,
        **kwargs,
    ):
        self.l1_weight = check_non_negative("l1_weight", l1_weight)
        self.discriminator_weight = check_non_negative("discriminator_weight", discriminator_weight)
        self.filters = filters
        self.normalization = normalization
        if generator is None:
            if source_shape is None:
                raise ValueError(
                    "Pass a `generator` (and a `discriminator`), or a `source_shape` such as (28, 28, 2) "
                    "to build the default U-Net and PatchGAN."
                )
            source_shape = check_image_shape(source_shape, "source_shape")
            generator = networks.unet_generator(
                source_shape,
                output_channels=output_channels,
                filters=filters,
                normalization=normalization,
                seed=derive_seed(seed, "generator_dropout"),
            )
        elif not isinstance(generator, keras.Model):
            raise ValueError(f"`generator` must be a keras.Model. Received: {type(generator).__name__}")
        actual_source = input_shape_of(generator)
        if source_shape is not None and tuple(source_shape) != actual_source:
            raise ValueError(
                f"The generator takes inputs of {describe_shape(actual_source)}. Received: "
                f"source_shape={tuple(source_shape)}"
            )
        output_shape = tuple(generator.output_shape[1:])
        if output_shape[:2] != actual_source[:2]:
            raise ValueError(
                "A pix2pix generator keeps the image size; this one maps "
                f"{describe_shape(actual_source)} to {describe_shape(output_shape)}. Use SRGAN for "
                "super-resolution."
            )
        if output_channels is not None and output_shape[-1] != output_channels:
            raise ValueError(
                f"The generator makes images with {output_shape[-1]} channels. Received: "
                f"output_channels={output_channels}"
            )
        self.source_shape = actual_source
        self.output_channels = output_shape[-1]
        if discriminator is None:
            discriminator = networks.patchgan_discriminator(
                output_shape,
                condition_shape=actual_source,
                filters=filters,
                num_downsamplings=patchgan_downsamplings(min(output_shape[:2])),
                normalization=normalization,
            )
        super().__init__(generator, discriminator, seed=seed, image_shape=image_shape, **kwargs)

    def variant_terms(self):
        return [
            terms_lib.AdversarialLoss("discriminator", weight=self.discriminator_weight),
            L1Reconstruction(weight=self.l1_weight),
        ]

    def discriminator_input_shapes(self, sample_shape):
        return [self.source_shape, sample_shape]

    def discriminator_inputs(self, samples, labels):
        return [labels, samples]

    def fake_labels(self, batch_size, labels):
        return labels

    def step_tensors(self, network, real, labels, training=True):
        inputs = ops.cast(labels, "float32")  # the condition: the generator's inputs
        return PairedStepTensors(self, network, self.prepare_real(real), inputs, training=training)

    def get_config(self):
        return {
            **super().get_config(),
            "source_shape": list(self.source_shape),
            "output_channels": self.output_channels,
            "l1_weight": self.l1_weight,
            "discriminator_weight": self.discriminator_weight,
            "filters": self.filters,
            "normalization": self.normalization,
        }
