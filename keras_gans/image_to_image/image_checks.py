"""Checks of the images a translator is given (shared by `translate`, `fit` and the CLI)."""

import numpy as np

# Float images may leave [-1, 1] by this much (rounding) before they are refused.
RANGE_TOLERANCE = 1e-3


def input_shape_of(network):
    """`(height, width, channels)` of a functional network's (first) input."""
    shape = network.input_shape
    if isinstance(shape, list):
        shape = shape[0]
    return tuple(shape[1:])


def describe_shape(shape):
    return "x".join("?" if d is None else str(d) for d in shape)


def check_images(images, expected_shape, where, name="images"):
    """Images as float32 in [-1, 1], checked against the shape a network takes.

    Args:
        images: `(n, h, w, c)` or one image `(h, w, c)`; float in [-1, 1] or uint8.
        expected_shape: `(h, w, c)`; None sides accept any size.
        where: what is checking (for the message), e.g. `"Pix2Pix.translate"`.
        name: the argument's name (for the message).

    Returns:
        `(images (n, h, w, c) float32, single)`: `single` when one image was given.
    """
    array = np.asarray(images)
    single = array.ndim == len(expected_shape)
    if single:
        array = array[None]
    if array.ndim != len(expected_shape) + 1:
        raise ValueError(
            f"{where} takes images (n, height, width, channels) or one image (height, width, "
            f"channels). Received: {name} of shape {array.shape}"
        )
    if len(array) == 0:
        raise ValueError(f"{where} received no images. Received: {name} of shape {array.shape}")
    height, width, channels = expected_shape
    if array.shape[-1] != channels:
        raise ValueError(
            f"{where} takes images with {channels} channel(s) (the generator's input is "
            f"{describe_shape(expected_shape)}). Received: {name} with {array.shape[-1]} channels, "
            f"shape {array.shape}"
        )
    sides = array.shape[1:3]
    if any(e is not None and e != s for e, s in zip((height, width), sides)):
        raise ValueError(
            f"{where} takes images of {describe_shape(expected_shape[:2])} pixels (the generator's "
            f"input is {describe_shape(expected_shape)}). Received: {name} of "
            f"{sides[0]}x{sides[1]} pixels, shape {array.shape}"
        )
    if array.dtype == np.uint8:
        return array.astype("float32") / 127.5 - 1.0, single
    if not np.issubdtype(array.dtype, np.floating):
        raise ValueError(
            f"{where} takes float images in [-1, 1] or uint8 images in [0, 255]. Received: {name} "
            f"of dtype {array.dtype}"
        )
    array = array.astype("float32")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{where}: {name} hold NaN or Inf values.")
    low, high = float(array.min()), float(array.max())
    if low < -1 - RANGE_TOLERANCE or high > 1 + RANGE_TOLERANCE:
        hint = " Scale 0..255 images with x / 127.5 - 1 (or pass them as uint8)." if high > 2 else ""
        raise ValueError(
            f"{where} takes float images in [-1, 1]. Received: {name} with values from {low:.4g} to "
            f"{high:.4g}.{hint}"
        )
    return array, single
