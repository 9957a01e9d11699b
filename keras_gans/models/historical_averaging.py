"""Historical averaging: a penalty pulling weights towards their running mean."""

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class HistoricalAverage(keras.layers.Layer):
    """The running mean of a network's trainable weights over training, and its penalty.

    `penalty(weights)` is `||theta - mean||^2`, summed over all weights, where
    `mean = (1 / t) * sum_i theta_i` averages the values the weights have had:
    their values when training starts (`reset`) and after each of the updates
    so far (`update`). The mean and the count `t` are non-trainable state, saved
    with the model. Before `reset` (count 0) the penalty is 0.

    Args:
        weights: the list of variables to follow (a network's
            `trainable_variables`); only their shapes are read here.
        **kwargs: base layer arguments (`name`, ...).

    Example:

    ```python
    history = HistoricalAverage(discriminator.trainable_variables)
    history.reset(discriminator.trainable_variables)
    loss = d_loss + 1e-3 * history.penalty(discriminator.trainable_variables)
    ...  # after the update:
    history.update(discriminator.trainable_variables)
    ```

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016,
        section 3.3.
    """

    def __init__(self, weights, **kwargs):
        super().__init__(**kwargs)
        self.means = [
            self.add_weight(
                shape=tuple(w.shape), initializer="zeros", trainable=False, name=f"mean_{i}", dtype="float32"
            )
            for i, w in enumerate(weights)
        ]
        self.count = self.add_weight(
            shape=(), initializer="zeros", trainable=False, name="count", dtype="float32"
        )
        self.built = True

    def _check(self, weights):
        if len(weights) != len(self.means):
            raise ValueError(f"Expected {len(self.means)} weights, got {len(weights)}.")

    def reset(self, weights):
        """Restarts the history from the weights' current values (count 1)."""
        self._check(weights)
        for mean, w in zip(self.means, weights):
            # A copy: two variables must not share one buffer (JAX donates them).
            mean.assign(ops.copy(ops.cast(w, "float32")))
        self.count.assign(1.0)

    def update(self, weights):
        """Adds the weights' current values to the running mean."""
        self._check(weights)
        count = ops.convert_to_tensor(self.count) + 1.0
        for mean, w in zip(self.means, weights):
            current = ops.convert_to_tensor(mean)
            mean.assign(current + (ops.cast(w, "float32") - current) / count)
        self.count.assign(count)

    def penalty(self, weights):
        """`||theta - mean||^2` summed over the weights (float32 scalar)."""
        self._check(weights)
        total = 0.0
        for mean, w in zip(self.means, weights):
            total = total + ops.sum(ops.square(ops.cast(w, "float32") - mean))
        return total * ops.minimum(ops.convert_to_tensor(self.count), 1.0)

    def call(self, inputs):
        return self.penalty(inputs)
