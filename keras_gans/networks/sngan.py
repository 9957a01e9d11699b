"""The "standard CNN" of SNGAN (Miyato et al. 2018, Table 3), optionally with SAGAN attention."""

import keras

from keras_gans.layers.self_attention import SelfAttention
from keras_gans.layers.spectral_normalization import SpectralNormalization
from keras_gans.networks.dcgan import check_image_shape
from keras_gans.networks.dcgan import check_positive_int

LEAKY_RELU_SLOPE = 0.1
BATCH_NORM_MOMENTUM = 0.9
NORM_EPSILON = 1e-5
MAX_UPSAMPLINGS = 3


def sngan_base_grid(image_shape):
    """`(base_height, base_width, num_upsamplings)` of the SNGAN generator.

    Table 3 of Miyato et al. up-samples 3 times from `M_g = side / 8` (4 for
    32x32, 6 for 48x48). Sides that are not multiples of 8 up-sample as many
    times as they can be halved (28 -> 7 with 2). Height and width need the same
    number of up-samplings.

    Example:

    >>> sngan_base_grid((32, 32, 3))
    (4, 4, 3)
    >>> sngan_base_grid((28, 28, 1))
    (7, 7, 2)
    """
    height, width, _ = check_image_shape(image_shape)

    def halvings(side):
        steps = 0
        while side % 2 == 0 and steps < MAX_UPSAMPLINGS:
            side //= 2
            steps += 1
        return side, steps

    base_height, steps_h = halvings(height)
    base_width, steps_w = halvings(width)
    if steps_h != steps_w or steps_h == 0:
        raise ValueError(
            "SNGAN image height and width must be even and halve the same number of times (up "
            f"to {MAX_UPSAMPLINGS}); got image_shape={tuple(image_shape)!r}."
        )
    return base_height, base_width, steps_h


def _maybe_sn(layer, spectral_norm):
    if not spectral_norm:
        return layer
    return SpectralNormalization(layer, dtype=layer.dtype_policy, name=f"sn_{layer.name}")


def _check_attention_resolution(attention_resolution, resolutions, network):
    if attention_resolution is None:
        return None
    if attention_resolution not in resolutions:
        raise ValueError(
            f"attention_resolution={attention_resolution!r} is not a feature-map size of the "
            f"{network}; choose one of {sorted(set(resolutions))}."
        )
    return int(attention_resolution)


def sngan_generator(
    latent_dim=128,
    image_shape=(32, 32, 3),
    filters=64,
    spectral_norm=False,
    attention_resolution=None,
    name="generator",
):
    """SNGAN standard-CNN generator (Miyato et al. 2018, Table 3).

    With `(M_h, M_w, n)` from `sngan_base_grid` and `F = filters`:

    1. `Input((latent_dim,))` named `"z"`.
    2. `Dense(M_h * M_w * F * 2**n)` -> `BatchNormalization` -> `ReLU` -> reshape.
    3. `n` times: `Conv2DTranspose(F * 2**(n - i), 4, strides=2, padding="same")` ->
       `BatchNormalization` -> `ReLU`, for `i = 1 .. n` (256, 128, 64 channels for
       32x32 images and `F = 64`).
    4. `Conv2D(channels, 3, padding="same")` -> `tanh`, both float32 also under
       mixed precision.

    With `spectral_norm=True` every dense and convolution kernel is wrapped in
    `SpectralNormalization` (as SAGAN does in its generator). With
    `attention_resolution=r` a `SelfAttention` block (spectral-normalized when
    `spectral_norm`) follows the first block whose feature maps are `r x r`.

    Args:
        latent_dim: size of `z` (128 in the paper).
        image_shape: `(height, width, channels)`, e.g. `(32, 32, 3)` or `(28, 28, 1)`.
        filters: `F`, the channels of the last up-sampling block (64 in the paper).
        spectral_norm: spectral-normalize the generator's layers.
        attention_resolution: feature-map side where self-attention is inserted,
            or `None`.
        name: name of the model.

    Returns:
        A functional `keras.Model` `(batch, latent_dim) -> (batch, *image_shape)`
        with float32 outputs in [-1, 1].

    Example:

    ```python
    generator = keras_gans.networks.sngan.sngan_generator(128, (32, 32, 3))
    ```

    Reference:
        Miyato et al., "Spectral Normalization for Generative Adversarial
        Networks", ICLR 2018, Table 3 (a).
        Zhang et al., "Self-Attention Generative Adversarial Networks", ICML 2019.
    """
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    filters = check_positive_int(filters, "filters")
    image_shape = check_image_shape(image_shape)
    base_height, base_width, steps = sngan_base_grid(image_shape)
    resolutions = [base_height * 2**i for i in range(steps + 1)]
    attention_resolution = _check_attention_resolution(attention_resolution, resolutions, "generator")
    attended = False

    def maybe_attend(x, side):
        nonlocal attended
        if attention_resolution == side and not attended:
            attended = True
            x = SelfAttention(spectral_norm=spectral_norm, name=f"attention_{side}")(x)
        return x

    base_filters = filters * 2**steps
    z = keras.Input((latent_dim,), name="z")
    projection = keras.layers.Dense(base_height * base_width * base_filters, name="projection")
    x = _maybe_sn(projection, spectral_norm)(z)
    x = _batch_norm("projection_bn")(x)
    x = keras.layers.ReLU(name="projection_relu")(x)
    x = keras.layers.Reshape((base_height, base_width, base_filters), name="projection_reshape")(x)
    x = maybe_attend(x, base_height)
    for step in range(1, steps + 1):
        conv = keras.layers.Conv2DTranspose(
            base_filters // 2**step, 4, strides=2, padding="same", name=f"up_{step}_conv"
        )
        x = _maybe_sn(conv, spectral_norm)(x)
        x = _batch_norm(f"up_{step}_bn")(x)
        x = keras.layers.ReLU(name=f"up_{step}_relu")(x)
        x = maybe_attend(x, base_height * 2**step)
    # The last convolution runs in float32 under mixed precision, like the output.
    output_conv = keras.layers.Conv2D(image_shape[-1], 3, padding="same", dtype="float32", name="output_conv")
    x = _maybe_sn(output_conv, spectral_norm)(x)
    images = keras.layers.Activation("tanh", dtype="float32", name="output_tanh")(x)
    return keras.Model(z, images, name=name)


