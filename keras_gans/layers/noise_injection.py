import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class NoiseInjection(keras.layers.Layer):
    """Adds per-pixel Gaussian noise with a learned per-channel scale (StyleGAN).

    `y = x + scale[c] * noise`, with one single-channel noise image
    `(N, H, W, 1)` per sample broadcast over the channels, and `scale`
    `(C,)` initialised to 0. The noise depends on `noise_mode` (a call
    argument): `"random"` draws fresh noise (the default in training),
    `"const"` uses a fixed noise image stored in the layer (the default in
    inference, so that sampling is deterministic given the latents) and
    `"none"` adds nothing.

    Args:
        seed: int seed of the random noise and of the constant noise image.
        **kwargs: base layer arguments.

    Example:

    ```python
    layer = NoiseInjection(seed=0)
    y = layer(x, training=True)          # fresh noise
    y = layer(x, noise_mode="const")     # the stored noise image
    ```

    Reference:
        Karras et al., "A Style-Based Generator Architecture for Generative
        Adversarial Networks", CVPR 2019, section 2 ("B" in Figure 1b).
    """

    NOISE_MODES = ("random", "const", "none")

    def __init__(self, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed, name="noise_seed")

    def build(self, input_shape):
        if len(input_shape) != 4 or None in tuple(input_shape[1:]):
            raise ValueError(
                f"NoiseInjection needs (N, H, W, C) inputs with static H, W, C, got {input_shape}."
            )
        _, height, width, channels = input_shape
        self.scale = self.add_weight(name="scale", shape=(channels,), initializer="zeros")
        self.const_noise = self.add_weight(
            name="const_noise",
            shape=(1, height, width, 1),
            initializer=keras.initializers.RandomNormal(stddev=1.0, seed=self.seed),
            trainable=False,
        )
        self.built = True

    def call(self, inputs, training=False, noise_mode=None):
        if noise_mode is None:
            noise_mode = "random" if training else "const"
        if noise_mode not in self.NOISE_MODES:
            raise ValueError(f"noise_mode must be one of {self.NOISE_MODES}, got {noise_mode!r}.")
        if noise_mode == "none":
            return inputs
        if noise_mode == "const":
            noise = self.const_noise
        else:
            shape = ops.shape(inputs)
            noise = keras.random.normal((shape[0], shape[1], shape[2], 1), seed=self.seed_generator)
        return inputs + ops.cast(self.scale, inputs.dtype) * ops.cast(noise, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "seed": self.seed}
