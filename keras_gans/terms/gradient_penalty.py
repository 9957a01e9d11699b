"""WGAN-GP's gradient penalty, as a term."""

import keras

from keras_gans import penalties
from keras_gans.random_streams import stream
from keras_gans.terms.term import Term


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class GradientPenalty(Term):
    """`E[(||grad D(x_hat)|| - 1)^2]` on interpolates of real and fake samples.

    `x_hat = a x + (1 - a) G(z)` with `a ~ U[0, 1]` per sample, drawn from a
    random stream of its own; `x` and `G(z)` as the discriminator sees them
    (packed, augmented), so the penalty constrains the function D computes on
    its actual inputs. Logged as `gradient_penalty`.

    Args:
        weight: lambda (10 in the paper).
        one_sided: penalize only norms above 1 (`max(0, ||g|| - 1)^2`).
        seed: seed of the interpolation weights (the engine derives one from
            the model seed).
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.WGAN(image_shape=(28, 28, 1), terms=[GradientPenalty(10.0)])
    ```

    Reference:
        Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017,
        Algorithm 1. Petzka et al., "On the regularization of Wasserstein
        GANs", ICLR 2018 (one-sided).
    """

    def __init__(self, weight=10.0, one_sided=False, seed=None, name="gradient_penalty", **kwargs):
        kwargs.pop("network", None)
        super().__init__(network="discriminator", weight=weight, name=name, **kwargs)
        self.one_sided = bool(one_sided)
        self.seed = seed
        self.seed_generator = stream(seed, "interpolation")

    def compute(self, tensors):
        value = penalties.gradient_penalty(
            tensors.critic(tensors.real_labels),
            tensors.seen_real,
            tensors.seen_fake,
            seed=self.seed_generator,
            one_sided=self.one_sided,
            loss_scale=tensors.loss_scale,
        )
        return {self.name: value}

    def get_config(self):
        return {**super().get_config(), "one_sided": self.one_sided, "seed": self.seed}
