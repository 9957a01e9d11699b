"""Pieces shared by the image-to-image networks (U-Net, PatchGAN, ResNet and SRGAN)."""

import keras

from keras_gans.networks.dcgan import KERNEL_STDDEV

NORMALIZATIONS = ("batch", "instance", None)
# PyTorch's defaults (epsilon 1e-5, running-average factor 0.1), as the reference code uses.
NORM_EPSILON = 1e-5
BATCH_NORM_MOMENTUM = 0.9
LEAKY_RELU_SLOPE = 0.2


def kernel_initializer():
    """N(0, 0.02), the initialization of pix2pix and CycleGAN."""
    return keras.initializers.RandomNormal(mean=0.0, stddev=KERNEL_STDDEV)


def check_normalization(normalization):
    if normalization not in NORMALIZATIONS:
        raise ValueError(
            f"`normalization` must be one of {NORMALIZATIONS}. Received: normalization={normalization!r}"
        )
    return normalization


def normalization_layer(normalization, name):
    """A normalization layer, or None for `normalization=None`.

    `"batch"`: `BatchNormalization` with `gamma` from N(1, 0.02). `"instance"`: each
    sample and channel normalized over height and width, without scale or offset
    (`GroupNormalization(groups=-1)`, PyTorch's `InstanceNorm2d(affine=False)`, the
    CycleGAN default).
    """
    if normalization == "batch":
        return keras.layers.BatchNormalization(
            momentum=BATCH_NORM_MOMENTUM,
            epsilon=NORM_EPSILON,
            gamma_initializer=keras.initializers.RandomNormal(mean=1.0, stddev=KERNEL_STDDEV),
            name=name,
        )
    if normalization == "instance":
        return keras.layers.GroupNormalization(
            groups=-1, epsilon=NORM_EPSILON, center=False, scale=False, name=name
        )
    return None


def apply_normalization(x, normalization, name):
    layer = normalization_layer(normalization, name)
    return x if layer is None else layer(x)


def check_channels(value, name):
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
    return value


def check_fully_convolutional_shape(image_shape, name="image_shape", multiple=1):
    """`(height, width, channels)` with a known channel count; sides may be None."""
    try:
        dims = tuple(image_shape)
    except TypeError:
        dims = None
    valid = dims is not None and len(dims) == 3
    if valid:
        height, width, channels = dims
        valid = (
            all(
                side is None or (isinstance(side, int) and not isinstance(side, bool) and side >= 1)
                for side in (height, width)
            )
            and isinstance(channels, int)
            and not isinstance(channels, bool)
            and channels >= 1
        )
    if not valid:
        raise ValueError(
            f"`{name}` must be (height, width, channels) with positive integers (height and "
            f"width may be None). Received: {name}={image_shape!r}"
        )
    for side_name, side in (("height", dims[0]), ("width", dims[1])):
        if side is not None and side % multiple != 0:
            raise ValueError(
                f"The image {side_name} must be a multiple of {multiple} here; it is {side}. "
                f"Received: {name}={image_shape!r}"
            )
    return dims
