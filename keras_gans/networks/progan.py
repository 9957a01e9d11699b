"""Progressive-growing networks (ProGAN), with static shapes at every level.

Levels are numbered from 0 (4x4) to `num_levels - 1` (the target resolution);
level `l` works at `4 * 2**l` pixels. Both networks keep the current `level`
and fade-in `alpha` in non-trainable variables and compute every block at every
level: the blocks that the current level does not use are multiplied by a zero
weight. Shapes therefore never change while the networks grow (one compiled
step serves every phase under TensorFlow graphs/XLA, `jax.jit` and PyTorch), at
the price of full-resolution compute from the first phase.

The generator always returns target-resolution images: the output of level `l`
is upsampled (nearest neighbour) to the target size, so a 4x4 phase produces
8x8 pixel blocks. The discriminator always takes target-resolution images and
average-pools them to each level's resolution, which exactly inverts that
upsampling.
"""

import math

import keras
from keras import ops

from keras_gans.layers.equalized_conv2d import EqualizedConv2D
from keras_gans.layers.equalized_dense import EqualizedDense
from keras_gans.layers.minibatch_std_dev import MinibatchStdDev
from keras_gans.layers.pixel_normalization import PixelNormalization
from keras_gans.networks.image_pyramid import LatentToImageShapes
from keras_gans.networks.image_pyramid import average_downsample
from keras_gans.networks.image_pyramid import filters_per_level
from keras_gans.networks.image_pyramid import levels_for_resolution
from keras_gans.networks.image_pyramid import nearest_upsample


def _effective_alpha(level, alpha):
    level = ops.cast(level, "float32")
    alpha = ops.cast(alpha, "float32")
    # Level 0 has no older block to fade from.
    return level, ops.where(ops.equal(level, 0.0), ops.ones_like(alpha), alpha)


def level_weights(level, alpha, num_levels):
    """Weights of each level's output in the blended output.

    `alpha` for `level`, `1 - alpha` for `level - 1`, 0 for every other level
    (at level 0 the weight of level 0 is 1).
    """
    level, alpha = _effective_alpha(level, alpha)
    zero = ops.zeros_like(alpha)
    return [
        ops.where(
            ops.equal(level, float(i)),
            alpha,
            ops.where(ops.equal(level, float(i + 1)), 1.0 - alpha, zero),
        )
        for i in range(num_levels)
    ]


def progressive_resize(images, level, alpha, num_levels):
    """Target-resolution images as a network at `level` / `alpha` should see them.

    `alpha * up(down_l(x)) + (1 - alpha) * up(down_{l-1}(x))`: the images are
    average-pooled to level `l`'s resolution (and to level `l - 1`'s during a
    fade-in) and upsampled back to the target size by nearest neighbour. Real
    images go through this so that the discriminator sees them as it sees the
    generator's output.
    """
    weights = level_weights(level, alpha, num_levels)
    out = 0.0
    for i, weight in enumerate(weights):
        factor = 2 ** (num_levels - 1 - i)
        out = ops.add(out, ops.multiply(weight, nearest_upsample(average_downsample(images, factor), factor)))
    return out


def _lrelu(x):
    return ops.leaky_relu(x, 0.2)


class _Growing(keras.Model):
    """Shared state of the two growing networks: `level` and `alpha` variables."""

    def _create_growth_state(self):
        self.level = self.add_weight(
            shape=(), initializer="zeros", trainable=False, name="level", dtype="float32"
        )
        self.alpha = self.add_weight(
            shape=(), initializer="ones", trainable=False, name="alpha", dtype="float32"
        )

    def set_growth(self, level, alpha):
        """Sets the level (0 is 4x4) and the fade-in alpha in [0, 1]."""
        self.level.assign(ops.cast(level, "float32"))
        self.alpha.assign(ops.cast(alpha, "float32"))


