"""Style-based generator (StyleGAN2-style synthesis) and a residual discriminator."""

import math

import keras
from keras import ops

from keras_gans.layers.equalized_conv2d import EqualizedConv2D
from keras_gans.layers.equalized_dense import EqualizedDense
from keras_gans.layers.minibatch_std_dev import MinibatchStdDev
from keras_gans.layers.modulated_conv2d import ModulatedConv2D
from keras_gans.layers.noise_injection import NoiseInjection
from keras_gans.layers.pixel_normalization import PixelNormalization
from keras_gans.networks.image_pyramid import LatentToImageShapes
from keras_gans.networks.image_pyramid import filters_per_level
from keras_gans.networks.image_pyramid import levels_for_resolution
from keras_gans.networks.image_pyramid import nearest_upsample

SQRT2 = math.sqrt(2.0)


def mix_styles(w1, w2, crossover, num_ws):
    """Per-layer styles `(N, num_ws, w_dim)`: `w1` before `crossover`, `w2` from it on.

    Args:
        w1, w2: `(N, w_dim)` style vectors.
        crossover: `(N,)` ints; layer `i` of sample `n` uses `w1[n]` when
            `i < crossover[n]`, else `w2[n]` (`crossover >= num_ws` means no mixing).
        num_ws: number of style inputs of the synthesis network.
    """
    index = ops.arange(num_ws)[None, :, None]
    take_first = ops.less(ops.cast(index, "int32"), ops.cast(crossover, "int32")[:, None, None])
    return ops.where(take_first, w1[:, None, :], w2[:, None, :])


def _lrelu(x):
    return ops.leaky_relu(x, 0.2) * SQRT2


