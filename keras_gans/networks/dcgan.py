"""DCGAN generator and discriminator (Radford et al., 2016) as functional models."""

import numbers

import keras

# DCGAN guidelines: weights drawn from N(0, 0.02), batch-norm scales from N(1, 0.02).
# Batch and layer norm use PyTorch's defaults (epsilon 1e-5, running-average factor 0.1,
# i.e. Keras momentum 0.9), as the original Torch DCGAN did, so that a same-architecture
# PyTorch reference computes the same function.
KERNEL_STDDEV = 0.02
NORM_EPSILON = 1e-5
BATCH_NORM_MOMENTUM = 0.9
LEAKY_RELU_SLOPE = 0.2
KERNEL_SIZE = 4
NORMALIZATIONS = ("batch", "layer", None)


def _kernel_initializer():
    return keras.initializers.RandomNormal(mean=0.0, stddev=KERNEL_STDDEV)


def _gamma_initializer():
    return keras.initializers.RandomNormal(mean=1.0, stddev=KERNEL_STDDEV)


def check_positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
    return int(value)


def check_image_shape(image_shape):
    try:
        dims = tuple(image_shape)
    except TypeError:
        dims = None
    if (
        dims is None
        or len(dims) != 3
        or any(isinstance(d, bool) or not isinstance(d, numbers.Integral) or d < 1 for d in dims)
    ):
        raise ValueError(
            "`image_shape` must be (height, width, channels) with positive integers. "
            f"Received: image_shape={image_shape!r}"
        )
    return tuple(int(d) for d in dims)


def _side_halvings(side):
    """Halves `side` while it is even and above 4; returns (base side, number of halvings)."""
    steps = 0
    while side % 2 == 0 and side > 4:
        side //= 2
        steps += 1
    return side, steps


def dcgan_base_grid(image_shape):
    """Returns `(base_height, base_width, num_steps)` of the DCGAN pyramid for an image shape.

    Each side is halved while it is even and larger than 4: 28 -> 7 (2 steps), 32 -> 4 (3),
    64 -> 4 (4), 128 -> 4 (5). The generator starts from the base grid and doubles it
    `num_steps` times; the discriminator halves the image `num_steps` times.

    Args:
        image_shape: `(height, width, channels)`. Height and width must be multiples of 4,
            at least 8, and need the same number of halvings.

    Returns:
        A tuple `(base_height, base_width, num_steps)`.

    Example:

    ```python
    keras_gans.networks.dcgan_base_grid((28, 28, 1))  # (7, 7, 2)
    keras_gans.networks.dcgan_base_grid((28, 20, 3))  # (7, 5, 2)
    ```
    """
    height, width, _ = check_image_shape(image_shape)
    for side_name, side in (("height", height), ("width", width)):
        if side % 4 != 0 or side < 8:
            raise ValueError(
                f"DCGAN image sides must be multiples of 4 and at least 8; the image {side_name} "
                f"is {side}. Received: image_shape={tuple(image_shape)!r}"
            )
    base_height, height_steps = _side_halvings(height)
    base_width, width_steps = _side_halvings(width)
    if height_steps != width_steps:
        raise ValueError(
            "DCGAN image height and width must need the same number of halvings to reach their "
            f"base grid, but height {height} -> {base_height} takes {height_steps} and width "
            f"{width} -> {base_width} takes {width_steps}. "
            f"Received: image_shape={tuple(image_shape)!r}"
        )
    return base_height, base_width, height_steps


