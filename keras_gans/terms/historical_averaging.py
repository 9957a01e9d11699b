"""Historical averaging: a pull towards the running mean of past weights, as a term."""

import keras
from keras import ops

from keras_gans.terms.term import Term
from keras_gans.terms.term import check_non_negative


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class HistoricalAveraging(Term):
    """`lambda * ||theta - mean of past theta||^2` for one network.

    The mean averages the values the network's trainable weights have had:
    when training starts and after each of its updates so far; mean and count
    are non-trainable variables, saved with the model. Logged as
    `<network>_historical_averaging`. Keyword of every variant:
    `historical_averaging` (one term per network, the same lambda).

    Args:
        weight: lambda.
        network: `"discriminator"` or `"generator"`.
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.GAN(image_shape=(28, 28, 1), historical_averaging=1e-3)
    ```

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016,
        section 3.3.
    """

    keywords = {"historical_averaging": 0.0}

    def __init__(self, weight=1e-3, network="discriminator", name=None, **kwargs):
        super().__init__(
            network=network, weight=weight, name=name or f"{network}_historical_averaging", **kwargs
        )
        self.means = None

    @classmethod
    def from_keywords(cls, model, historical_averaging):
        weight = check_non_negative("historical_averaging", historical_averaging)
        if not weight:
            return []
        return [cls(weight, network="discriminator"), cls(weight, network="generator")]

    def attach(self, model):
        weights = getattr(model, self.network).trainable_variables
        self.means = [
            self.add_weight(
                shape=tuple(w.shape), initializer="zeros", trainable=False, name=f"mean_{i}", dtype="float32"
            )
            for i, w in enumerate(weights)
        ]
        self.count = self.add_weight(
            shape=(), initializer="zeros", trainable=False, name="count", dtype="float32"
        )

    def start(self, model):
        if float(ops.convert_to_numpy(self.count)) > 0:
            return  # resumed: keep the history
        for mean, w in zip(self.means, getattr(model, self.network).trainable_variables):
            # A copy: two variables must not share one buffer (JAX donates them).
            mean.assign(ops.copy(ops.cast(w, "float32")))
        self.count.assign(1.0)

    def after_update(self, model):
        count = ops.convert_to_tensor(self.count) + 1.0
        for mean, w in zip(self.means, getattr(model, self.network).trainable_variables):
            current = ops.convert_to_tensor(mean)
            mean.assign(current + (ops.cast(w, "float32") - current) / count)
        self.count.assign(count)

    def compute(self, tensors):
        weights = getattr(tensors.model, self.network).trainable_variables
        total = 0.0
        for mean, w in zip(self.means, weights):
            total = total + ops.sum(ops.square(ops.cast(w, "float32") - mean))
        # 0 before the history starts (count 0).
        return {self.name: total * ops.minimum(ops.convert_to_tensor(self.count), 1.0)}
