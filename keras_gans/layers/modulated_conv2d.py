import math

import keras
from keras import ops

from keras_gans.layers.equalized_dense import EqualizedDense


@keras.saving.register_keras_serializable(package="keras_gans")
class ModulatedConv2D(keras.layers.Layer):
    """Style-modulated 2D convolution with optional demodulation (StyleGAN2).

    Called on `[x, w]`: images `x` `(N, H, W, C_in)` and style vectors `w`
    `(N, w_dim)`. An equalized dense "affine" layer maps `w` to per-sample
    input-channel scales `s` (bias initialised to 1). The kernel `W` (stored
    `N(0, 1)`, scaled at runtime by `1 / sqrt(k * k * C_in)`) is modulated
    and, with `demodulate=True`, demodulated per sample `b`:

        W'_b[i, j, c, o]  = W[i, j, c, o] * s_b[c]
        W''_b[i, j, c, o] = W'_b[i, j, c, o] / sqrt(sum_{i, j, c} W'_b[i, j, c, o]^2 + epsilon)

    and `y_b = conv(x_b, W''_b) + bias`. It is computed without per-sample
    kernels, as the equivalent `conv(x * s, W) * d` with
    `d_b[o] = 1 / sqrt(sum_c s_b[c]^2 sum_{i,j} W[i, j, c, o]^2 + epsilon)`.
    With `upsample=True` the input is first upsampled 2x (nearest neighbour;
    StyleGAN2 uses a transposed convolution with a blur filter instead).

    Args:
        filters: output channels.
        kernel_size: odd int (the padding is "same").
        demodulate: divide by the per-sample output norm (False for to-RGB layers).
        upsample: upsample the input 2x before the convolution.
        use_bias: add a bias (after demodulation).
        activation: activation function or name applied last.
        epsilon: added under the square root of the demodulation.
        **kwargs: base layer arguments.

    Example:

    ```python
    x = np.random.normal(size=(2, 8, 8, 16)).astype("float32")
    w = np.random.normal(size=(2, 64)).astype("float32")
    y = ModulatedConv2D(32, 3)([x, w])  # (2, 8, 8, 32)
    ```

    Reference:
        Karras et al., "Analyzing and Improving the Image Quality of StyleGAN",
        CVPR 2020, section 2.2 and equations 1-3.
    """

    def __init__(
        self,
        filters,
        kernel_size=3,
        demodulate=True,
        upsample=False,
        use_bias=True,
        activation=None,
        epsilon=1e-8,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if int(filters) < 1:
            raise ValueError(f"`filters` must be a positive integer. Received: filters={filters}")
        if int(kernel_size) < 1 or int(kernel_size) % 2 == 0:
            raise ValueError(f"`kernel_size` must be a positive odd integer. Received: {kernel_size}")
        self.filters = int(filters)
        self.kernel_size = int(kernel_size)
        self.demodulate = bool(demodulate)
        self.upsample = bool(upsample)
        self.use_bias = bool(use_bias)
        self.activation = keras.activations.get(activation)
        self.epsilon = float(epsilon)

    def build(self, input_shape):
        x_shape, w_shape = input_shape
        in_channels = x_shape[-1]
        if in_channels is None or w_shape[-1] is None:
            raise ValueError(f"ModulatedConv2D needs known channels and style size, got {input_shape}.")
        self.in_channels = int(in_channels)
        self.affine = EqualizedDense(self.in_channels, gain=1.0, bias_initializer="ones", name="affine")
        self.affine.build(tuple(w_shape))
        self.kernel_scale = 1.0 / math.sqrt(self.kernel_size * self.kernel_size * self.in_channels)
        self.kernel = self.add_weight(
            name="kernel",
            shape=(self.kernel_size, self.kernel_size, self.in_channels, self.filters),
            initializer=keras.initializers.RandomNormal(stddev=1.0),
        )
        if self.use_bias:
            self.bias = self.add_weight(name="bias", shape=(self.filters,), initializer="zeros")
        self.built = True

    def styles(self, w):
        """The per-sample input-channel scales `s = affine(w)`, `(N, C_in)`."""
        return self.affine(w)

    def call(self, inputs):
        x, w = inputs
        s = self.styles(w)
        kernel = self.kernel * self.kernel_scale
        if self.upsample:
            x = ops.repeat(ops.repeat(x, 2, axis=1), 2, axis=2)
        x = x * ops.cast(s[:, None, None, :], x.dtype)
        y = ops.conv(x, ops.cast(kernel, x.dtype), strides=1, padding="same")
        if self.demodulate:
            kernel_energy = ops.sum(ops.square(kernel), axis=(0, 1))  # (C_in, C_out)
            d = ops.rsqrt(ops.matmul(ops.square(s), kernel_energy) + self.epsilon)  # (N, C_out)
            y = y * ops.cast(d[:, None, None, :], y.dtype)
        if self.use_bias:
            y = y + ops.cast(self.bias, y.dtype)
        if self.activation is not None:
            y = self.activation(y)
        return y

    def compute_output_shape(self, input_shape):
        x_shape = input_shape[0]
        factor = 2 if self.upsample else 1
        spatial = [None if d is None else d * factor for d in x_shape[1:3]]
        return (x_shape[0], *spatial, self.filters)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "demodulate": self.demodulate,
                "upsample": self.upsample,
                "use_bias": self.use_bias,
                "activation": keras.activations.serialize(self.activation),
                "epsilon": self.epsilon,
            }
        )
        return config
