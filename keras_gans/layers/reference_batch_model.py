import keras
import numpy as np
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class ReferenceBatchModel(keras.Model):
    """Runs a network on a fixed reference batch together with every batch.

    For virtual batch normalization in the paper's mode
    (`VirtualBatchNormalization(reference_size=n)`): each call runs `network`
    on `concatenate([reference, inputs])`, so that every VBN layer computes
    its reference statistics from the reference examples at the network's
    current weights, and returns the outputs of `inputs` only. The reference
    batch (e.g. a fixed batch of latent vectors for a generator) is a
    non-trainable variable, saved with the model.

    Args:
        network: a `keras.Model` with `VirtualBatchNormalization(reference_size=n)`
            layers, `n = len(reference)`.
        reference: array `(n, ...)` of the network's inputs.
        **kwargs: `keras.Model` arguments (`name`, ...).

    Example:

    ```python
    inputs = keras.Input((8,))
    h = keras_gans.layers.VirtualBatchNormalization(reference_size=64)(keras.layers.Dense(32)(inputs))
    body = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.ReLU()(h)))
    generator = ReferenceBatchModel(body, np.random.normal(size=(64, 8)).astype("float32"))
    ```

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016,
        section 3.4.
    """

    def __init__(self, network, reference, **kwargs):
        super().__init__(**kwargs)
        if isinstance(network, dict):
            network = keras.saving.deserialize_keras_object(network)
        reference = np.asarray(reference, "float32")
        if reference.ndim < 2 or len(reference) < 1:
            raise ValueError(
                "`reference` must be a batch (n, ...) of the network's inputs. "
                f"Received: shape {reference.shape}"
            )
        self.network = network
        self.reference = self.add_weight(
            shape=reference.shape,
            initializer=keras.initializers.Constant(reference),
            trainable=False,
            name="reference",
        )
        self.built = True

    @property
    def input_shape(self):
        return self.network.input_shape

    @property
    def output_shape(self):
        return self.network.output_shape

    def compute_output_shape(self, input_shape):
        return self.network.compute_output_shape(input_shape)

    def call(self, inputs, training=False):
        size = self.reference.shape[0]
        both = ops.concatenate([ops.cast(self.reference, inputs.dtype), inputs], axis=0)
        return self.network(both, training=training)[size:]

    def get_config(self):
        # The reference values are a weight (saved with the weights); the
        # config keeps its shape.
        return {
            **super().get_config(),
            "network": keras.saving.serialize_keras_object(self.network),
            "reference_shape": list(self.reference.shape),
        }

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        shape = config.pop("reference_shape")
        return cls(reference=np.zeros(shape, "float32"), **config)
