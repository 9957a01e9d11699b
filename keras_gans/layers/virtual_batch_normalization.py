import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class VirtualBatchNormalization(keras.layers.Layer):
    """Virtual batch normalization: normalization by a fixed reference batch.

    Each example is normalized with statistics that mix a fixed reference
    batch of `n` examples with the example itself, weighted `n / (n + 1)`
    and `1 / (n + 1)`, so an example's output does not depend on the other
    examples of its minibatch:

    ```
    mean = (n * ref_mean + mean(x)) / (n + 1)
    mean_square = (n * ref_mean_square + mean(x ** 2)) / (n + 1)
    y = gamma * (x - mean) / sqrt(mean_square - mean ** 2 + epsilon) + beta
    ```

    Statistics are per channel (the last axis). The reference statistics
    average over the reference batch and all non-channel axes; an example's
    own statistics average over its non-channel axes (for `(batch, C)`
    inputs, the example's values themselves).

    Two modes:

    - `reference_size=None` (frozen reference): the reference statistics are
      non-trainable state, set with `set_reference(batch)` where `batch` is a
      batch of *this layer's inputs* (saved with the model); they stay fixed
      until the next call. Before any reference is set (`n = 0`), each example
      is normalized with its own statistics only.
    - `reference_size=n` (the paper's mode): the first `n` examples of every
      batch the layer sees are the reference batch, forwarded through the
      current network with the examples (see
      `keras_gans.layers.ReferenceBatchModel`, which prepends them and drops
      them from the outputs); its statistics are recomputed at every call, so
      they follow the network's current weights.

    Computed in float32.

    Args:
        epsilon: float, added to the variance. Defaults to `1e-5`.
        reference_size: None, or the number of leading examples of each batch
            that form the reference batch.
        gamma_initializer: initializer of the scale. Defaults to `"ones"`.
        beta_initializer: initializer of the offset. Defaults to `"zeros"`.
        **kwargs: base layer keyword arguments (`name`, `dtype`, ...).

    Example:

    ```python
    import numpy as np
    from keras_gans.layers import VirtualBatchNormalization

    reference = np.random.normal(size=(64, 8, 8, 16)).astype("float32")
    layer = VirtualBatchNormalization()
    layer.set_reference(reference)
    y = layer(np.random.normal(size=(4, 8, 8, 16)).astype("float32"))
    ```

    Reference:
        - [Salimans et al., 2016](https://arxiv.org/abs/1606.03498),
          "Improved Techniques for Training GANs", section 3.4.
    """

    def __init__(
        self,
        epsilon=1e-5,
        gamma_initializer="ones",
        beta_initializer="zeros",
        reference_size=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if reference_size is not None and (
            isinstance(reference_size, bool) or int(reference_size) != reference_size or reference_size < 1
        ):
            raise ValueError(
                "`reference_size` must be None or an integer >= 1. "
                f"Received: reference_size={reference_size!r}"
            )
        self.reference_size = None if reference_size is None else int(reference_size)
        if epsilon <= 0:
            raise ValueError(f"`epsilon` must be positive. Received: epsilon={epsilon}")
        self.epsilon = epsilon
        self.gamma_initializer = keras.initializers.get(gamma_initializer)
        self.beta_initializer = keras.initializers.get(beta_initializer)

    def build(self, input_shape):
        if len(input_shape) < 2 or input_shape[-1] is None:
            raise ValueError(
                "VirtualBatchNormalization expects inputs of shape "
                "(batch, ..., channels) with known channels. "
                f"Received: input_shape={input_shape}"
            )
        channels = input_shape[-1]
        self.gamma = self.add_weight(
            name="gamma",
            shape=(channels,),
            initializer=self.gamma_initializer,
            autocast=False,
        )
        self.beta = self.add_weight(
            name="beta",
            shape=(channels,),
            initializer=self.beta_initializer,
            autocast=False,
        )
        self.reference_mean = self.add_weight(
            name="reference_mean",
            shape=(channels,),
            initializer="zeros",
            trainable=False,
            dtype="float32",
            autocast=False,
        )
        self.reference_mean_square = self.add_weight(
            name="reference_mean_square",
            shape=(channels,),
            initializer="zeros",
            trainable=False,
            dtype="float32",
            autocast=False,
        )
        self.stored_reference_size = self.add_weight(
            name="reference_size",
            shape=(),
            initializer="zeros",
            trainable=False,
            dtype="float32",
            autocast=False,
        )
        self.built = True

    def set_reference(self, batch):
        """Stores the statistics of `batch` (a batch of this layer's inputs).

        Builds the layer if needed. Raises `ValueError` if the channels of
        `batch` differ from those the layer was built with.
        """
        batch = ops.cast(ops.convert_to_tensor(batch), "float32")
        shape = tuple(batch.shape)
        if not self.built:
            self.build(shape)
        if len(shape) < 2 or shape[-1] != self.reference_mean.shape[0]:
            raise ValueError(
                "The reference batch must have shape (batch, ..., "
                f"{self.reference_mean.shape[0]}). Received: {shape}"
            )
        axes = tuple(range(len(shape) - 1))
        self.reference_mean.assign(ops.mean(batch, axis=axes))
        self.reference_mean_square.assign(ops.mean(ops.square(batch), axis=axes))
        self.stored_reference_size.assign(float(shape[0]))

    def call(self, inputs):
        x = ops.cast(inputs, "float32")
        example_axes = tuple(range(1, len(x.shape) - 1))
        if example_axes:
            example_mean = ops.mean(x, axis=example_axes, keepdims=True)
            example_mean_square = ops.mean(ops.square(x), axis=example_axes, keepdims=True)
        else:
            example_mean, example_mean_square = x, ops.square(x)
        if self.reference_size is None:
            n = ops.convert_to_tensor(self.stored_reference_size)
            reference_mean, reference_mean_square = self.reference_mean, self.reference_mean_square
        else:
            n = float(self.reference_size)
            reference = x[: self.reference_size]
            axes = tuple(range(len(x.shape) - 1))
            reference_mean = ops.mean(reference, axis=axes)
            reference_mean_square = ops.mean(ops.square(reference), axis=axes)
        new_weight = 1.0 / (n + 1.0)
        old_weight = n / (n + 1.0)
        mean = new_weight * example_mean + old_weight * reference_mean
        mean_square = new_weight * example_mean_square + old_weight * reference_mean_square
        variance = ops.maximum(mean_square - ops.square(mean), 0.0)
        normalized = (x - mean) * ops.rsqrt(variance + self.epsilon)
        outputs = normalized * self.gamma + self.beta
        return ops.cast(outputs, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "epsilon": self.epsilon,
                "gamma_initializer": keras.initializers.serialize(self.gamma_initializer),
                "beta_initializer": keras.initializers.serialize(self.beta_initializer),
                "reference_size": self.reference_size,
            }
        )
        return config
