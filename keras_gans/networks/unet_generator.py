"""The U-Net generator of pix2pix (Isola et al., 2017)."""

import keras

from keras_gans.layers.reflection_padding_2d import ReflectionPadding2D
from keras_gans.layers.sampling_dropout import SamplingDropout
from keras_gans.networks.dcgan import check_image_shape
from keras_gans.networks.image_translation_blocks import LEAKY_RELU_SLOPE
from keras_gans.networks.image_translation_blocks import apply_normalization
from keras_gans.networks.image_translation_blocks import check_channels
from keras_gans.networks.image_translation_blocks import check_normalization
from keras_gans.networks.image_translation_blocks import kernel_initializer

KERNEL_SIZE = 4
MAX_FILTER_MULTIPLIER = 8


def _next_power_of_two(side):
    power = 1
    while power < side:
        power *= 2
    return power


def _check_rate(rate):
    if isinstance(rate, bool) or not isinstance(rate, (int, float)) or not 0 <= rate < 1:
        raise ValueError(f"`dropout_rate` must be in [0, 1). Received: dropout_rate={rate!r}")
    return float(rate)


def unet_generator(
    image_shape=(256, 256, 3),
    output_channels=None,
    filters=64,
    num_downsamplings=None,
    dropout_rate=0.5,
    num_dropout_blocks=3,
    dropout_at_sampling=True,
    normalization="batch",
    seed=None,
    name="unet_generator",
):
    """pix2pix U-Net: an encoder-decoder whose mirrored levels are joined by skip connections.

    Sides that are not powers of two are first reflection-padded to the next power of
    two (28 -> 32, two rows and columns on each side) and the output is cropped back.
    With `D = num_downsamplings` (by default `log2` of the smaller padded side, so the
    bottleneck is 1x1: D=5 for 28 and 32, 6 for 64, 8 for 256), `F = filters` and
    `f_i = F * min(2**i, 8)`:

    - Encoder block `i = 1 .. D` (`encoder_{i}_*`): `Conv2D(f_{i-1}, 4, strides=2,
      padding="same")` -> normalization -> `LeakyReLU(0.2)`. Blocks 1 and D (the
      bottleneck) have no normalization, as in the reference code (a batch norm of a
      1x1 map with one image zeroes it). For 256 px the encoder is
      C64-C128-C256-C512-C512-C512-C512-C512.
    - Decoder block `j = 1 .. D-1` (`decoder_{j}_*`): `Conv2DTranspose(f_{D-1-j}, 4,
      strides=2, padding="same")` -> normalization -> dropout (blocks `j <=
      num_dropout_blocks`) -> `ReLU` -> `Concatenate` with the output of encoder block
      `D - j` (the skip connection). For 256 px: CD512-CD512-CD512-C512-C256-C128-C64.
    - `Conv2DTranspose(output_channels, 4, strides=2, padding="same")` -> `tanh`
      (float32, also under mixed precision).

    Dropout is `keras_gans.layers.SamplingDropout`: with `dropout_at_sampling=True`
    it stays on when the generator is called with `training=False`, so sampling uses
    dropout as its noise (Section 3.2 of the paper). Kernels are drawn from N(0, 0.02).

    Args:
        image_shape: `(height, width, channels)` of the input images; the channels
            may differ from the output's (a mask channel for inpainting).
        output_channels: int, channels of the output images; defaults to the input's.
        filters: int, channels of the first encoder block.
        num_downsamplings: int or None, the number of encoder blocks `D` (at least 2;
            the padded sides must be divisible by `2**D`).
        dropout_rate: float in [0, 1), rate of the dropout layers.
        num_dropout_blocks: int, how many decoder blocks (from the bottleneck on)
            have dropout; at most `D - 1` are used.
        dropout_at_sampling: bool, keep dropout on when `training=False`.
        normalization: `"batch"` (the paper's), `"instance"` or None.
        seed: optional int; dropout layer `k` gets seed `seed + k`.
        name: str, name of the model.

    Returns:
        A functional `keras.Model` from `(batch, height, width, channels)` images
        (input named `"images"`) to `(batch, height, width, output_channels)` images
        in [-1, 1].

    Example:

    ```python
    generator = keras_gans.networks.unet_generator((28, 28, 2), output_channels=1)
    completed = generator(masked_images)  # (batch, 28, 28, 1), dropout on
    ```

    Reference:
        - [Isola et al., 2017](https://arxiv.org/abs/1611.07004), "Image-to-Image Translation
          with Conditional Adversarial Networks" (Appendix 6.1.1).
        - [Ronneberger et al., 2015](https://arxiv.org/abs/1505.04597), "U-Net: Convolutional
          Networks for Biomedical Image Segmentation".
    """
    height, width, channels = check_image_shape(image_shape)
    output_channels = check_channels(
        channels if output_channels is None else output_channels, "output_channels"
    )
    filters = check_channels(filters, "filters")
    dropout_rate = _check_rate(dropout_rate)
    normalization = check_normalization(normalization)
    if (
        isinstance(num_dropout_blocks, bool)
        or not isinstance(num_dropout_blocks, int)
        or (num_dropout_blocks < 0)
    ):
        raise ValueError(
            "`num_dropout_blocks` must be a non-negative integer. "
            f"Received: num_dropout_blocks={num_dropout_blocks!r}"
        )
    if not isinstance(dropout_at_sampling, bool):
        raise ValueError(
            "`dropout_at_sampling` must be True or False. "
            f"Received: dropout_at_sampling={dropout_at_sampling!r}"
        )
    padded_height, padded_width = _next_power_of_two(height), _next_power_of_two(width)
    max_downsamplings = min(padded_height, padded_width).bit_length() - 1
    if num_downsamplings is None:
        num_downsamplings = max_downsamplings
    if (
        isinstance(num_downsamplings, bool)
        or not isinstance(num_downsamplings, int)
        or not 2 <= num_downsamplings <= max_downsamplings
    ):
        raise ValueError(
            f"`num_downsamplings` must be an integer from 2 to {max_downsamplings} for images "
            f"of {height}x{width} (padded to {padded_height}x{padded_width}). "
            f"Received: num_downsamplings={num_downsamplings!r}"
        )

    def level_filters(level):
        return filters * min(2**level, MAX_FILTER_MULTIPLIER)

    images = keras.Input(shape=(height, width, channels), name="images")
    x = images
    pads = (
        ((padded_height - height) // 2, (padded_height - height + 1) // 2),
        ((padded_width - width) // 2, (padded_width - width + 1) // 2),
    )
    if (padded_height, padded_width) != (height, width):
        x = ReflectionPadding2D(pads, name="input_padding")(x)

    skips = []
    for block in range(1, num_downsamplings + 1):
        normalized = 1 < block < num_downsamplings and normalization is not None
        x = keras.layers.Conv2D(
            level_filters(block - 1),
            KERNEL_SIZE,
            strides=2,
            padding="same",
            use_bias=not normalized,
            kernel_initializer=kernel_initializer(),
            name=f"encoder_{block}_conv",
        )(x)
        if normalized:
            x = apply_normalization(x, normalization, f"encoder_{block}_norm")
        x = keras.layers.LeakyReLU(LEAKY_RELU_SLOPE, name=f"encoder_{block}_lrelu")(x)
        skips.append(x)

    for block in range(1, num_downsamplings):
        x = keras.layers.Conv2DTranspose(
            level_filters(num_downsamplings - 1 - block),
            KERNEL_SIZE,
            strides=2,
            padding="same",
            use_bias=normalization is None,
            kernel_initializer=kernel_initializer(),
            name=f"decoder_{block}_conv",
        )(x)
        x = apply_normalization(x, normalization, f"decoder_{block}_norm")
        if block <= num_dropout_blocks and dropout_rate > 0:
            x = SamplingDropout(
                dropout_rate,
                at_sampling=dropout_at_sampling,
                seed=None if seed is None else seed + block,
                name=f"decoder_{block}_dropout",
            )(x)
        x = keras.layers.ReLU(name=f"decoder_{block}_relu")(x)
        x = keras.layers.Concatenate(name=f"decoder_{block}_concat")(
            [x, skips[num_downsamplings - 1 - block]]
        )

    x = keras.layers.Conv2DTranspose(
        output_channels,
        KERNEL_SIZE,
        strides=2,
        padding="same",
        kernel_initializer=kernel_initializer(),
        name="output_conv",
    )(x)
    if (padded_height, padded_width) != (height, width):
        x = keras.layers.Cropping2D(pads, name="output_cropping")(x)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="output_tanh")(x)
    return keras.Model(images, outputs, name=name)
