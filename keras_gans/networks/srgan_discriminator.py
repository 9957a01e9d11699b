"""The discriminator of SRGAN (Ledig et al., 2017)."""

import keras

from keras_gans.networks.dcgan import check_image_shape
from keras_gans.networks.image_translation_blocks import LEAKY_RELU_SLOPE
from keras_gans.networks.image_translation_blocks import apply_normalization
from keras_gans.networks.image_translation_blocks import check_channels

# (filter multiplier, stride) of the eight 3x3 convolutions of Figure 4.
BLOCKS = ((1, 1), (1, 2), (2, 1), (2, 2), (4, 1), (4, 2), (8, 1), (8, 2))


def srgan_discriminator(image_shape=(96, 96, 3), filters=64, dense_units=1024, name="srgan_discriminator"):
    """SRGAN discriminator: eight 3x3 convolutions, then two dense layers.

    With `F = filters`, every convolution 3x3 with "same" padding and followed by
    `LeakyReLU(0.2)` (the layer names in brackets):

    1. `Conv2D(F)` [`block_1_*`], no normalization.
    2. `Conv2D(F, strides=2)`, `Conv2D(2F)`, `Conv2D(2F, strides=2)`, `Conv2D(4F)`,
       `Conv2D(4F, strides=2)`, `Conv2D(8F)`, `Conv2D(8F, strides=2)`
       [`block_2_*` .. `block_8_*`], each followed by batch norm (no bias): the image
       is 16x smaller (28 -> 2, 96 -> 6).
    3. `Flatten` -> `Dense(dense_units)` -> `LeakyReLU(0.2)` -> `Dense(1)`, float32:
       one logit per image (the paper's sigmoid is in the loss).

    Args:
        image_shape: `(height, width, channels)` of the high-resolution images (static:
            the dense layer needs the flattened size).
        filters: int, `F`.
        dense_units: int, width of the hidden dense layer.
        name: str, name of the model.

    Returns:
        A functional `keras.Model` from `(batch, height, width, channels)` (input named
        `"images"`) to float32 logits `(batch, 1)`.

    Example:

    ```python
    discriminator = keras_gans.networks.srgan_discriminator((28, 28, 1), filters=32,
                                                            dense_units=256)
    logits = discriminator(high)  # (batch, 1)
    ```

    Reference:
        - [Ledig et al., 2017](https://arxiv.org/abs/1609.04802), "Photo-Realistic Single
          Image Super-Resolution Using a Generative Adversarial Network" (Figure 4).
    """
    image_shape = check_image_shape(image_shape)
    filters = check_channels(filters, "filters")
    dense_units = check_channels(dense_units, "dense_units")

    images = keras.Input(shape=image_shape, name="images")
    x = images
    for block, (multiplier, strides) in enumerate(BLOCKS, start=1):
        x = keras.layers.Conv2D(
            filters * multiplier,
            3,
            strides=strides,
            padding="same",
            use_bias=block == 1,
            name=f"block_{block}_conv",
        )(x)
        if block > 1:
            x = apply_normalization(x, "batch", f"block_{block}_norm")
        x = keras.layers.LeakyReLU(LEAKY_RELU_SLOPE, name=f"block_{block}_lrelu")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    x = keras.layers.Dense(dense_units, name="dense")(x)
    x = keras.layers.LeakyReLU(LEAKY_RELU_SLOPE, name="dense_lrelu")(x)
    logits = keras.layers.Dense(1, dtype="float32", name="logits")(x)
    return keras.Model(images, logits, name=name)
