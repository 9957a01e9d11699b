import keras
from keras import ops

from keras_gans.layers.spectral_normalization import SpectralNormalization


@keras.saving.register_keras_serializable(package="keras_gans")
class SelfAttention(keras.layers.Layer):
    """Self-attention (non-local) block of SAGAN for `(batch, H, W, C)` maps.

    With the paper's names and `N = H * W` positions:
    `f(x)`, `g(x)` are 1x1 convolutions to `key_channels` channels and
    `h(x)` a 1x1 convolution to `value_channels` channels;
    `beta[j, i] = softmax_i(f(x_i) . g(x_j))` is the attention of output
    position `j` over input positions `i`; `o_j = v(sum_i beta[j, i] h(x_i))`
    where `v` is a 1x1 convolution back to `C` channels; and the output is
    `x + gamma * o` with the learnable scalar `gamma` initialised to 0, so
    the block starts as the identity.

    Channel widths: by default `key_channels = C // 8` (as in the paper) and
    `value_channels = C // 2` (as in the authors' released code and BigGAN;
    the paper's text uses `C`); pass `value_channels=C` for the latter.
    Unlike the released code, `g` and `h` are not max-pooled. The attention
    softmax is computed in float32. Inputs must be `channels_last`.

    Args:
        key_channels: int, channels of `f` and `g`. Defaults to `C // 8`
            (at least 1).
        value_channels: int, channels of `h`. Defaults to `C // 2`
            (at least 1).
        spectral_norm: bool, wrap the four 1x1 convolutions in
            `SpectralNormalization` (as SAGAN does in both networks).
            Defaults to `False`.
        kernel_initializer: initializer of the convolution kernels.
            Defaults to `"glorot_uniform"`.
        **kwargs: base layer keyword arguments (`name`, `dtype`, ...).

    Example:

    ```python
    import numpy as np
    from keras_gans.layers import SelfAttention

    x = np.random.normal(size=(2, 8, 8, 32)).astype("float32")
    y = SelfAttention(spectral_norm=True)(x)  # (2, 8, 8, 32), equal to x at init
    ```

    Reference:
        - [Zhang et al., 2019](https://arxiv.org/abs/1805.08318),
          "Self-Attention Generative Adversarial Networks".
    """

    def __init__(
        self,
        key_channels=None,
        value_channels=None,
        spectral_norm=False,
        kernel_initializer="glorot_uniform",
        **kwargs,
    ):
        super().__init__(**kwargs)
        for arg_name, value in (
            ("key_channels", key_channels),
            ("value_channels", value_channels),
        ):
            if value is not None and int(value) < 1:
                raise ValueError(
                    f"`{arg_name}` must be a positive integer or None. Received: {arg_name}={value}"
                )
        self.key_channels = key_channels
        self.value_channels = value_channels
        self.spectral_norm = bool(spectral_norm)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)

    def _conv(self, filters, name):
        conv = keras.layers.Conv2D(
            filters,
            1,
            kernel_initializer=self.kernel_initializer,
            dtype=self.dtype_policy,
            name=name,
        )
        if self.spectral_norm:
            return SpectralNormalization(conv, dtype=self.dtype_policy, name=f"sn_{name}")
        return conv

    def build(self, input_shape):
        if len(input_shape) != 4 or input_shape[-1] is None:
            raise ValueError(
                "SelfAttention expects inputs of shape (batch, height, width, "
                f"channels) with known channels. Received: {input_shape}"
            )
        channels = input_shape[-1]
        key_channels = self.key_channels or max(channels // 8, 1)
        value_channels = self.value_channels or max(channels // 2, 1)
        # Paper names: f (keys), g (queries), h (values), v (output).
        self.f_conv = self._conv(key_channels, "f_conv")
        self.g_conv = self._conv(key_channels, "g_conv")
        self.h_conv = self._conv(value_channels, "h_conv")
        self.v_conv = self._conv(channels, "v_conv")
        self.f_conv.build(input_shape)
        self.g_conv.build(input_shape)
        self.h_conv.build(input_shape)
        self.v_conv.build(tuple(input_shape[:-1]) + (value_channels,))
        self.gamma = self.add_weight(name="gamma", shape=(), initializer="zeros", trainable=True)
        self.built = True

    def call(self, inputs, training=None):
        shape = ops.shape(inputs)
        batch, height, width = shape[0], shape[1], shape[2]

        def flatten(t):
            return ops.reshape(t, (batch, height * width, ops.shape(t)[-1]))

        keys = flatten(self.f_conv(inputs, training=training))
        queries = flatten(self.g_conv(inputs, training=training))
        values = flatten(self.h_conv(inputs, training=training))
        logits = ops.matmul(queries, ops.transpose(keys, (0, 2, 1)))
        beta = ops.softmax(ops.cast(logits, "float32"), axis=-1)
        attended = ops.matmul(ops.cast(beta, values.dtype), values)
        attended = ops.reshape(attended, (batch, height, width, ops.shape(values)[-1]))
        o = self.v_conv(attended, training=training)
        return inputs + ops.cast(self.gamma, o.dtype) * o

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "key_channels": self.key_channels,
                "value_channels": self.value_channels,
                "spectral_norm": self.spectral_norm,
                "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            }
        )
        return config