def dcgan_generator(latent_dim=100, image_shape=(28, 28, 1), filters=64, name="generator"):
    """DCGAN generator: a projected latent vector up-sampled by strided transposed convolutions.

    With `(s0_h, s0_w, n)` from `dcgan_base_grid(image_shape)` (28 -> 7 with n=2,
    32 -> 4 with n=3, 64 -> 4 with n=4, 128 -> 4 with n=5) and `F = filters`, the layers are:

    1. `Input((latent_dim,))` named `"z"`.
    2. `Dense(s0_h * s0_w * F * 2**(n-1), use_bias=False)` -> `BatchNormalization` (per
       feature of the flat vector) -> `ReLU`.
    3. `Reshape((s0_h, s0_w, F * 2**(n-1)))`.
    4. For `i = 1 .. n-1`: `Conv2DTranspose(F * 2**(n-1-i), 4, strides=2, padding="same",
       use_bias=False)` -> `BatchNormalization` -> `ReLU`. The last of these blocks has `F`
       channels.
    5. `Conv2DTranspose(channels, 4, strides=2, padding="same")` (with bias) ->
       `Activation("tanh", dtype="float32")`.

    Kernels are drawn from N(0, 0.02), batch-norm `gamma` from N(1, 0.02) and `beta` is zero.
    Batch norm uses `epsilon=1e-5, momentum=0.9` (PyTorch's defaults). A transposed
    convolution here equals PyTorch's `ConvTranspose2d(kernel_size=4, stride=2, padding=1)`.
    The output is float32 in [-1, 1], also under a mixed-precision policy.

    Args:
        latent_dim: int. Size of the latent vector `z`.
        image_shape: `(height, width, channels)` of the generated images. Sides must be
            multiples of 4, at least 8, and need the same number of halvings.
        filters: int. Channels of the last hidden block; they double at each earlier block.
        name: str. Name of the model.

    Returns:
        A functional `keras.Model` mapping `(batch, latent_dim)` to
        `(batch, height, width, channels)`.

    Example:

    ```python
    generator = keras_gans.networks.dcgan_generator(latent_dim=100, image_shape=(64, 64, 3))
    images = generator(keras.random.normal((16, 100)))  # (16, 64, 64, 3) in [-1, 1]
    ```

    Reference:
        - [Radford et al., 2016](https://arxiv.org/abs/1511.06434), "Unsupervised
          Representation Learning with Deep Convolutional Generative Adversarial Networks".
    """
    latent_dim = check_positive_int(latent_dim, "latent_dim")
    filters = check_positive_int(filters, "filters")
    image_shape = check_image_shape(image_shape)
    base_height, base_width, num_steps = dcgan_base_grid(image_shape)
    channels = image_shape[-1]
    base_filters = filters * 2 ** (num_steps - 1)

    z = keras.Input(shape=(latent_dim,), name="z")
    x = keras.layers.Dense(
        base_height * base_width * base_filters,
        use_bias=False,
        kernel_initializer=_kernel_initializer(),
        name="projection",
    )(z)
    x = _batch_norm("projection_bn")(x)
    x = keras.layers.ReLU(name="projection_relu")(x)
    x = keras.layers.Reshape((base_height, base_width, base_filters), name="projection_reshape")(x)
    for step in range(1, num_steps):
        x = keras.layers.Conv2DTranspose(
            base_filters // 2**step,
            KERNEL_SIZE,
            strides=2,
            padding="same",
            use_bias=False,
            kernel_initializer=_kernel_initializer(),
            name=f"up_{step}_conv",
        )(x)
        x = _batch_norm(f"up_{step}_bn")(x)
        x = keras.layers.ReLU(name=f"up_{step}_relu")(x)
    x = keras.layers.Conv2DTranspose(
        channels,
        KERNEL_SIZE,
        strides=2,
        padding="same",
        kernel_initializer=_kernel_initializer(),
        name="output_conv",
    )(x)
    images = keras.layers.Activation("tanh", dtype="float32", name="output_tanh")(x)
    return keras.Model(z, images, name=name)


