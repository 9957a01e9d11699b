"""The SRResNet generator of SRGAN (Ledig et al., 2017)."""

import keras

from keras_gans.layers.depth_to_space import DepthToSpace
from keras_gans.networks.image_translation_blocks import apply_normalization
from keras_gans.networks.image_translation_blocks import check_channels
from keras_gans.networks.image_translation_blocks import check_fully_convolutional_shape

SUBPIXEL_FACTOR = 2


def check_scale(scale):
    """Returns the number of x2 sub-pixel blocks that make `scale` (a power of two >= 2)."""
    valid = isinstance(scale, int) and not isinstance(scale, bool) and scale >= 2
    if valid and scale & (scale - 1) == 0:
        return scale.bit_length() - 1
    raise ValueError(
        "The SRGAN generator up-samples by x2 sub-pixel blocks, so `scale` must be a power of "
        f"two: 2, 4, 8, ... Received: scale={scale!r}"
    )


def _prelu(name):
    return keras.layers.PReLU(
        alpha_initializer=keras.initializers.Constant(0.25), shared_axes=[1, 2], name=name
    )


def srgan_generator(
    input_shape=(None, None, 3),
    scale=4,
    output_channels=None,
    filters=64,
    num_residual_blocks=16,
    name="srgan_generator",
):
    """SRResNet: residual blocks at low resolution, then sub-pixel up-sampling.

    With `F = filters` and `B = num_residual_blocks`, all convolutions with stride 1
    and "same" padding (the layer names in brackets):

    1. `Conv2D(F, 9)` -> `PReLU` [`input_*`].
    2. `B` residual blocks [`residual_{i}_*`]: `x + [Conv2D(F, 3) -> BatchNorm ->
       PReLU -> Conv2D(F, 3) -> BatchNorm](x)`.
    3. `Conv2D(F, 3)` -> `BatchNorm`, plus the output of step 1 (the long skip)
       [`trunk_*`].
    4. `log2(scale)` up-sampling blocks [`upsample_{i}_*`]: `Conv2D(4F, 3)` ->
       `DepthToSpace(2)` (sub-pixel convolution) -> `PReLU`.
    5. `Conv2D(output_channels, 9)` -> `tanh` (float32) [`output_*`].

    PReLU slopes (one per channel) start at 0.25; batch norm uses PyTorch's defaults.
    The network is fully convolutional: a generator built for `(None, None, C)`
    up-samples images of any size. Inputs and outputs are in [-1, 1].

    Args:
        input_shape: `(height, width, channels)` of the low-resolution images; height
            and width may be None.
        scale: int, the up-sampling factor, a power of two (2, 4, 8, ...). Any other
            value raises a `ValueError`.
        output_channels: int, channels of the output; defaults to the input's.
        filters: int, `F`.
        num_residual_blocks: int >= 0, `B` (16 in the paper).
        name: str, name of the model.

    Returns:
        A functional `keras.Model` from `(batch, h, w, channels)` (input named
        `"images"`) to `(batch, scale * h, scale * w, output_channels)`.

    Example:

    ```python
    generator = keras_gans.networks.srgan_generator((7, 7, 1), scale=4, filters=32,
                                                    num_residual_blocks=4)
    high = generator(low)  # (batch, 28, 28, 1)
    ```

    Reference:
        - [Ledig et al., 2017](https://arxiv.org/abs/1609.04802), "Photo-Realistic Single
          Image Super-Resolution Using a Generative Adversarial Network" (Figure 4).
        - [Shi et al., 2016](https://arxiv.org/abs/1609.05158), "Real-Time Single Image and
          Video Super-Resolution Using an Efficient Sub-Pixel Convolutional Neural Network".
    """
    height, width, channels = check_fully_convolutional_shape(input_shape, "input_shape")
    num_upsamplings = check_scale(scale)
    output_channels = check_channels(
        channels if output_channels is None else output_channels, "output_channels"
    )
    filters = check_channels(filters, "filters")
    if (
        isinstance(num_residual_blocks, bool)
        or not isinstance(num_residual_blocks, int)
        or (num_residual_blocks < 0)
    ):
        raise ValueError(
            "`num_residual_blocks` must be a non-negative integer. "
            f"Received: num_residual_blocks={num_residual_blocks!r}"
        )

    def conv(x, units, kernel_size, use_bias, layer_name):
        return keras.layers.Conv2D(units, kernel_size, padding="same", use_bias=use_bias, name=layer_name)(x)

    images = keras.Input(shape=(height, width, channels), name="images")
    x = conv(images, filters, 9, True, "input_conv")
    x = _prelu("input_prelu")(x)
    trunk_input = x
    for block in range(1, num_residual_blocks + 1):
        prefix = f"residual_{block}"
        y = conv(x, filters, 3, False, f"{prefix}_conv_1")
        y = apply_normalization(y, "batch", f"{prefix}_norm_1")
        y = _prelu(f"{prefix}_prelu")(y)
        y = conv(y, filters, 3, False, f"{prefix}_conv_2")
        y = apply_normalization(y, "batch", f"{prefix}_norm_2")
        x = keras.layers.Add(name=f"{prefix}_add")([x, y])
    x = conv(x, filters, 3, False, "trunk_conv")
    x = apply_normalization(x, "batch", "trunk_norm")
    x = keras.layers.Add(name="trunk_add")([trunk_input, x])
    for block in range(1, num_upsamplings + 1):
        x = conv(x, filters * SUBPIXEL_FACTOR**2, 3, True, f"upsample_{block}_conv")
        x = DepthToSpace(SUBPIXEL_FACTOR, name=f"upsample_{block}_depth_to_space")(x)
        x = _prelu(f"upsample_{block}_prelu")(x)
    x = conv(x, output_channels, 9, True, "output_conv")
    outputs = keras.layers.Activation("tanh", dtype="float32", name="output_tanh")(x)
    return keras.Model(images, outputs, name=name)
