"""`Term`: one piece of a GAN's training objective or procedure."""

import keras
import numpy as np

NETWORKS = ("discriminator", "generator")


def check_non_negative(name, value):
    """`float(value)`, or a ValueError naming the option when it is negative."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"`{name}` must be a number >= 0. Received: {name}={value!r}") from None
    if not number >= 0:
        raise ValueError(f"`{name}` must be >= 0. Received: {name}={value!r}")
    return number


def check_positive_int(name, value, minimum=1):
    """`int(value)`, or a ValueError naming the option when it is not an int >= minimum."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"`{name}` must be an integer >= {minimum}. Received: {name}={value!r}")
    return int(value)


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class Term(keras.layers.Layer):
    """A loss term, penalty or training trick that joins one network's objective.

    The engine (`keras_gans.models.AdversarialModel`) builds a train step from
    phases (discriminator, lazy discriminator regularization, generator, lazy
    generator regularization); each phase sums the terms of its network. A term
    is a Keras layer, so its state (variables, seed generators) is tracked,
    saved with the model and carried by every backend's `fit`. It implements
    the hooks it needs, all optional:

    - `compute(tensors)`: the term's unweighted values `{log name: value}`,
      from the step's tensors (`keras_gans.terms.StepTensors`: real and fake
      samples, labels, the discriminator's outputs, a critic function). The
      phase adds `weight * value` (times `interval` for a lazy term, as
      StyleGAN2 scales lazy regularization) to the loss and logs `value`.
    - `view(samples, model, training)`: transforms whatever the discriminator sees, in
      every objective (instance noise, packing, augmentation).
    - `adjust_targets(real_target, fake_target, tensors)`: changes the targets
      of the adversarial loss (label smoothing, flips).
    - `attach(model)`: creates state once the networks exist;
      `start(model)`: before the first training step (EMA from the initial
      weights); `after_update(model)`: after every update of `network`
      (clipping, EMA, histories).
    - `prepare_generator(generator)`, `discriminator_input_shape(shape)`,
      `sampling_generator(generator)`: change the networks (generator dropout,
      packing, the EMA generator used by `generate`).

    Args:
        network: `"discriminator"` or `"generator"`: whose loss it joins and
            whose updates trigger `after_update`.
        weight: multiplier of the term's value in the loss.
        interval: apply the term every `interval` train steps only (lazy
            regularization, in a phase of its own); 1 applies it every step.
        name: the logged name (for terms that log one value).
        **kwargs: `keras.layers.Layer` arguments.

    Example:

    ```python
    @keras.saving.register_keras_serializable()
    class LogitPenalty(keras_gans.terms.Term):
        def compute(self, tensors):
            return {self.name: keras.ops.mean(keras.ops.square(tensors.real_logits))}

    gan = keras_gans.models.GAN(image_shape=(28, 28, 1),
                                terms=[LogitPenalty(weight=1e-3, name="logit_penalty")])
    ```

    Reference:
        Karras et al., "Training Generative Adversarial Networks with Limited
        Data", NeurIPS 2020 (`loss.py` of stylegan2-ada: phases and lazy
        regularization as data).
    """

    # Constructor keywords of `AdversarialModel` that create this term, with
    # their "off" values (empty: not a keyword trick).
    keywords = {}
    # Order among the terms that transform the discriminator's view.
    view_order = 0

    def __init__(self, network="discriminator", weight=1.0, interval=1, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if network not in NETWORKS:
            raise ValueError(f"`network` must be one of {NETWORKS}. Received: network={network!r}")
        self.network = network
        self.weight = check_non_negative("weight", weight)
        self.interval = check_positive_int("interval", interval)
        self.built = True

    @classmethod
    def from_keywords(cls, model, **values):
        """The terms the model's constructor keywords ask for (a list, maybe empty)."""
        return []

    @property
    def log_names(self):
        """Names this term logs (declared once: the engine builds trackers from them)."""
        return (self.name,) if type(self).compute is not Term.compute else ()

    # ----------------------------------------------------------------- hooks

    def compute(self, tensors):
        return {}

    def view(self, samples, model, training):
        return samples

    def adjust_targets(self, real_target, fake_target, tensors):
        return real_target, fake_target

    def attach(self, model):
        pass

    def start(self, model):
        pass

    def after_update(self, model):
        pass

    def prepare_generator(self, generator):
        return generator

    def discriminator_input_shape(self, sample_shape):
        return sample_shape

    def sampling_generator(self, generator):
        return generator

    def call(self, inputs):
        return inputs

    def get_config(self):
        return {
            **super().get_config(),
            "network": self.network,
            "weight": self.weight,
            "interval": self.interval,
        }
