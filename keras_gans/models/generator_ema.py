"""An exponential moving average of the generator's weights."""

import keras
from keras import ops


def clone_network(model, input_shape=None):
    """A copy of `model` with the same architecture and weights (not shared).

    Functional and Sequential models are cloned layer by layer; subclassed
    models through their `get_config` / `from_config`, then built on
    `input_shape` (with batch dimension).
    """
    try:
        clone = keras.models.clone_model(model)
    except (ValueError, TypeError):
        clone = model.__class__.from_config(model.get_config())
        if not clone.built:
            clone.build(input_shape)
    clone.set_weights(model.get_weights())
    return clone


@keras.saving.register_keras_serializable(package="keras_gans")
class GeneratorEMA(keras.layers.Layer):
    """Keeps `average`, a copy of a generator whose weights trail it exponentially.

    After each generator update, every trainable weight of the copy moves towards
    the generator's: `average = decay * average + (1 - decay) * weight`.
    Non-trainable state (batch-norm statistics, spectral-norm vectors) is copied
    as is. The copy starts equal to the generator (call `reset` to restart it) and
    is never trained itself; `AdversarialModel.generate` samples from it when the
    model has `ema_decay` set.

    Args:
        generator: the generator `keras.Model` to follow.
        decay: float in `(0, 1)`, e.g. `0.999`.
        input_shape: the generator's input shape(s) with batch dimension, to
            build the copy of a subclassed generator.
        **kwargs: base layer arguments (`name`, ...).

    Example:

    ```python
    ema = GeneratorEMA(generator, decay=0.999)
    ...  # after each generator update:
    ema.update(generator)
    images = ema.average(z, training=False)
    ```

    Reference:
        Yazici et al., "The Unusual Effectiveness of Averaging in GAN Training",
        ICLR 2019.
        Karras et al., "Progressive Growing of GANs for Improved Quality,
        Stability, and Variation", ICLR 2018 (generator EMA with decay 0.999).
    """

    def __init__(self, generator, decay, input_shape=None, **kwargs):
        super().__init__(**kwargs)
        decay = float(decay)
        if not 0.0 < decay < 1.0:
            raise ValueError(f"ema_decay must be in (0, 1), got {decay}.")
        self.decay = decay
        self.average = clone_network(generator, input_shape)
        self.average.trainable = False
        # Which of the generator's weights are averaged (trainable) or copied.
        self._averaged = [bool(v.trainable) for v in generator.weights]
        if len(self.average.weights) != len(self._averaged):
            raise ValueError(
                "The EMA copy of the generator does not have the generator's weights "
                f"({len(self.average.weights)} vs {len(self._averaged)})."
            )
        self.built = True

    def reset(self, generator):
        """Makes the average equal to the generator's current weights."""
        for average, weight in zip(self.average.weights, generator.weights):
            # A copy: two variables must not share one buffer (JAX donates them).
            average.assign(ops.copy(ops.convert_to_tensor(weight)))

    def update(self, generator):
        """One EMA step towards the generator's current weights."""
        for average, weight, averaged in zip(self.average.weights, generator.weights, self._averaged):
            if averaged:
                value = self.decay * ops.convert_to_tensor(average) + (1.0 - self.decay) * ops.cast(
                    weight, average.dtype
                )
                average.assign(value)
            else:
                average.assign(weight)

    def call(self, inputs, training=False):
        return self.average(inputs, training=training)
