"""Image pyramids for generators that work resolution by resolution (ProGAN, StyleGAN).

Level `l` of a pyramid works at `4 * 2**l` pixels, from level 0 (4x4) to
`num_levels - 1` (the target resolution).
"""

import math

from keras import ops


def nearest_upsample(images, factor):
    """Repeats each pixel `factor` x `factor` times (`(N, H, W, C)`, static H, W, C).

    Written as a broadcast and a reshape, which keep the static height and
    width that the LiteRT converter needs (`ops.repeat` loses them when the
    batch size is unknown).
    """
    if factor == 1:
        return images
    _, height, width, channels = images.shape
    tiled = ops.broadcast_to(
        images[:, :, None, :, None, :],
        (ops.shape(images)[0], height, factor, width, factor, channels),
    )
    return ops.reshape(tiled, (-1, height * factor, width * factor, channels))


def average_downsample(images, factor):
    """Averages `factor` x `factor` pixel blocks (`(N, H, W, C)`, static H, W, C)."""
    if factor == 1:
        return images
    _, height, width, channels = images.shape
    blocks = ops.reshape(images, (-1, height // factor, factor, width // factor, factor, channels))
    return ops.mean(blocks, axis=(2, 4))


def levels_for_resolution(resolution):
    """Number of levels from 4x4 up to `resolution` (a power of 2 >= 4): 32 -> 4."""
    resolution = int(resolution)
    log2 = int(round(math.log2(resolution))) if resolution > 0 else 0
    if resolution < 4 or 2**log2 != resolution:
        raise ValueError(f"resolution must be a power of 2 >= 4, got {resolution}.")
    return log2 - 1


def filters_per_level(filters, num_levels):
    """`filters` (an int, or one int per level, 4x4 first) as a list of `num_levels` ints."""
    if isinstance(filters, int):
        filters = [filters] * num_levels
    filters = [int(f) for f in filters]
    if len(filters) != num_levels or min(filters) < 1:
        raise ValueError(
            f"filters must be a positive int or {num_levels} positive ints (one per "
            f"level, 4x4 first), got {filters}."
        )
    return filters


class LatentToImageShapes:
    """Static shapes of a generator from `(None, latent_dim)` to square images.

    For `keras.Model` subclasses with `latent_dim`, `resolution` and `channels`.
    """

    @property
    def input_shape(self):
        return (None, self.latent_dim)

    @property
    def output_shape(self):
        return (None, self.resolution, self.resolution, self.channels)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.resolution, self.resolution, self.channels)
