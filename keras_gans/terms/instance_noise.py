"""Instance noise on everything the discriminator sees, as a term."""

import keras
from keras import ops

from keras_gans.terms.term import Term
from keras_gans.terms.term import check_non_negative
from keras_gans.terms.term import check_positive_int


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class InstanceNoise(Term):
    """Adds Gaussian noise to every discriminator input (real and fake) in training.

    The standard deviation decays linearly from `stddev` to 0 over
    `decay_steps` train steps (the model's step counter, so a resumed run
    continues the schedule), or stays constant when `decay_steps` is None.
    Penalties see the noisy inputs too. Keywords of every variant:
    `instance_noise` (the initial stddev; 0 turns it off) and
    `instance_noise_decay_steps`.

    Args:
        stddev: initial standard deviation.
        decay_steps: train steps of the linear decay to 0, or None.
        seed: seed of the noise.
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.GAN(image_shape=(28, 28, 1), instance_noise=0.1,
                                instance_noise_decay_steps=10_000)
    ```

    Reference:
        Sonderby et al., "Amortised MAP Inference for Image Super-resolution",
        ICLR 2017. Arjovsky & Bottou, "Towards Principled Methods for Training
        Generative Adversarial Networks", ICLR 2017.
    """

    keywords = {"instance_noise": 0.0, "instance_noise_decay_steps": None}
    view_order = 10

    def __init__(self, stddev=0.1, decay_steps=None, seed=None, name="instance_noise", **kwargs):
        kwargs.pop("network", None)
        super().__init__(network="discriminator", name=name, **kwargs)
        self.stddev = check_non_negative("instance_noise", stddev)
        self.decay_steps = (
            None if decay_steps is None else check_positive_int("instance_noise_decay_steps", decay_steps)
        )
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    @classmethod
    def from_keywords(cls, model, instance_noise, instance_noise_decay_steps):
        term = cls(instance_noise, instance_noise_decay_steps)
        return [term] if term.stddev else []

    def current_stddev(self, iteration):
        """The float32 standard deviation at train step `iteration`."""
        if self.decay_steps is None:
            return ops.convert_to_tensor(self.stddev, "float32")
        progress = ops.minimum(ops.cast(iteration, "float32") / float(self.decay_steps), 1.0)
        return self.stddev * (1.0 - progress)

    def view(self, samples, model, training):
        if not training:
            return samples
        stddev = self.current_stddev(model.train_iteration())
        noise = keras.random.normal(ops.shape(samples), dtype="float32", seed=self.seed_generator)
        return samples + ops.cast(stddev * noise, samples.dtype)

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return {**config, "stddev": self.stddev, "decay_steps": self.decay_steps, "seed": self.seed}