@keras.saving.register_keras_serializable(package="keras_gans")
class ProGANGenerator(LatentToImageShapes, _Growing):
    """ProGAN generator that grows from 4x4 to `resolution`.

    Latent `z` is pixel-normalized and mapped by an equalized dense layer to a
    4x4 map, then one 3x3 convolution; each further level upsamples by 2
    (nearest) and applies two 3x3 convolutions. Every convolution is
    equalized-learning-rate, followed by leaky ReLU (0.2) and pixel
    normalization. Each level has a 1x1 `to_rgb` convolution (linear output).

    Fade-in: at `level` l with `alpha`, at l's resolution,
    `out = alpha * to_rgb_l(block_l(h)) + (1 - alpha) * upsample(to_rgb_{l-1}(h))`
    where `h` is the output of the level `l - 1` block; the result is then
    upsampled (nearest) to `resolution`, so the output shape never changes.

    Args:
        latent_dim: size of `z`.
        resolution: target resolution (power of 2, >= 4).
        channels: image channels.
        filters: int, or one int per level (4x4 first).
        **kwargs: `keras.Model` arguments (`name`, ...).

    Example:

    ```python
    g = ProGANGenerator(latent_dim=64, resolution=32, filters=(64, 64, 32, 16))
    g.set_growth(level=2, alpha=0.5)  # fading in the 16x16 block
    images = g(keras.random.normal((4, 64)))  # (4, 32, 32, 1)
    ```

    Reference:
        Karras et al., "Progressive Growing of GANs for Improved Quality,
        Stability, and Variation", ICLR 2018, Table 2 and section 3.
    """

    def __init__(self, latent_dim=128, resolution=32, channels=1, filters=64, **kwargs):
        super().__init__(**kwargs)
        self.latent_dim = int(latent_dim)
        self.resolution = int(resolution)
        self.channels = int(channels)
        self.num_levels = levels_for_resolution(resolution)
        self.filters = filters_per_level(filters, self.num_levels)
        f0 = self.filters[0]
        self.latent_norm = PixelNormalization(name="latent_norm")
        self.pixel_norm = PixelNormalization(name="pixel_norm")
        # gain sqrt(2)/4 as in the paper's code: the dense layer acts as a 4x4 deconvolution.
        self.input_dense = EqualizedDense(16 * f0, gain=math.sqrt(2.0) / 4, name="input_dense")
        self.input_conv = EqualizedConv2D(f0, 3, name="input_conv")
        self.block_convs = []
        for level in range(1, self.num_levels):
            for j in range(2):
                self.block_convs.append(EqualizedConv2D(self.filters[level], 3, name=f"block{level}_conv{j}"))
        self.to_rgb = [
            EqualizedConv2D(self.channels, 1, gain=1.0, name=f"to_rgb{level}")
            for level in range(self.num_levels)
        ]
        self._create_growth_state()
        self.build(self.input_shape)

    def build(self, input_shape):
        self.rgb_outputs(keras.KerasTensor((None, self.latent_dim)))
        self.built = True

    def _normed(self, x):
        return self.pixel_norm(_lrelu(x))

    def rgb_outputs(self, z):
        """Each level's `to_rgb` output at its own resolution (4x4 first)."""
        f0 = self.filters[0]
        x = self.input_dense(self.latent_norm(z))
        x = self._normed(ops.reshape(x, (-1, 4, 4, f0)))
        x = self._normed(self.input_conv(x))
        outputs = [self.to_rgb[0](x)]
        for level in range(1, self.num_levels):
            x = nearest_upsample(x, 2)
            x = self._normed(self.block_convs[2 * level - 2](x))
            x = self._normed(self.block_convs[2 * level - 1](x))
            outputs.append(self.to_rgb[level](x))
        return outputs

    def call(self, z, training=False):
        weights = level_weights(self.level, self.alpha, self.num_levels)
        out = 0.0
        for i, (rgb, weight) in enumerate(zip(self.rgb_outputs(z), weights)):
            out = ops.add(out, ops.multiply(weight, nearest_upsample(rgb, 2 ** (self.num_levels - 1 - i))))
        return ops.cast(out, "float32")  # float32 images also under mixed precision

    def get_config(self):
        return {
            **super().get_config(),
            "latent_dim": self.latent_dim,
            "resolution": self.resolution,
            "channels": self.channels,
            "filters": list(self.filters),
        }


