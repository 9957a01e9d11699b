"""The ResNet generator of CycleGAN (Zhu et al., 2017; Johnson et al., 2016)."""

import keras

from keras_gans.layers.reflection_padding_2d import ReflectionPadding2D
from keras_gans.networks.image_translation_blocks import apply_normalization
from keras_gans.networks.image_translation_blocks import check_channels
from keras_gans.networks.image_translation_blocks import check_fully_convolutional_shape
from keras_gans.networks.image_translation_blocks import check_normalization
from keras_gans.networks.image_translation_blocks import kernel_initializer

NUM_DOWNSAMPLINGS = 2


def _conv(filters, kernel_size, strides, use_bias, name):
    return keras.layers.Conv2D(
        filters,
        kernel_size,
        strides=strides,
        use_bias=use_bias,
        kernel_initializer=kernel_initializer(),
        name=name,
    )


def resnet_generator(
    image_shape=(256, 256, 3),
    output_channels=None,
    filters=64,
    num_residual_blocks=9,
    normalization="instance",
    name="resnet_generator",
):
    """CycleGAN ResNet generator: c7s1-64, d128, d256, R256 x n, u128, u64, c7s1-3.

    With `F = filters` (the layer names in brackets):

    - c7s1-F [`input_*`]: `ReflectionPadding2D(3)` -> `Conv2D(F, 7)` -> normalization
      -> `ReLU`.
    - d2F, d4F [`down_{i}_*`]: `ZeroPadding2D(1)` -> `Conv2D(2F, 3, strides=2)` ->
      normalization -> `ReLU`, then the same with 4F: the image is 4x smaller.
    - R4F x `num_residual_blocks` [`residual_{i}_*`]: `x + [ReflectionPadding2D(1)
      -> Conv2D(4F, 3) -> normalization -> ReLU -> ReflectionPadding2D(1) ->
      Conv2D(4F, 3) -> normalization](x)`.
    - u2F, uF [`up_{i}_*`]: `Conv2DTranspose(2F, 3, strides=2)` cropped by one row
      and column at the top-left (PyTorch's `ConvTranspose2d(3, stride=2, padding=1,
      output_padding=1)`) -> normalization -> `ReLU`, then the same with F.
    - c7s1-C [`output_*`]: `ReflectionPadding2D(3)` -> `Conv2D(output_channels, 7)`
      -> `tanh` (float32, also under mixed precision).

    The paper uses 6 residual blocks for 128x128 images and 9 for 256x256 and larger;
    a few suffice for 28 or 32 px. Normalization is instance normalization without
    scale or offset by default; convolutions followed by a normalization have no
    bias. Kernels are drawn from N(0, 0.02). The network is fully convolutional:
    height and width may be None, and must be multiples of 4.

    Args:
        image_shape: `(height, width, channels)` of the input images.
        output_channels: int, channels of the output; defaults to the input's.
        filters: int, `F`, the channels of the first and last hidden blocks.
        num_residual_blocks: int >= 0.
        normalization: `"instance"` (the paper's), `"batch"` or None.
        name: str, name of the model.

    Returns:
        A functional `keras.Model` from `(batch, height, width, channels)` images (input
        named `"images"`) to `(batch, height, width, output_channels)` images in [-1, 1].

    Example:

    ```python
    generator = keras_gans.networks.resnet_generator((28, 28, 1), filters=32,
                                                     num_residual_blocks=4)
    boots = generator(sneakers)  # (batch, 28, 28, 1)
    ```

    Reference:
        - [Zhu et al., 2017](https://arxiv.org/abs/1703.10593), "Unpaired Image-to-Image
          Translation using Cycle-Consistent Adversarial Networks" (Appendix 7.2).
        - [Johnson et al., 2016](https://arxiv.org/abs/1603.08155), "Perceptual Losses for
          Real-Time Style Transfer and Super-Resolution".
    """
    height, width, channels = check_fully_convolutional_shape(image_shape, multiple=2**NUM_DOWNSAMPLINGS)
    output_channels = check_channels(
        channels if output_channels is None else output_channels, "output_channels"
    )
    filters = check_channels(filters, "filters")
    normalization = check_normalization(normalization)
    if (
        isinstance(num_residual_blocks, bool)
        or not isinstance(num_residual_blocks, int)
        or (num_residual_blocks < 0)
    ):
        raise ValueError(
            "`num_residual_blocks` must be a non-negative integer. "
            f"Received: num_residual_blocks={num_residual_blocks!r}"
        )
    use_bias = normalization is None

    images = keras.Input(shape=(height, width, channels), name="images")
    x = ReflectionPadding2D(3, name="input_padding")(images)
    x = _conv(filters, 7, 1, use_bias, "input_conv")(x)
    x = apply_normalization(x, normalization, "input_norm")
    x = keras.layers.ReLU(name="input_relu")(x)

    for block in range(1, NUM_DOWNSAMPLINGS + 1):
        x = keras.layers.ZeroPadding2D(1, name=f"down_{block}_padding")(x)
        x = _conv(filters * 2**block, 3, 2, use_bias, f"down_{block}_conv")(x)
        x = apply_normalization(x, normalization, f"down_{block}_norm")
        x = keras.layers.ReLU(name=f"down_{block}_relu")(x)

    residual_filters = filters * 2**NUM_DOWNSAMPLINGS
    for block in range(1, num_residual_blocks + 1):
        prefix = f"residual_{block}"
        y = ReflectionPadding2D(1, name=f"{prefix}_padding_1")(x)
        y = _conv(residual_filters, 3, 1, use_bias, f"{prefix}_conv_1")(y)
        y = apply_normalization(y, normalization, f"{prefix}_norm_1")
        y = keras.layers.ReLU(name=f"{prefix}_relu")(y)
        y = ReflectionPadding2D(1, name=f"{prefix}_padding_2")(y)
        y = _conv(residual_filters, 3, 1, use_bias, f"{prefix}_conv_2")(y)
        y = apply_normalization(y, normalization, f"{prefix}_norm_2")
        x = keras.layers.Add(name=f"{prefix}_add")([x, y])

    for block in range(1, NUM_DOWNSAMPLINGS + 1):
        x = keras.layers.Conv2DTranspose(
            filters * 2 ** (NUM_DOWNSAMPLINGS - block),
            3,
            strides=2,
            use_bias=use_bias,
            kernel_initializer=kernel_initializer(),
            name=f"up_{block}_conv",
        )(x)
        x = keras.layers.Cropping2D(((1, 0), (1, 0)), name=f"up_{block}_cropping")(x)
        x = apply_normalization(x, normalization, f"up_{block}_norm")
        x = keras.layers.ReLU(name=f"up_{block}_relu")(x)

    x = ReflectionPadding2D(3, name="output_padding")(x)
    x = _conv(output_channels, 7, 1, True, "output_conv")(x)
    outputs = keras.layers.Activation("tanh", dtype="float32", name="output_tanh")(x)
    return keras.Model(images, outputs, name=name)
