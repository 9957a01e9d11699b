import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class MinibatchDiscrimination(keras.layers.Layer):
    """Minibatch discrimination: lets a discriminator compare samples.

    For features `x` of shape `(batch, A)`, a learned tensor `T` of shape
    `(A, num_kernels, kernel_dim)` gives `M_i = x_i T` of shape
    `(num_kernels, kernel_dim)` per sample. For each kernel `b`,
    `c_b(i, j) = exp(-||M_i,b - M_j,b||_1)` and
    `o(x_i)_b = sum_{j != i} c_b(i, j)`. The output is `[x, o(x)]`, shape
    `(batch, A + num_kernels)`. The sum runs over the *other* samples
    (the paper's sum over all `j` adds the constant `exp(0) = 1`).
    Memory is `O(batch^2 * num_kernels * kernel_dim)`.

    Args:
        num_kernels: int, number of kernels `B` (features added).
        kernel_dim: int, dimension `C` of each kernel's projection.
        kernel_initializer: initializer of `T`. Defaults to
            `"glorot_uniform"`.
        **kwargs: base layer keyword arguments (`name`, `dtype`, ...).

    Example:

    ```python
    import numpy as np
    from keras_gans.layers import MinibatchDiscrimination

    features = np.random.normal(size=(16, 64)).astype("float32")
    y = MinibatchDiscrimination(num_kernels=8, kernel_dim=4)(features)
    # y.shape == (16, 72)
    ```

    Reference:
        - [Salimans et al., 2016](https://arxiv.org/abs/1606.03498),
          "Improved Techniques for Training GANs".
    """

    def __init__(
        self,
        num_kernels,
        kernel_dim,
        kernel_initializer="glorot_uniform",
        **kwargs,
    ):
        super().__init__(**kwargs)
        for arg_name, value in (
            ("num_kernels", num_kernels),
            ("kernel_dim", kernel_dim),
        ):
            if int(value) < 1:
                raise ValueError(f"`{arg_name}` must be a positive integer. Received: {arg_name}={value}")
        self.num_kernels = int(num_kernels)
        self.kernel_dim = int(kernel_dim)
        self.kernel_initializer = keras.initializers.get(kernel_initializer)

    def build(self, input_shape):
        if len(input_shape) != 2 or input_shape[-1] is None:
            raise ValueError(
                "MinibatchDiscrimination expects inputs of shape "
                f"(batch, features) with known features. Received: {input_shape}"
            )
        self.kernel = self.add_weight(
            name="kernel",
            shape=(input_shape[-1], self.num_kernels, self.kernel_dim),
            initializer=self.kernel_initializer,
            trainable=True,
        )
        self.built = True

    def call(self, inputs):
        projections = ops.einsum("na,abc->nbc", inputs, self.kernel)
        # (batch, 1, B, C) - (1, batch, B, C) -> L1 over C: (batch, batch, B)
        distances = ops.sum(
            ops.abs(ops.expand_dims(projections, 1) - ops.expand_dims(projections, 0)),
            axis=-1,
        )
        closeness = ops.sum(ops.exp(-distances), axis=1) - 1.0
        return ops.concatenate([inputs, closeness], axis=-1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[1] + self.num_kernels)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "num_kernels": self.num_kernels,
                "kernel_dim": self.kernel_dim,
                "kernel_initializer": keras.initializers.serialize(self.kernel_initializer),
            }
        )
        return config