@keras.saving.register_keras_serializable(package="keras_gans")
class ProGANDiscriminator(_Growing):
    """ProGAN discriminator (critic) that grows with the generator.

    Each level has a 1x1 `from_rgb` convolution; level `l >= 1` has two 3x3
    convolutions then 2x average pooling down to level `l - 1`. The 4x4 head is
    minibatch standard deviation, a 3x3 convolution, an equalized dense layer and
    a linear output. All layers use equalized learning rate and leaky ReLU (0.2).

    The input is always `resolution`-sized; level `i`'s input is the image
    average-pooled to its resolution. Fade-in at `level` l with `alpha`:
    `h_{l-1} = alpha * block_l(from_rgb_l(x_l)) + (1 - alpha) * from_rgb_{l-1}(x_{l-1})`.

    Args:
        resolution: input resolution (power of 2, >= 4).
        channels: image channels.
        filters: int, or one int per level (4x4 first).
        group_size: minibatch standard deviation group size.
        **kwargs: `keras.Model` arguments.

    Example:

    ```python
    d = ProGANDiscriminator(resolution=32, filters=(64, 64, 32, 16))
    logits = d(images)  # (batch, 1)
    ```

    Reference:
        Karras et al., "Progressive Growing of GANs for Improved Quality,
        Stability, and Variation", ICLR 2018, Table 2.
    """

    def __init__(self, resolution=32, channels=1, filters=64, group_size=4, **kwargs):
        super().__init__(**kwargs)
        self.resolution = int(resolution)
        self.channels = int(channels)
        self.num_levels = levels_for_resolution(resolution)
        self.filters = filters_per_level(filters, self.num_levels)
        self.group_size = int(group_size)
        self.from_rgb = [
            EqualizedConv2D(self.filters[level], 1, name=f"from_rgb{level}")
            for level in range(self.num_levels)
        ]
        self.block_convs = []
        for level in range(1, self.num_levels):
            self.block_convs.append(EqualizedConv2D(self.filters[level], 3, name=f"block{level}_conv0"))
            self.block_convs.append(EqualizedConv2D(self.filters[level - 1], 3, name=f"block{level}_conv1"))
        f0 = self.filters[0]
        self.minibatch_std = MinibatchStdDev(group_size=self.group_size, name="minibatch_std")
        self.final_conv = EqualizedConv2D(f0, 3, name="final_conv")
        self.final_dense = EqualizedDense(f0, name="final_dense")
        self.output_dense = EqualizedDense(1, gain=1.0, name="logits")
        self._create_growth_state()
        self.build(self.input_shape)

    def build(self, input_shape):
        self.call(keras.KerasTensor((None, self.resolution, self.resolution, self.channels)))
        self.built = True

    def call(self, images, training=False):
        n = self.num_levels
        level, alpha = _effective_alpha(self.level, self.alpha)
        top = n - 1
        h = _lrelu(self.from_rgb[top](images))
        for i in range(n - 2, -1, -1):
            h = _lrelu(self.block_convs[2 * i](h))
            h = _lrelu(self.block_convs[2 * i + 1](h))
            h = average_downsample(h, 2)
            # 1 at and above the current level (start from this level's image),
            # 1 - alpha just below it (fade-in), 0 further down (keep the blocks).
            take_rgb = ops.where(
                ops.greater_equal(float(i), level),
                1.0,
                ops.where(ops.equal(float(i), level - 1.0), 1.0 - alpha, 0.0),
            )
            x_i = average_downsample(images, 2 ** (top - i))
            h = ops.add(
                ops.multiply(take_rgb, _lrelu(self.from_rgb[i](x_i))),
                ops.multiply(ops.subtract(1.0, take_rgb), h),
            )
        h = self.minibatch_std(h)
        h = _lrelu(self.final_conv(h))
        h = ops.reshape(h, (-1, 16 * self.filters[0]))
        h = _lrelu(self.final_dense(h))
        return self.output_dense(h)

    @property
    def input_shape(self):
        return (None, self.resolution, self.resolution, self.channels)

    @property
    def output_shape(self):
        return (None, 1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 1)

    def get_config(self):
        return {
            **super().get_config(),
            "resolution": self.resolution,
            "channels": self.channels,
            "filters": list(self.filters),
            "group_size": self.group_size,
        }
