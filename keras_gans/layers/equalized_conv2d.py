import math

import keras
from keras import ops

from keras_gans.layers.equalized_dense import add_equalized_weights


@keras.saving.register_keras_serializable(package="keras_gans")
class EqualizedConv2D(keras.layers.Layer):
    """2D convolution with an equalized learning rate (ProGAN / StyleGAN).

    The kernel is initialised from `N(0, 1 / lr_multiplier ** 2)` (`N(0, 1)`
    by default) and rescaled at runtime by
    `lr_multiplier * gain / sqrt(fan_in)`, with
    `fan_in = kernel_height * kernel_width * input_channels`; the bias is
    multiplied by `lr_multiplier`. See `EqualizedDense` for why.

    Args:
        filters: int, output channels.
        kernel_size: int or tuple of 2 ints.
        strides: int or tuple of 2 ints. Defaults to `1`.
        padding: `"same"` or `"valid"`. Defaults to `"same"`.
        gain: float, the gain of the runtime scale. Defaults to `sqrt(2)`.
        lr_multiplier: float, learning-rate multiplier. Defaults to `1.0`.
        use_bias: bool, whether to add a bias. Defaults to `True`.
        bias_initializer: initializer of the (unscaled) bias. Defaults to
            `"zeros"`.
        activation: activation function or name. Defaults to `None`.
        data_format: `"channels_last"` or `"channels_first"`. Defaults to
            `keras.config.image_data_format()`.
        **kwargs: base layer keyword arguments (`name`, `dtype`, ...).

    Example:

    ```python
    import numpy as np
    from keras_gans.layers import EqualizedConv2D

    x = np.random.normal(size=(2, 8, 8, 16)).astype("float32")
    y = EqualizedConv2D(32, 3, activation="leaky_relu")(x)  # (2, 8, 8, 32)
    ```

    Reference:
        - [Karras et al., 2018](https://arxiv.org/abs/1710.10196),
          "Progressive Growing of GANs for Improved Quality, Stability,
          and Variation", section 4.1.
    """

    def __init__(
        self,
        filters,
        kernel_size,
        strides=1,
        padding="same",
        gain=math.sqrt(2.0),
        lr_multiplier=1.0,
        use_bias=True,
        bias_initializer="zeros",
        activation=None,
        data_format=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if int(filters) < 1:
            raise ValueError(f"`filters` must be a positive integer. Received: filters={filters}")
        padding = str(padding).lower()
        if padding not in ("same", "valid"):
            raise ValueError(f"`padding` must be 'same' or 'valid'. Received: padding={padding}")
        if lr_multiplier <= 0:
            raise ValueError(f"`lr_multiplier` must be positive. Received: lr_multiplier={lr_multiplier}")
        data_format = data_format or keras.config.image_data_format()
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(
                "`data_format` must be 'channels_last' or 'channels_first'. "
                f"Received: data_format={data_format}"
            )
        self.filters = int(filters)
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.strides = _pair(strides, "strides")
        self.padding = padding
        self.gain = float(gain)
        self.lr_multiplier = float(lr_multiplier)
        self.use_bias = bool(use_bias)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.activation = keras.activations.get(activation)
        self.data_format = data_format

    def build(self, input_shape):
        channel_axis = -1 if self.data_format == "channels_last" else 1
        if len(input_shape) != 4 or input_shape[channel_axis] is None:
            raise ValueError(
                f"EqualizedConv2D expects 4D inputs with known channels. Received: input_shape={input_shape}"
            )
        in_channels = input_shape[channel_axis]
        fan_in = self.kernel_size[0] * self.kernel_size[1] * in_channels
        add_equalized_weights(self, self.kernel_size + (in_channels, self.filters), fan_in)
        self.built = True

    def call(self, inputs):
        outputs = ops.conv(
            inputs,
            self.kernel * self.kernel_scale,
            strides=self.strides,
            padding=self.padding,
            data_format=self.data_format,
        )
        if self.use_bias:
            bias = self.bias * self.lr_multiplier
            if self.data_format == "channels_first":
                bias = ops.reshape(bias, (1, self.filters, 1, 1))
            outputs = outputs + bias
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_last":
            spatial = input_shape[1:3]
        else:
            spatial = input_shape[2:4]
        out_spatial = []
        for size, kernel, stride in zip(spatial, self.kernel_size, self.strides):
            if size is None:
                out_spatial.append(None)
            elif self.padding == "same":
                out_spatial.append((size + stride - 1) // stride)
            else:
                out_spatial.append((size - kernel) // stride + 1)
        if self.data_format == "channels_last":
            return (input_shape[0], *out_spatial, self.filters)
        return (input_shape[0], self.filters, *out_spatial)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "filters": self.filters,
                "kernel_size": self.kernel_size,
                "strides": self.strides,
                "padding": self.padding,
                "gain": self.gain,
                "lr_multiplier": self.lr_multiplier,
                "use_bias": self.use_bias,
                "bias_initializer": keras.initializers.serialize(self.bias_initializer),
                "activation": keras.activations.serialize(self.activation),
                "data_format": self.data_format,
            }
        )
        return config


def _pair(value, arg_name):
    if isinstance(value, int):
        return (value, value)
    value = tuple(int(v) for v in value)
    if len(value) != 2:
        raise ValueError(f"`{arg_name}` must be an int or a tuple of 2 ints. Received: {arg_name}={value}")
    return value
