"""Noisy labels: real/fake targets swapped at random, as a term."""

import keras
from keras import ops

from keras_gans.terms.label_smoothing import check_loss_has_targets
from keras_gans.terms.term import Term
from keras_gans.terms.term import check_non_negative


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class LabelFlips(Term):
    """Swaps the real and fake targets of each sample with probability `p`.

    A flipped real sample gets the fake target, a flipped fake sample the real
    one (after label smoothing, which comes first). Real and fake flips are
    independent draws of the term's own random stream. Keyword of every
    variant: `label_flip_probability`.

    Args:
        probability: `p` in `[0, 1]`.
        seed: seed of the flips.
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.GAN(image_shape=(28, 28, 1), label_flip_probability=0.05)
    ```

    Reference:
        Chintala et al., "How to Train a GAN? Tips and tricks" (ganhacks),
        2016, tip 6.
    """

    keywords = {"label_flip_probability": 0.0}

    def __init__(self, probability=0.05, seed=None, name="label_flips", **kwargs):
        kwargs.pop("network", None)
        super().__init__(network="discriminator", name=name, **kwargs)
        self.probability = check_non_negative("label_flip_probability", probability)
        if self.probability > 1:
            raise ValueError(
                "`label_flip_probability` must be in [0, 1]. "
                f"Received: label_flip_probability={probability!r}"
            )
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    @classmethod
    def from_keywords(cls, model, label_flip_probability):
        term = cls(label_flip_probability)
        if not term.probability:
            return []
        check_loss_has_targets(model, "label_flip_probability")
        return [term]

    def _flips(self, logits):
        draws = keras.random.uniform(ops.shape(logits), dtype="float32", seed=self.seed_generator)
        return ops.cast(draws < self.probability, "float32")

    def adjust_targets(self, real_target, fake_target, tensors):
        real_flip = self._flips(tensors.real_logits)
        fake_flip = self._flips(tensors.fake_logits)
        new_real = real_target + real_flip * (fake_target - real_target)
        new_fake = fake_target + fake_flip * (real_target - fake_target)
        return new_real, new_fake

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return {**config, "probability": self.probability, "seed": self.seed}
