"""R2: a gradient penalty on generated data."""

import keras

from keras_gans import penalties
from keras_gans.terms.term import Term
from keras_gans.terms.term import check_non_negative


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class R2Penalty(Term):
    """`gamma / 2 * E||grad D(G(z))||^2` on fakes, as the discriminator sees them.

    Logged (unweighted) as `r2_penalty`. Keyword of every variant: `r2_gamma`.

    Args:
        gamma: the R2 weight gamma.
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.GAN(image_shape=(28, 28, 1), r2_gamma=1.0)
    ```

    Reference:
        Mescheder et al., "Which Training Methods for GANs do actually
        Converge?", ICML 2018.
    """

    keywords = {"r2_gamma": 0.0}

    def __init__(self, gamma=1.0, name="r2_penalty", **kwargs):
        kwargs.pop("network", None)
        kwargs.pop("weight", None)
        self.gamma = check_non_negative("gamma", gamma)
        super().__init__(network="discriminator", weight=0.5 * self.gamma, name=name, **kwargs)

    @classmethod
    def from_keywords(cls, model, r2_gamma):
        gamma = check_non_negative("r2_gamma", r2_gamma)
        return [cls(gamma)] if gamma else []

    def compute(self, tensors):
        critic = tensors.critic(tensors.fake_labels)
        return {self.name: penalties.r2_penalty(critic, tensors.seen_fake, loss_scale=tensors.loss_scale)}

    def get_config(self):
        config = super().get_config()
        config.pop("weight")
        config.pop("network")
        return {**config, "gamma": self.gamma}
