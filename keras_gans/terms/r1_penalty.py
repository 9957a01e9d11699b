"""R1: a gradient penalty on real data, optionally lazy."""

import keras

from keras_gans import penalties
from keras_gans.terms.term import Term
from keras_gans.terms.term import check_non_negative
from keras_gans.terms.term import check_positive_int


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class R1Penalty(Term):
    """`gamma / 2 * E||grad D(x)||^2` on real samples, as the discriminator sees them.

    Logged (unweighted) as `r1_penalty`. With `interval=k > 1` the penalty
    runs in a phase of its own every k steps with its weight multiplied by k
    (lazy regularization, StyleGAN2 section B: the same expected gradient at a
    fraction of the cost).

    Keywords of every variant: `r1_gamma` (0 turns it off) and `r1_interval`.

    Args:
        gamma: the R1 weight gamma.
        interval: apply every `interval` steps.
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.GAN(image_shape=(32, 32, 1), r1_gamma=10.0, r1_interval=16)
    ```

    Reference:
        Mescheder et al., "Which Training Methods for GANs do actually
        Converge?", ICML 2018. Karras et al., "Analyzing and Improving the
        Image Quality of StyleGAN", CVPR 2020 (lazy regularization).
    """

    keywords = {"r1_gamma": 0.0, "r1_interval": 1}

    def __init__(self, gamma=10.0, interval=1, name="r1_penalty", **kwargs):
        kwargs.pop("network", None)
        kwargs.pop("weight", None)
        self.gamma = check_non_negative("gamma", gamma)
        super().__init__(
            network="discriminator", weight=0.5 * self.gamma, interval=interval, name=name, **kwargs
        )

    @classmethod
    def from_keywords(cls, model, r1_gamma, r1_interval):
        gamma = check_non_negative("r1_gamma", r1_gamma)
        interval = check_positive_int("r1_interval", r1_interval)
        return [cls(gamma, interval=interval)] if gamma else []

    def compute(self, tensors):
        critic = tensors.critic(tensors.real_labels)
        return {self.name: penalties.r1_penalty(critic, tensors.seen_real, loss_scale=tensors.loss_scale)}

    def get_config(self):
        config = super().get_config()
        config.pop("weight")
        config.pop("network")
        return {**config, "gamma": self.gamma}
