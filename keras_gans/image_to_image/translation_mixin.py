"""`ImageTranslationMixin`: what every image-to-image variant adds to the engine.

`translate(images)` with checked inputs, the `source -> images` serving
signature that `keras_gans.export.export_generator` uses, and the refusal of
latent sampling (`generate`). Shared by `keras_gans.models.Pix2Pix`,
`keras_gans.models.SRGAN` and `keras_gans.models.CycleGAN`.
"""

import numbers

import keras
import numpy as np

from keras_gans.image_to_image.image_checks import check_images
from keras_gans.image_to_image.image_checks import input_shape_of

# The name of the serving input (the output is always named "images").
SERVING_INPUT = "source"


class ImageTranslationMixin:
    """Translation of images, checked inputs and the serving signature of a translator.

    A variant using it defines `translation_generator(direction)` (the
    network that translates, e.g. `sampling_generator()`) and may define
    `translation_directions` (CycleGAN: `("a_to_b", "b_to_a")`).
    """

    translation_directions = (None,)

    def translation_generator(self, direction=None):
        """The network `translate` and the export run (inference mode)."""
        return self.sampling_generator()

    def _check_direction(self, direction):
        if direction not in self.translation_directions:
            allowed = [d for d in self.translation_directions if d is not None]
            hint = f"one of {allowed}" if allowed else "None: this model translates one way"
            raise ValueError(f"`direction` must be {hint}. Received: direction={direction!r}")
        return direction

    def translation_input_shape(self, direction=None):
        """`(height, width, channels)` of the images the generator translates."""
        return input_shape_of(self.translation_generator(direction))

    def translate(self, images, batch_size=64, direction=None):
        """Translates images with the generator in inference mode (dropout kept where
        the generator samples with it, as pix2pix does).

        Args:
            images: `(n, height, width, channels)` or one image `(height, width,
                channels)`: float in [-1, 1], or uint8 in [0, 255] (scaled with
                `x / 127.5 - 1`). Height, width and channels must be those of
                the generator's input.
            batch_size: images per generator call.
            direction: for models that translate both ways (CycleGAN):
                `"a_to_b"` or `"b_to_a"`.

        Returns:
            float32 NumPy images in [-1, 1]: `(n, H, W, C)` (or one image).

        Raises:
            ValueError: images of the wrong rank, size, channel count, dtype or
                range (the message names which).

        Example:

        ```python
        completed = pix2pix.translate(masked)               # (n, 28, 28, 1)
        boots = cycle_gan.translate(sneakers, direction="a_to_b")
        ```
        """
        direction = self._check_direction(direction)
        if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
            raise ValueError(f"`batch_size` must be a positive integer. Received: batch_size={batch_size!r}")
        generator = self.translation_generator(direction)
        expected = self.translation_input_shape(direction)
        images, single = check_images(images, expected, f"{type(self).__name__}.translate")
        outputs = []
        for start in range(0, len(images), int(batch_size)):
            batch = keras.ops.convert_to_tensor(images[start : start + batch_size])
            translated = generator(batch, training=False)
            outputs.append(keras.ops.convert_to_numpy(keras.ops.cast(translated, "float32")))
        translated = np.concatenate(outputs, axis=0)
        return translated[0] if single else translated

    def serving_signature(self):
        """`source: float32 [batch, H, W, C] in [-1, 1] -> images`, for `export_generator`.

        The exported function refuses a source whose values leave [-1, 1]
        (more than 1e-3 out): the SavedModel with an `InvalidArgumentError`
        naming the range, LiteRT and ONNX files with their runtime's
        out-of-bounds error (they drop assert ops). A source of the wrong
        size or channel count does not match the signature and is refused by
        every runtime.
        """
        from keras_gans.export.signature import ServingSignature

        shape = (None,) + tuple(self.translation_input_shape(getattr(self, "serving_direction", None)))

        def generator_inputs(tensors):
            from keras_gans.image_to_image.serving_checks import checked_source

            return checked_source(tensors[SERVING_INPUT], SERVING_INPUT)

        return ServingSignature(
            [keras.InputSpec(shape=shape, dtype="float32", name=SERVING_INPUT)], generator_inputs
        )

    def generate(self, *args, **kwargs):
        raise ValueError(
            f"{type(self).__name__} translates images; it does not sample from latent noise. Use "
            f"{type(self).__name__}.translate(images). Received: generate() arguments {args or kwargs!r}"
        )

    def output_range(self):
        from keras_gans.models.network_checks import output_range

        return output_range(self.translation_generator(self.translation_directions[0]))
