"""CycleGAN's learning-rate schedule: constant, then a linear decay to zero."""

import keras
from keras import ops

from keras_gans.terms.term import check_non_negative


@keras.saving.register_keras_serializable(package="keras_gans.image_to_image")
class LinearDecay(keras.optimizers.schedules.LearningRateSchedule):
    """`initial_learning_rate` for `constant_steps` updates, then linearly down to 0.

    `lr(step) = initial * (1 - clip((step - constant_steps) / decay_steps, 0, 1))`:
    CycleGAN keeps 2e-4 for 100 epochs and decays it linearly to zero over the
    next 100. The step is the optimizer's own update count (each of a GAN's
    two optimizers counts its own updates), so the schedule reads the same on
    every backend and continues where a resumed run left off.

    Args:
        initial_learning_rate: float > 0.
        constant_steps: int >= 0, updates at the initial rate.
        decay_steps: int >= 1, updates of the decay (the rate is 0 after
            `constant_steps + decay_steps`).
        name: optional name.

    Example:

    ```python
    steps_per_epoch = 1000
    schedule = LinearDecay(2e-4, constant_steps=100 * steps_per_epoch,
                           decay_steps=100 * steps_per_epoch)
    cycle_gan.compile(g_optimizer=keras.optimizers.Adam(schedule, beta_1=0.5), ...)
    ```

    Reference:
        - [Zhu et al., 2017](https://arxiv.org/abs/1703.10593), "Unpaired Image-to-Image
          Translation using Cycle-Consistent Adversarial Networks" (Section 4).
    """

    def __init__(self, initial_learning_rate, constant_steps, decay_steps, name=None):
        initial = check_non_negative("initial_learning_rate", initial_learning_rate)
        if not initial > 0:
            raise ValueError(
                "`initial_learning_rate` must be > 0. "
                f"Received: initial_learning_rate={initial_learning_rate!r}"
            )
        for key, value, minimum in (("constant_steps", constant_steps, 0), ("decay_steps", decay_steps, 1)):
            if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
                raise ValueError(f"`{key}` must be an integer >= {minimum}. Received: {key}={value!r}")
        self.initial_learning_rate = initial
        self.constant_steps = constant_steps
        self.decay_steps = decay_steps
        self.name = name

    def __call__(self, step):
        step = ops.cast(step, "float32")
        progress = ops.clip((step - float(self.constant_steps)) / float(self.decay_steps), 0.0, 1.0)
        return self.initial_learning_rate * (1.0 - progress)

    def get_config(self):
        return {
            "initial_learning_rate": self.initial_learning_rate,
            "constant_steps": self.constant_steps,
            "decay_steps": self.decay_steps,
            "name": self.name,
        }
