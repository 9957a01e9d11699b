"""An exponential moving average of the generator's weights, as a term."""

import keras
from keras import ops

from keras_gans.terms.term import Term


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


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class GeneratorEMA(Term):
    """Keeps `average`, a copy of the generator whose weights trail it exponentially.

    After each generator update, every trainable weight of the copy moves
    towards the generator's: `average = decay * average + (1 - decay) * weight`;
    non-trainable state (batch-norm statistics, spectral-norm vectors, the
    StyleGAN `w_avg`) is copied. The copy starts equal to the generator when
    training starts; `generate` and the serving export sample from it.
    Keyword of every variant: `ema_decay` (None turns it off).

    Args:
        decay: in `(0, 1)`, e.g. 0.999.
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.GAN(image_shape=(28, 28, 1), ema_decay=0.999)
    ```

    Reference:
        Yazici et al., "The Unusual Effectiveness of Averaging in GAN
        Training", ICLR 2019. Karras et al., "Progressive Growing of GANs for
        Improved Quality, Stability, and Variation", ICLR 2018.
    """

    keywords = {"ema_decay": None}

    def __init__(self, decay=0.999, name="generator_ema", **kwargs):
        kwargs.pop("network", None)
        super().__init__(network="generator", name=name, **kwargs)
        decay = float(decay)
        if not 0.0 < decay < 1.0:
            raise ValueError(f"`ema_decay` must be in (0, 1). Received: ema_decay={decay!r}")
        self.decay = decay
        self.average = None

    @classmethod
    def from_keywords(cls, model, ema_decay):
        return [] if ema_decay is None else [cls(ema_decay)]

    def attach(self, model):
        shapes = [(None,) + tuple(s) for s in model.generator_input_shapes()]
        self.average = clone_network(model.generator, shapes[0] if len(shapes) == 1 else shapes)
        self.average.trainable = False
        # Which of the generator's weights are averaged (trainable) or copied.
        self._averaged = [bool(v.trainable) for v in model.generator.weights]
        if len(self.average.weights) != len(self._averaged):
            raise ValueError(
                "The EMA copy of the generator does not have the generator's weights "
                f"({len(self.average.weights)} vs {len(self._averaged)})."
            )
        self.updates = self.add_weight(
            shape=(), initializer="zeros", trainable=False, name="updates", dtype="int32"
        )

    def reset(self, generator):
        """Makes the average equal to the generator's current weights."""
        for average, weight in zip(self.average.weights, generator.weights):
            # A copy: two variables must not share one buffer (JAX donates them).
            average.assign(ops.copy(ops.convert_to_tensor(weight)))

    def start(self, model):
        if int(ops.convert_to_numpy(self.updates)) == 0:
            self.reset(model.generator)

    def after_update(self, model):
        for average, weight, averaged in zip(self.average.weights, model.generator.weights, self._averaged):
            if averaged:
                value = self.decay * ops.convert_to_tensor(average) + (1.0 - self.decay) * ops.cast(
                    weight, average.dtype
                )
                average.assign(value)
            else:
                average.assign(weight)
        self.updates.assign(self.updates + 1)

    def sampling_generator(self, generator):
        return self.average

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return {**config, "decay": self.decay}
