import keras
from keras import ops

_CONV_LAYERS = (
    keras.layers.Conv1D,
    keras.layers.Conv2D,
    keras.layers.Conv3D,
)
_CONV_TRANSPOSE_LAYERS = (
    keras.layers.Conv1DTranspose,
    keras.layers.Conv2DTranspose,
    keras.layers.Conv3DTranspose,
)
_UNSUPPORTED_CONV_LAYERS = (
    keras.layers.DepthwiseConv1D,
    keras.layers.DepthwiseConv2D,
    keras.layers.SeparableConv1D,
    keras.layers.SeparableConv2D,
)


def _is_float(x):
    return keras.backend.is_float_dtype(keras.backend.standardize_dtype(x.dtype))


def _l2_normalize(x, epsilon):
    return x / (ops.sqrt(ops.sum(ops.square(x))) + epsilon)


@keras.saving.register_keras_serializable(package="keras_gans")
class SpectralNormalization(keras.layers.Wrapper):
    """Spectral normalization of a layer's kernel, as a reparametrization.

    The wrapped layer keeps its own trainable kernel `W`, which is never
    overwritten. On every call the wrapper computes the layer's output with
    `W / sigma(W)`, where `sigma(W)` is the largest singular value of `W`
    reshaped to a `(-1, out_channels)` matrix, estimated by power iteration.
    The power-iteration vector `u` (shape `(1, out_channels)`) is
    non-trainable state: it is refined by `power_iterations` steps on each
    call with `training=True`, and only read at inference, so training and
    inference use the same normalized kernel. Gradients flow through
    `sigma(W)` (with `u` treated as a constant), as in the paper.

    `sigma` is always computed in float32, so the wrapper is safe under
    mixed precision; the normalized kernel is then cast to the compute
    dtype. Unless `dtype` is given, the wrapper takes the wrapped layer's
    dtype policy (so `Dense(1, dtype="float32")` logits stay float32).
    `normalized_kernel()` and `spectral_norm()` read the effective kernel
    and the current `sigma` estimate without updating `u`.

    Supported layers: `Dense`, `Conv1D`, `Conv2D`, `Conv3D`,
    `Conv1DTranspose`, `Conv2DTranspose`, `Conv3DTranspose` and `Embedding`.
    For transposed convolutions (whose kernels are stored as
    `(*kernel_size, filters, in_channels)`), the `filters` axis is moved last
    before reshaping, so `out_channels` is always the layer's output width.
    Quantized layers, depthwise and separable convolutions are not
    supported.

    Args:
        layer: the `keras.layers.Layer` to wrap (see supported layers).
        power_iterations: int, number of power-iteration steps per training
            call. Defaults to `1`.
        epsilon: float, small constant added to norms to avoid a division
            by zero. Defaults to `1e-12`.
        **kwargs: base layer keyword arguments (`name`, `dtype`, ...).

    Example:

    ```python
    import numpy as np
    import keras
    from keras_gans.layers import SpectralNormalization

    layer = SpectralNormalization(keras.layers.Dense(4))
    y = layer(np.ones((2, 3), "float32"), training=True)  # updates `u`
    w = keras.ops.convert_to_numpy(layer.normalized_kernel())  # W / sigma
    print(np.linalg.svd(w, compute_uv=False)[0])  # close to 1
    ```

    Reference:
        - [Miyato et al., 2018](https://arxiv.org/abs/1802.05957),
          "Spectral Normalization for Generative Adversarial Networks".
    """

    def __init__(self, layer, power_iterations=1, epsilon=1e-12, **kwargs):
        # The wrapper reads the float32 kernel and casts by itself, so the
        # autocast scope of mixed precision is switched off for its call.
        kwargs["autocast"] = False
        # Compute in the wrapped layer's dtype (e.g. float32 logits under
        # mixed precision) unless told otherwise.
        if kwargs.get("dtype") is None and isinstance(layer, keras.layers.Layer):
            kwargs["dtype"] = layer.dtype_policy
        super().__init__(layer, **kwargs)
        if int(power_iterations) < 1:
            raise ValueError(
                "`power_iterations` must be a positive integer. "
                f"Received: power_iterations={power_iterations}"
            )
        if epsilon <= 0:
            raise ValueError(f"`epsilon` must be positive. Received: epsilon={epsilon}")
        if isinstance(layer, _UNSUPPORTED_CONV_LAYERS) or not isinstance(
            layer,
            (keras.layers.Dense, keras.layers.Embedding) + _CONV_LAYERS + _CONV_TRANSPOSE_LAYERS,
        ):
            raise ValueError(
                "SpectralNormalization supports Dense, Conv1D/2D/3D, "
                "Conv1D/2D/3DTranspose and Embedding layers. "
                f"Received: layer={layer.__class__.__name__}"
            )
        if getattr(layer, "quantization_mode", None) is not None:
            raise ValueError(
                "SpectralNormalization cannot wrap a quantized layer. "
                f"Received: layer with quantization_mode="
                f"{layer.quantization_mode}"
            )
        self.power_iterations = int(power_iterations)
        self.epsilon = epsilon
        self._is_embedding = isinstance(layer, keras.layers.Embedding)
        self._is_conv = isinstance(layer, _CONV_LAYERS)
        self._is_conv_transpose = isinstance(layer, _CONV_TRANSPOSE_LAYERS)

    def build(self, input_shape):
        if not self.layer.built:
            self.layer.build(input_shape)
        kernel_shape = tuple(self._raw_kernel().shape)
        self._out_channels = kernel_shape[-2] if self._is_conv_transpose else kernel_shape[-1]
        self.u = self.add_weight(
            name="u",
            shape=(1, self._out_channels),
            initializer=keras.initializers.RandomNormal(stddev=1.0),
            trainable=False,
            dtype="float32",
            # Under tf.distribute, replicas update it from the first one.
            aggregation="only_first_replica",
        )
        self.built = True

    def _raw_kernel(self):
        if self._is_embedding:
            return self.layer.embeddings
        return self.layer.kernel

    def _kernel_matrix(self, kernel):
        """The float32 kernel as a `(-1, out_channels)` matrix."""
        kernel = ops.cast(kernel, "float32")
        if self._is_conv_transpose:
            rank = len(kernel.shape)
            perm = list(range(rank - 2)) + [rank - 1, rank - 2]
            kernel = ops.transpose(kernel, perm)
        return ops.reshape(kernel, (-1, self._out_channels))

    def _sigma(self, kernel_matrix, u):
        # With u of unit norm and v = normalize(W u^T):
        # sigma = v^T W u^T = ||W u^T||. (u is re-normalized so that the
        # initial, not yet iterated, u gives a sensible estimate too.)
        u = _l2_normalize(u, self.epsilon)
        product = ops.matmul(kernel_matrix, ops.transpose(u))
        return ops.maximum(ops.sqrt(ops.sum(ops.square(product))), self.epsilon)

    def _power_iteration(self, kernel_matrix, u):
        kernel_matrix = ops.stop_gradient(kernel_matrix)
        for _ in range(self.power_iterations):
            v = ops.matmul(u, ops.transpose(kernel_matrix))
            v = _l2_normalize(v, self.epsilon)
            u = _l2_normalize(ops.matmul(v, kernel_matrix), self.epsilon)
        return ops.stop_gradient(u)

    def _normalize(self, training):
        kernel = self._raw_kernel()
        kernel_matrix = self._kernel_matrix(kernel)
        u = ops.convert_to_tensor(self.u)
        if training:
            u = self._power_iteration(kernel_matrix, u)
            self.u.assign(u)
        sigma = self._sigma(kernel_matrix, u)
        return ops.cast(kernel, "float32") / sigma

    def spectral_norm(self):
        """The current float32 estimate of `sigma(W)`; does not update `u`."""
        kernel_matrix = self._kernel_matrix(self._raw_kernel())
        return self._sigma(kernel_matrix, ops.convert_to_tensor(self.u))

    def normalized_kernel(self):
        """The effective float32 kernel `W / sigma(W)`; does not update `u`.

        It has the wrapped layer's kernel shape (for `Embedding`, the
        embedding matrix).
        """
        return self._normalize(training=False)

    def call(self, inputs, training=False):
        kernel = ops.cast(self._normalize(bool(training)), self.compute_dtype)
        layer = self.layer
        if self._is_embedding:
            if _is_float(inputs):
                inputs = ops.cast(inputs, "int32")
            return ops.take(kernel, inputs, axis=0)

        if _is_float(inputs):
            inputs = ops.cast(inputs, self.compute_dtype)
        if self._is_conv:
            outputs = ops.conv(
                inputs,
                kernel,
                strides=list(layer.strides),
                padding=layer.padding,
                dilation_rate=layer.dilation_rate,
                data_format=layer.data_format,
            )
        elif self._is_conv_transpose:
            outputs = ops.conv_transpose(
                inputs,
                kernel,
                strides=list(layer.strides),
                padding=layer.padding,
                output_padding=layer.output_padding,
                dilation_rate=layer.dilation_rate,
                data_format=layer.data_format,
            )
        else:
            outputs = ops.matmul(inputs, kernel)

        if layer.use_bias:
            bias = ops.cast(layer.bias, self.compute_dtype)
            if not isinstance(layer, keras.layers.Dense) and (layer.data_format == "channels_first"):
                rank = len(outputs.shape) - 2
                bias = ops.reshape(bias, (1, -1) + (1,) * rank)
            outputs = ops.add(outputs, bias)
        if layer.activation is not None:
            outputs = layer.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        return self.layer.compute_output_shape(input_shape)

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "power_iterations": self.power_iterations,
                "epsilon": self.epsilon,
            }
        )
        return config
