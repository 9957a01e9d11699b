"""DRAGAN: a gradient penalty around perturbed real data."""

import keras

from keras_gans import penalties
from keras_gans.terms.term import Term
from keras_gans.terms.term import check_non_negative


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class DRAGANPenalty(Term):
    """`E[(||grad D(x~)|| - 1)^2]` at points between real data and a perturbation of it.

    See `keras_gans.penalties.dragan_penalty`; real data as the discriminator
    sees it; perturbation and interpolation weights come from two independent
    draws of the term's own random stream. Logged as `dragan_penalty`.
    Keyword of every variant: `dragan_weight`.

    Args:
        weight: the penalty's weight.
        perturbation: scale `c` of the perturbation `c * std(x) * U[0, 1]`.
        seed: seed of the term's random stream.
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.GAN(image_shape=(28, 28, 1), dragan_weight=10.0)
    ```

    Reference:
        Kodali et al., "On Convergence and Stability of GANs", 2017.
    """

    keywords = {"dragan_weight": 0.0}

    def __init__(self, weight=10.0, perturbation=0.5, seed=None, name="dragan_penalty", **kwargs):
        kwargs.pop("network", None)
        super().__init__(network="discriminator", weight=weight, name=name, **kwargs)
        self.perturbation = check_non_negative("perturbation", perturbation)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    @classmethod
    def from_keywords(cls, model, dragan_weight):
        weight = check_non_negative("dragan_weight", dragan_weight)
        return [cls(weight)] if weight else []

    def compute(self, tensors):
        value = penalties.dragan_penalty(
            tensors.critic(tensors.real_labels),
            tensors.seen_real,
            seed=self.seed_generator,
            perturbation=self.perturbation,
            loss_scale=tensors.loss_scale,
        )
        return {self.name: value}

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return {**config, "perturbation": self.perturbation, "seed": self.seed}
