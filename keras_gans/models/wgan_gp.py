"""WGAN-GP: Wasserstein critic with a gradient penalty."""

import keras

from keras_gans.models.base import AdversarialModel
from keras_gans.terms import GradientPenalty


@keras.saving.register_keras_serializable(package="keras_gans")
class WGANGP(AdversarialModel):
    """Wasserstein GAN with gradient penalty.

    The critic loss `E[D(G(z))] - E[D(x)]` is regularized by
    `gp_weight * E[(||grad D(x_hat)|| - 1)^2]` on random interpolates
    `x_hat = a x + (1 - a) G(z)`, `a ~ U[0, 1]` per sample. Paper defaults:
    `gp_weight=10`, `n_critic=5`, Adam(1e-4, beta_1=0, beta_2=0.9). Batch norm
    in the critic breaks the per-sample penalty, so the default critic uses
    layer normalization.

    Args:
        gp_weight: weight of the gradient penalty (lambda).
        one_sided: penalize only gradient norms above 1.
        generator, discriminator, latent_dim, image_shape, n_critic, seed, name:
            see `AdversarialModel`. The loss is fixed to `"wasserstein"`.

    Example:

    ```python
    wgan = keras_gans.models.WGANGP(image_shape=(28, 28, 1))
    wgan.compile()
    wgan.fit(images, batch_size=64, epochs=5)  # logs d_loss, g_loss, gradient_penalty
    ```

    Reference:
        Gulrajani et al., "Improved Training of Wasserstein GANs", NeurIPS 2017,
        Algorithm 1.
    """

    default_loss = "wasserstein"
    default_n_critic = 5
    default_critic_normalization = "layer"

    def __init__(self, *args, gp_weight=10.0, one_sided=False, loss="wasserstein", **kwargs):
        if loss != "wasserstein":
            raise ValueError(f"WGANGP uses the Wasserstein loss. Received: loss={loss!r}")
        if gp_weight < 0:
            raise ValueError(f"`gp_weight` must be >= 0. Received: gp_weight={gp_weight!r}")
        self.gp_weight = float(gp_weight)
        self.one_sided = bool(one_sided)
        super().__init__(*args, loss=loss, **kwargs)

    def default_optimizers(self):
        return (
            keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
            keras.optimizers.Adam(1e-4, beta_1=0.0, beta_2=0.9),
        )

    def variant_terms(self):
        return [GradientPenalty(self.gp_weight, one_sided=self.one_sided)]

    def get_config(self):
        return {**super().get_config(), "gp_weight": self.gp_weight, "one_sided": self.one_sided}
