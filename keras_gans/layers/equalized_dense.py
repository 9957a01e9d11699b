import math

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class EqualizedDense(keras.layers.Layer):
    """Dense layer with an equalized learning rate (ProGAN / StyleGAN).

    The kernel is stored with a unit-variance initialisation and rescaled at
    runtime by `gain / sqrt(fan_in)` (He's constant, applied on every call
    instead of once at initialisation), so adaptive optimizers such as Adam
    update every layer at the same effective speed.

    `lr_multiplier` (StyleGAN's mapping network uses 0.01) slows a layer
    down: the kernel is initialised from `N(0, 1 / lr_multiplier ** 2)`,
    the runtime kernel scale becomes `lr_multiplier * gain / sqrt(fan_in)`
    and the bias is multiplied by `lr_multiplier`. With the default `1.0`,
    the kernel is initialised from `N(0, 1)`.

    Args:
        units: int, output width.
        gain: float, the gain of the runtime scale. Defaults to `sqrt(2)`
            (for (leaky) ReLU); use `1.0` for linear outputs.
        lr_multiplier: float, learning-rate multiplier. Defaults to `1.0`.
        use_bias: bool, whether to add a bias. Defaults to `True`.
        bias_initializer: initializer of the (unscaled) bias. Defaults to
            `"zeros"`.
        activation: activation function or name. Defaults to `None`.
        **kwargs: base layer keyword arguments (`name`, `dtype`, ...).

    Example:

    ```python
    import numpy as np
    from keras_gans.layers import EqualizedDense

    z = np.random.normal(size=(4, 512)).astype("float32")
    w = EqualizedDense(512, lr_multiplier=0.01, activation="leaky_relu")(z)
    ```

    Reference:
        - [Karras et al., 2018](https://arxiv.org/abs/1710.10196),
          "Progressive Growing of GANs for Improved Quality, Stability,
          and Variation", section 4.1.
    """

    def __init__(
        self,
        units,
        gain=math.sqrt(2.0),
        lr_multiplier=1.0,
        use_bias=True,
        bias_initializer="zeros",
        activation=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if int(units) < 1:
            raise ValueError(f"`units` must be a positive integer. Received: units={units}")
        if lr_multiplier <= 0:
            raise ValueError(f"`lr_multiplier` must be positive. Received: lr_multiplier={lr_multiplier}")
        self.units = int(units)
        self.gain = float(gain)
        self.lr_multiplier = float(lr_multiplier)
        self.use_bias = bool(use_bias)
        self.bias_initializer = keras.initializers.get(bias_initializer)
        self.activation = keras.activations.get(activation)

    def build(self, input_shape):
        fan_in = input_shape[-1]
        if fan_in is None:
            raise ValueError(
                f"EqualizedDense needs a known last input dimension. Received: input_shape={input_shape}"
            )
        add_equalized_weights(self, (fan_in, self.units), fan_in)
        self.built = True

    def call(self, inputs):
        outputs = ops.matmul(inputs, self.kernel * self.kernel_scale)
        if self.use_bias:
            outputs = outputs + self.bias * self.lr_multiplier
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "units": self.units,
                "gain": self.gain,
                "lr_multiplier": self.lr_multiplier,
                "use_bias": self.use_bias,
                "bias_initializer": keras.initializers.serialize(self.bias_initializer),
                "activation": keras.activations.serialize(self.activation),
            }
        )
        return config


def add_equalized_weights(layer, kernel_shape, fan_in):
    """Creates `layer.kernel` (N(0, 1/lr_multiplier)) and `layer.bias`, and sets
    `layer.kernel_scale = lr_multiplier * gain / sqrt(fan_in)`, the He constant
    applied at run time (shared by `EqualizedDense` and `EqualizedConv2D`)."""
    layer.kernel_scale = layer.lr_multiplier * layer.gain / math.sqrt(fan_in)
    layer.kernel = layer.add_weight(
        name="kernel",
        shape=tuple(kernel_shape),
        initializer=keras.initializers.RandomNormal(stddev=1.0 / layer.lr_multiplier),
        trainable=True,
    )
    if layer.use_bias:
        layer.bias = layer.add_weight(
            name="bias",
            shape=(kernel_shape[-1],),
            initializer=layer.bias_initializer,
            trainable=True,
        )