def dcgan_discriminator(image_shape=(28, 28, 1), filters=64, normalization="batch", name="discriminator"):
    """DCGAN discriminator: strided convolutions with LeakyReLU, then a linear logit.

    With `n` from `dcgan_base_grid(image_shape)` (28 -> 14 -> 7: n=2; 32 -> 4: n=3;
    64 -> 4: n=4; 128 -> 4: n=5) and `F = filters`, the layers are:

    1. `Input(image_shape)` named `"images"`.
    2. `Conv2D(F, 4, strides=2, padding="same")` (with bias, no normalization) ->
       `LeakyReLU(0.2)`.
    3. For `i = 1 .. n-1`: `Conv2D(F * 2**i, 4, strides=2, padding="same")` -> normalization
       -> `LeakyReLU(0.2)`. With a normalization the convolution has no bias.
    4. `Flatten` -> `Dense(1, dtype="float32")`: one unbounded logit per image.

    `normalization="batch"` is `BatchNormalization(epsilon=1e-5, momentum=0.9)` with `gamma`
    from N(1, 0.02). `normalization="layer"` is `LayerNormalization(axis=(-3, -2, -1),
    epsilon=1e-5)`: each sample is normalized over height, width and channels, with an
    element-wise scale and offset (PyTorch's `nn.LayerNorm((C, H, W))`). Use `"layer"` or
    `None` for WGAN-GP critics: batch norm mixes the samples of a batch and so breaks the
    per-sample gradient penalty. There is no pooling and no hidden dense layer; all kernels
    are drawn from N(0, 0.02).

    Args:
        image_shape: `(height, width, channels)` of the input images. Sides must be
            multiples of 4, at least 8, and need the same number of halvings.
        filters: int. Channels of the first convolution; they double at each later block.
        normalization: one of `"batch"`, `"layer"` or `None`.
        name: str. Name of the model.

    Returns:
        A functional `keras.Model` mapping `(batch, height, width, channels)` to float32
        logits of shape `(batch, 1)`.

    Example:

    ```python
    critic = keras_gans.networks.dcgan_discriminator((64, 64, 3), normalization="layer")
    logits = critic(keras.random.uniform((16, 64, 64, 3), -1, 1))  # (16, 1)
    ```

    Reference:
        - [Radford et al., 2016](https://arxiv.org/abs/1511.06434), "Unsupervised
          Representation Learning with Deep Convolutional Generative Adversarial Networks".
        - [Gulrajani et al., 2017](https://arxiv.org/abs/1704.00028), "Improved Training of
          Wasserstein GANs" (layer norm instead of batch norm in the critic).
    """
    image_shape = check_image_shape(image_shape)
    filters = check_positive_int(filters, "filters")
    if normalization not in NORMALIZATIONS:
        raise ValueError(
            f"`normalization` must be one of {NORMALIZATIONS}. Received: normalization={normalization!r}"
        )
    _, _, num_steps = dcgan_base_grid(image_shape)

    images = keras.Input(shape=image_shape, name="images")
    x = images
    for step in range(num_steps):
        normalized = step > 0 and normalization is not None
        x = keras.layers.Conv2D(
            filters * 2**step,
            KERNEL_SIZE,
            strides=2,
            padding="same",
            use_bias=not normalized,
            kernel_initializer=_kernel_initializer(),
            name=f"down_{step + 1}_conv",
        )(x)
        if normalized and normalization == "batch":
            x = _batch_norm(f"down_{step + 1}_bn")(x)
        elif normalized and normalization == "layer":
            x = keras.layers.LayerNormalization(
                axis=(-3, -2, -1), epsilon=NORM_EPSILON, name=f"down_{step + 1}_ln"
            )(x)
        x = keras.layers.LeakyReLU(negative_slope=LEAKY_RELU_SLOPE, name=f"down_{step + 1}_lrelu")(x)
    x = keras.layers.Flatten(name="flatten")(x)
    logits = keras.layers.Dense(1, kernel_initializer=_kernel_initializer(), dtype="float32", name="logits")(
        x
    )
    return keras.Model(images, logits, name=name)


def _batch_norm(name):
    return keras.layers.BatchNormalization(
        momentum=BATCH_NORM_MOMENTUM,
        epsilon=NORM_EPSILON,
        gamma_initializer=_gamma_initializer(),
        name=name,
    )
