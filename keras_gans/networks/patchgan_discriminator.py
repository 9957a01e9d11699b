"""The PatchGAN discriminator of pix2pix and CycleGAN (Isola et al., 2017)."""

import keras

from keras_gans.networks.dcgan import check_image_shape
from keras_gans.networks.image_translation_blocks import LEAKY_RELU_SLOPE
from keras_gans.networks.image_translation_blocks import apply_normalization
from keras_gans.networks.image_translation_blocks import check_channels
from keras_gans.networks.image_translation_blocks import check_normalization
from keras_gans.networks.image_translation_blocks import kernel_initializer

KERNEL_SIZE = 4
MAX_FILTER_MULTIPLIER = 8


def _output_side(side, num_downsamplings):
    for _ in range(num_downsamplings):
        side = (side + 2 - KERNEL_SIZE) // 2 + 1
    for _ in range(2):
        side = side + 2 - KERNEL_SIZE + 1
    return side


def patchgan_discriminator(
    image_shape=(256, 256, 3),
    condition_shape=None,
    filters=64,
    num_downsamplings=3,
    normalization="batch",
    name="patchgan_discriminator",
):
    """PatchGAN: a fully convolutional discriminator with one logit per image patch.

    With `L = num_downsamplings`, `F = filters` and every convolution 4x4 after a
    one-pixel zero padding (PyTorch's `padding=1`):

    1. With a `condition_shape`, the inputs are `[conditions, images]`, joined on the
       channel axis (pix2pix's D sees (input, output) pairs); without, `images` only
       (CycleGAN).
    2. `Conv2D(F, 4, strides=2)` -> `LeakyReLU(0.2)` (no normalization).
    3. For `n = 1 .. L-1`: `Conv2D(F * min(2**n, 8), 4, strides=2)` -> normalization
       -> `LeakyReLU(0.2)`.
    4. `Conv2D(F * min(2**L, 8), 4, strides=1)` -> normalization -> `LeakyReLU(0.2)`.
    5. `Conv2D(1, 4, strides=1)`, float32: a map of logits.

    Each logit sees a square patch of the input whose side (the receptive field) is
    16 for `L=1`, 34 for `L=2`, 70 for `L=3` (the paper's 70x70 PatchGAN, a 30x30 map
    for 256 px) and 142 for `L=4`. For 28 or 32 px images use `L=1`: 16x16 patches,
    a 12x12 map for 28 px and 14x14 for 32 px. Kernels are drawn from N(0, 0.02);
    convolutions followed by a normalization have no bias.

    Args:
        image_shape: `(height, width, channels)` of the judged images.
        condition_shape: `(height, width, channels)` of the conditioning inputs, or
            None for an unconditional discriminator. Height and width must equal the
            images'.
        filters: int, channels of the first convolution.
        num_downsamplings: int >= 1, the number of stride-2 convolutions `L`.
        normalization: `"batch"` (pix2pix), `"instance"` (CycleGAN) or None.
        name: str, name of the model.

    Returns:
        A functional `keras.Model` mapping `images` (or `[conditions, images]`) to
        float32 logits of shape `(batch, out_height, out_width, 1)`.

    Example:

    ```python
    discriminator = keras_gans.networks.patchgan_discriminator(
        (28, 28, 1), condition_shape=(28, 28, 2), num_downsamplings=1)
    logits = discriminator([masked, completed])  # (batch, 12, 12, 1)
    ```

    Reference:
        - [Isola et al., 2017](https://arxiv.org/abs/1611.07004), "Image-to-Image Translation
          with Conditional Adversarial Networks" (Sections 3.2.2, 4.4 and Appendix 6.1.2).
        - [Zhu et al., 2017](https://arxiv.org/abs/1703.10593), "Unpaired Image-to-Image
          Translation using Cycle-Consistent Adversarial Networks".
    """
    image_shape = check_image_shape(image_shape)
    if condition_shape is not None:
        condition_shape = check_image_shape(condition_shape)
        if condition_shape[:2] != image_shape[:2]:
            raise ValueError(
                "The conditions and the images of a PatchGAN must have the same height and "
                f"width. Received: condition_shape={condition_shape}, image_shape={image_shape}"
            )
    filters = check_channels(filters, "filters")
    normalization = check_normalization(normalization)
    if (
        isinstance(num_downsamplings, bool)
        or not isinstance(num_downsamplings, int)
        or (num_downsamplings < 1)
    ):
        raise ValueError(
            "`num_downsamplings` must be a positive integer. "
            f"Received: num_downsamplings={num_downsamplings!r}"
        )
    smallest_output = min(_output_side(side, num_downsamplings) for side in image_shape[:2])
    if smallest_output < 1:
        raise ValueError(
            f"Images of {image_shape[0]}x{image_shape[1]} are too small for a PatchGAN with "
            f"{num_downsamplings} downsamplings: no logit is left. Use fewer. "
            f"Received: num_downsamplings={num_downsamplings}, image_shape={image_shape}"
        )

    images = keras.Input(shape=image_shape, name="images")
    if condition_shape is None:
        inputs, x = images, images
    else:
        conditions = keras.Input(shape=condition_shape, name="conditions")
        inputs = [conditions, images]
        x = keras.layers.Concatenate(name="pair_concat")(inputs)

    blocks = [(min(2**n, MAX_FILTER_MULTIPLIER), 2) for n in range(num_downsamplings)]
    blocks.append((min(2**num_downsamplings, MAX_FILTER_MULTIPLIER), 1))
    for block, (multiplier, strides) in enumerate(blocks, start=1):
        normalized = block > 1 and normalization is not None
        x = keras.layers.ZeroPadding2D(1, name=f"block_{block}_padding")(x)
        x = keras.layers.Conv2D(
            filters * multiplier,
            KERNEL_SIZE,
            strides=strides,
            use_bias=not normalized,
            kernel_initializer=kernel_initializer(),
            name=f"block_{block}_conv",
        )(x)
        if normalized:
            x = apply_normalization(x, normalization, f"block_{block}_norm")
        x = keras.layers.LeakyReLU(LEAKY_RELU_SLOPE, name=f"block_{block}_lrelu")(x)
    x = keras.layers.ZeroPadding2D(1, name="logits_padding")(x)
    logits = keras.layers.Conv2D(
        1, KERNEL_SIZE, kernel_initializer=kernel_initializer(), dtype="float32", name="logits"
    )(x)
    return keras.Model(inputs, logits, name=name)
