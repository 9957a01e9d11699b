import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class PixelNormalization(keras.layers.Layer):
    """Pixelwise feature vector normalization (ProGAN).

    Each feature vector (the values along `axis`, the channels by default)
    is scaled to unit root mean square:
    `x / sqrt(mean(x ** 2, axis) + epsilon)`. It has no weights. ProGAN's
    generator applies it after each convolution instead of batch
    normalization. The statistic is computed in float32.

    Args:
        epsilon: float, added to the mean square. Defaults to `1e-8`.
        axis: int, the channel axis. Defaults to `-1`.
        **kwargs: base layer keyword arguments (`name`, `dtype`, ...).

    Example:

    ```python
    import numpy as np
    from keras_gans.layers import PixelNormalization

    x = np.random.normal(size=(2, 4, 4, 8)).astype("float32")
    y = PixelNormalization()(x)  # mean(y ** 2, axis=-1) is close to 1
    ```

    Reference:
        - [Karras et al., 2018](https://arxiv.org/abs/1710.10196),
          "Progressive Growing of GANs for Improved Quality, Stability,
          and Variation".
    """

    def __init__(self, epsilon=1e-8, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if epsilon < 0:
            raise ValueError(f"`epsilon` must be non-negative. Received: epsilon={epsilon}")
        self.epsilon = epsilon
        self.axis = int(axis)

    def build(self, input_shape):
        rank = len(input_shape)
        if not -rank <= self.axis < rank:
            raise ValueError(f"`axis`={self.axis} is out of range for inputs of shape {input_shape}.")
        self.built = True

    def call(self, inputs):
        x = ops.cast(inputs, "float32")
        mean_square = ops.mean(ops.square(x), axis=self.axis, keepdims=True)
        return ops.cast(x * ops.rsqrt(mean_square + self.epsilon), inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"epsilon": self.epsilon, "axis": self.axis})
        return config
