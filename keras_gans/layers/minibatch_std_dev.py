import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class MinibatchStdDev(keras.layers.Layer):
    """Minibatch standard deviation feature maps (ProGAN / StyleGAN).

    For `channels_last` inputs `(N, H, W, C)`, the batch is split into
    groups of `G = min(group_size, N)` samples. Within each group, the
    standard deviation of every feature over the group's samples is taken,
    averaged over height, width and the channels of each of
    `num_features` channel slices, and appended to each sample of the group
    as `num_features` constant feature maps: the output has shape
    `(N, H, W, C + num_features)`.

    Grouping is strided, as in the StyleGAN code: sample `n` belongs to
    group `n % (N // G)`. `N` must be divisible by `G` and `C` by
    `num_features`; a `ValueError` is raised when the batch size is known
    when the layer is called (eagerly, or traced with a fixed batch size).
    The statistics are computed in float32.

    Args:
        group_size: int, maximum number of samples per group. Defaults to
            `4`.
        num_features: int, number of channel slices, each giving one
            appended feature map. Defaults to `1` (ProGAN).
        epsilon: float, added to the variance before the square root.
            Defaults to `1e-8`.
        **kwargs: base layer keyword arguments (`name`, `dtype`, ...).

    Example:

    ```python
    import numpy as np
    from keras_gans.layers import MinibatchStdDev

    x = np.random.normal(size=(8, 4, 4, 16)).astype("float32")
    y = MinibatchStdDev(group_size=4)(x)  # (8, 4, 4, 17)
    ```

    Reference:
        - [Karras et al., 2018](https://arxiv.org/abs/1710.10196),
          "Progressive Growing of GANs for Improved Quality, Stability,
          and Variation".
    """

    def __init__(self, group_size=4, num_features=1, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        for arg_name, value in (
            ("group_size", group_size),
            ("num_features", num_features),
        ):
            if int(value) < 1:
                raise ValueError(f"`{arg_name}` must be a positive integer. Received: {arg_name}={value}")
        self.group_size = int(group_size)
        self.num_features = int(num_features)
        self.epsilon = epsilon

    def build(self, input_shape):
        if len(input_shape) != 4 or input_shape[-1] is None:
            raise ValueError(
                "MinibatchStdDev expects inputs of shape (batch, height, "
                f"width, channels) with known channels. Received: {input_shape}"
            )
        if input_shape[-1] % self.num_features != 0:
            raise ValueError(
                f"The number of channels ({input_shape[-1]}) must be divisible "
                f"by `num_features` ({self.num_features})."
            )
        self.built = True

    def call(self, inputs):
        shape = ops.shape(inputs)
        batch, height, width, channels = shape[0], shape[1], shape[2], shape[3]
        if isinstance(batch, int):
            group_size = min(self.group_size, batch)
            if batch % group_size != 0:
                raise ValueError(
                    f"The batch size ({batch}) must be divisible by the group "
                    f"size min(group_size={self.group_size}, batch) = "
                    f"{group_size}."
                )
        else:
            group_size = ops.minimum(self.group_size, batch)
        x = ops.cast(inputs, "float32")
        # (G, N // G, H, W, F, C // F): sample n is x[n // M, n % M] (M = N // G).
        x = ops.reshape(
            x,
            (
                group_size,
                -1,
                height,
                width,
                self.num_features,
                channels // self.num_features,
            ),
        )
        variance = ops.mean(ops.square(x - ops.mean(x, axis=0, keepdims=True)), axis=0)
        std = ops.sqrt(variance + self.epsilon)
        std = ops.mean(std, axis=(1, 2, 4))  # (N // G, F)
        std = ops.reshape(std, (-1, 1, 1, self.num_features))
        std = ops.tile(std, (group_size, height, width, 1))
        return ops.concatenate([inputs, ops.cast(std, inputs.dtype)], axis=-1)

    def compute_output_shape(self, input_shape):
        channels = input_shape[-1]
        return tuple(input_shape[:-1]) + (channels + self.num_features,)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "group_size": self.group_size,
                "num_features": self.num_features,
                "epsilon": self.epsilon,
            }
        )
        return config