def sngan_discriminator(
    image_shape=(32, 32, 3),
    filters=64,
    spectral_norm=True,
    attention_resolution=None,
    name="discriminator",
):
    """SNGAN standard-CNN discriminator (Miyato et al. 2018, Table 3).

    With `F = filters` (64 in the paper), every layer spectral-normalized and
    LeakyReLU(0.1) after each convolution:

    1. `Conv2D(F, 3, 1)`, `Conv2D(F, 4, 2)`,
    2. `Conv2D(2F, 3, 1)`, `Conv2D(2F, 4, 2)`,
    3. `Conv2D(4F, 3, 1)`, `Conv2D(4F, 4, 2)`,
    4. `Conv2D(8F, 3, 1)`, then `Flatten` -> `Dense(1)` (float32 logit).

    All convolutions use `"same"` padding, so 32x32 inputs end at 4x4 and 28x28 at
    4x4. With `attention_resolution=r` a `SelfAttention` block follows the first
    layer whose output is `r x r`.

    Args:
        image_shape: `(height, width, channels)` of the inputs.
        filters: `F`, the channels of the first convolutions.
        spectral_norm: spectral-normalize every layer (the point of SNGAN; turn
            off only for ablations).
        attention_resolution: feature-map side where self-attention is inserted,
            or `None`.
        name: name of the model.

    Returns:
        A functional `keras.Model` `(batch, *image_shape) -> (batch, 1)` logits.

    Example:

    ```python
    discriminator = keras_gans.networks.sngan.sngan_discriminator((32, 32, 3))
    ```

    Reference:
        Miyato et al., "Spectral Normalization for Generative Adversarial
        Networks", ICLR 2018, Table 3 (b).
    """
    image_shape = check_image_shape(image_shape)
    filters = check_positive_int(filters, "filters")
    side = image_shape[0]
    layout = []  # (filters, kernel, strides)
    for stage in range(3):
        layout.append((filters * 2**stage, 3, 1))
        layout.append((filters * 2**stage, 4, 2))
    layout.append((filters * 8, 3, 1))
    resolutions, current = [], side
    for _, _, strides in layout:
        current = -(-current // strides)
        resolutions.append(current)
    attention_resolution = _check_attention_resolution(attention_resolution, resolutions, "discriminator")
    attended = False

    images = keras.Input(image_shape, name="images")
    x = images
    for index, ((width, kernel, strides), resolution) in enumerate(zip(layout, resolutions), start=1):
        conv = keras.layers.Conv2D(width, kernel, strides=strides, padding="same", name=f"conv_{index}")
        x = _maybe_sn(conv, spectral_norm)(x)
        x = keras.layers.LeakyReLU(negative_slope=LEAKY_RELU_SLOPE, name=f"conv_{index}_lrelu")(x)
        if attention_resolution == resolution and not attended:
            attended = True
            x = SelfAttention(spectral_norm=spectral_norm, name=f"attention_{resolution}")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    logits = _maybe_sn(keras.layers.Dense(1, dtype="float32", name="logits"), spectral_norm)(x)
    return keras.Model(images, logits, name=name)


def has_spectral_normalization(model):
    """Whether any layer of `model` (nested ones included) is spectral-normalized."""
    return any(isinstance(layer, SpectralNormalization) for layer in model._flatten_layers(include_self=True))


def _batch_norm(name):
    return keras.layers.BatchNormalization(momentum=BATCH_NORM_MOMENTUM, epsilon=NORM_EPSILON, name=name)