@keras.saving.register_keras_serializable(package="keras_gans")
class StyleGANGenerator(LatentToImageShapes, keras.Model):
    """Style-based generator: mapping network, modulated synthesis, noise.

    Mapping: `z` is pixel-normalized, then `mapping_layers` equalized dense
    layers (learning-rate multiplier 0.01, leaky ReLU) give the style `w`.
    Synthesis (StyleGAN2 "skip" architecture): a learned constant 4x4 input,
    then per resolution modulated 3x3 convolutions (the first of each
    resolution above 4x4 upsamples), each followed by noise with a learned
    per-channel scale and leaky ReLU, and a modulated 1x1 `to_rgb` (no
    demodulation) whose outputs are upsampled and summed. The synthesis takes
    one style per layer, `num_ws = 2 * num_levels` of them; style `i` drives
    convolution `i` and the `to_rgb` of a resolution shares the style index of
    the next resolution's first convolution.

    In training calls: the running mean `w_avg` of `w` is updated
    (`w_avg = lerp(mean(w), w_avg, w_avg_beta)`), and with probability
    `style_mixing_probability` a sample gets the styles of a second latent from
    a random crossover layer on. Truncation (`truncation_psi` call argument):
    `w = w_avg + psi * (w - w_avg)`.

    Args:
        latent_dim: size of `z`.
        w_dim: size of `w` (`latent_dim` by default).
        mapping_layers: dense layers of the mapping network (8 in the papers).
        resolution: output resolution (power of 2, >= 4).
        channels: image channels.
        filters: int or one int per resolution (4x4 first).
        style_mixing_probability: probability of style mixing per training sample.
        w_avg_beta: decay of the running mean of `w`.
        seed: seed of the mixing latents, crossover points and noise.
        **kwargs: `keras.Model` arguments.

    Example:

    ```python
    g = StyleGANGenerator(latent_dim=64, resolution=32, filters=(64, 64, 32, 32))
    images = g(z, truncation_psi=0.7)             # (N, 32, 32, 1), constant noise
    w = g.mapping(z)
    images = g.synthesis(g.broadcast(w))           # the same without truncation
    ```

    Reference:
        Karras et al., "A Style-Based Generator Architecture for Generative
        Adversarial Networks", CVPR 2019 (mapping, styles, noise, mixing,
        truncation). Karras et al., "Analyzing and Improving the Image Quality
        of StyleGAN", CVPR 2020 (modulated convolution, skip generator).
    """

    def __init__(
        self,
        latent_dim=128,
        w_dim=None,
        mapping_layers=4,
        resolution=32,
        channels=1,
        filters=64,
        style_mixing_probability=0.9,
        w_avg_beta=0.995,
        seed=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.latent_dim = int(latent_dim)
        self.w_dim = int(w_dim) if w_dim is not None else self.latent_dim
        self.mapping_layers = int(mapping_layers)
        if self.mapping_layers < 1:
            raise ValueError(f"mapping_layers must be >= 1, got {mapping_layers}.")
        self.resolution = int(resolution)
        self.channels = int(channels)
        self.num_levels = levels_for_resolution(resolution)
        self.filters = filters_per_level(filters, self.num_levels)
        if not 0.0 <= float(style_mixing_probability) <= 1.0:
            raise ValueError(f"style_mixing_probability must be in [0, 1], got {style_mixing_probability}.")
        self.style_mixing_probability = float(style_mixing_probability)
        self.w_avg_beta = float(w_avg_beta)
        self.seed = seed
        self.num_ws = 2 * self.num_levels
        self.seed_generator = keras.random.SeedGenerator(seed, name="mixing_seed")

        self.latent_norm = PixelNormalization(name="latent_norm")
        self.mapping_dense = [
            EqualizedDense(self.w_dim, lr_multiplier=0.01, name=f"mapping{i}")
            for i in range(self.mapping_layers)
        ]
        self.convs, self.noises, self.to_rgb = [], [], []
        noise_seed = lambda i: None if seed is None else int(seed) + 1 + i  # noqa: E731
        for level, f in enumerate(self.filters):
            for j in range(1 if level == 0 else 2):
                self.convs.append(
                    ModulatedConv2D(f, 3, upsample=(level > 0 and j == 0), name=f"conv{level}_{j}")
                )
                self.noises.append(
                    NoiseInjection(seed=noise_seed(len(self.noises)), name=f"noise{level}_{j}")
                )
            self.to_rgb.append(ModulatedConv2D(self.channels, 1, demodulate=False, name=f"to_rgb{level}"))
        self.const = self.add_weight(
            name="const", shape=(1, 4, 4, self.filters[0]), initializer=keras.initializers.RandomNormal(1.0)
        )
        self.w_avg = self.add_weight(name="w_avg", shape=(self.w_dim,), initializer="zeros", trainable=False)
        self.build(self.input_shape)

    def build(self, input_shape):
        ws = self.broadcast(self.mapping(keras.KerasTensor((None, self.latent_dim))))
        self.synthesis(ws, noise_mode="const")
        self.built = True

    def mapping(self, z):
        """Latents `(N, latent_dim)` -> styles `w` `(N, w_dim)`."""
        x = self.latent_norm(z)
        for layer in self.mapping_dense:
            x = ops.leaky_relu(layer(x), 0.2)
        return x

    def broadcast(self, w):
        """`(N, w_dim)` -> `(N, num_ws, w_dim)`: the same style for every layer."""
        return ops.repeat(ops.expand_dims(w, 1), self.num_ws, axis=1)

    def truncate(self, ws, truncation_psi):
        """`w_avg + psi * (ws - w_avg)`."""
        w_avg = ops.cast(self.w_avg, ws.dtype)
        return ops.add(w_avg, ops.multiply(truncation_psi, ops.subtract(ws, w_avg)))

    def synthesis(self, ws, training=False, noise_mode=None):
        """Per-layer styles `(N, num_ws, w_dim)` -> images."""
        # The learned constant, repeated over the batch (written so that it
        # also traces symbolically).
        ones = ops.reshape(ops.ones_like(ws[:, 0, :1]), (-1, 1, 1, 1))
        x = ops.multiply(ones, ops.cast(self.const, ws.dtype))
        rgb = None
        conv = 0
        for level in range(self.num_levels):
            for _ in range(1 if level == 0 else 2):
                x = self.convs[conv]([x, ws[:, conv]])
                x = _lrelu(self.noises[conv](x, training=training, noise_mode=noise_mode))
                conv += 1
            # to_rgb shares the style index of the next convolution.
            y = self.to_rgb[level]([x, ws[:, conv]])
            rgb = y if rgb is None else ops.add(nearest_upsample(rgb, 2), y)
        # Images in float32 also under mixed precision (as the DCGAN builders).
        return ops.cast(rgb, "float32")

    def styles(self, z, training=False, truncation_psi=1.0):
        """Latents `(N, latent_dim)` -> per-layer styles `(N, num_ws, w_dim)`.

        In training calls this updates `w_avg` and mixes styles; with
        `truncation_psi != 1` the styles are truncated towards `w_avg`.
        """
        w = self.mapping(z)
        if training:
            batch_mean = ops.stop_gradient(ops.mean(w, axis=0))
            self.w_avg.assign(
                batch_mean + self.w_avg_beta * (ops.cast(self.w_avg, batch_mean.dtype) - batch_mean)
            )
        ws = self.broadcast(w)
        if training and self.style_mixing_probability > 0:
            batch = ops.shape(z)[0]
            z2 = keras.random.normal(ops.shape(z), seed=self.seed_generator)
            w2 = self.mapping(z2)
            crossover = keras.random.randint((batch,), 1, self.num_ws, seed=self.seed_generator)
            mixing = keras.random.uniform((batch,), seed=self.seed_generator) < self.style_mixing_probability
            crossover = ops.where(mixing, crossover, self.num_ws)
            ws = mix_styles(w, w2, crossover, self.num_ws)
        if not (isinstance(truncation_psi, (int, float)) and truncation_psi == 1):
            ws = self.truncate(ws, truncation_psi)
        return ws

    def call(self, z, training=False, truncation_psi=1.0, noise_mode=None):
        ws = self.styles(z, training=training, truncation_psi=truncation_psi)
        return self.synthesis(ws, training=training, noise_mode=noise_mode)

    def get_config(self):
        return {
            **super().get_config(),
            "latent_dim": self.latent_dim,
            "w_dim": self.w_dim,
            "mapping_layers": self.mapping_layers,
            "resolution": self.resolution,
            "channels": self.channels,
            "filters": list(self.filters),
            "style_mixing_probability": self.style_mixing_probability,
            "w_avg_beta": self.w_avg_beta,
            "seed": self.seed,
        }


def stylegan_discriminator(resolution=32, channels=1, filters=64, group_size=4, name="discriminator"):
    """Residual discriminator of StyleGAN2 (functional `keras.Model`).

    A 1x1 `from_rgb`, then per resolution above 4x4 a residual block (two 3x3
    convolutions and 2x average pooling, plus a 1x1 skip on the pooled input,
    summed and scaled by `1 / sqrt(2)`), then minibatch standard deviation, a
    3x3 convolution, an equalized dense layer and a linear output. All layers
    use equalized learning rate.

    Args:
        resolution: input resolution (power of 2, >= 4).
        channels: image channels.
        filters: int or one int per resolution (4x4 first).
        group_size: minibatch standard deviation group size.
        name: model name.

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of StyleGAN",
        CVPR 2020, Figure 7 ("resnet" discriminator).
    """
    num_levels = levels_for_resolution(resolution)
    filters = filters_per_level(filters, num_levels)
    images = keras.Input((resolution, resolution, channels), name="images")
    x = EqualizedConv2D(filters[-1], 1, activation="leaky_relu", name="from_rgb")(images)
    for level in range(num_levels - 1, 0, -1):
        skip = keras.layers.AveragePooling2D(2, name=f"skip_pool{level}")(x)
        skip = EqualizedConv2D(filters[level - 1], 1, use_bias=False, gain=1.0, name=f"skip{level}")(skip)
        h = EqualizedConv2D(filters[level], 3, activation="leaky_relu", name=f"block{level}_conv0")(x)
        h = EqualizedConv2D(filters[level - 1], 3, activation="leaky_relu", name=f"block{level}_conv1")(h)
        h = keras.layers.AveragePooling2D(2, name=f"block{level}_pool")(h)
        x = keras.layers.Add(name=f"block{level}_add")([h, skip])
        x = keras.layers.Rescaling(1.0 / SQRT2, name=f"block{level}_scale")(x)
    x = MinibatchStdDev(group_size=group_size, name="minibatch_std")(x)
    x = EqualizedConv2D(filters[0], 3, activation="leaky_relu", name="final_conv")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    x = EqualizedDense(filters[0], activation="leaky_relu", name="final_dense")(x)
    logits = EqualizedDense(1, gain=1.0, name="logits")(x)
    return keras.Model(images, logits, name=name)
