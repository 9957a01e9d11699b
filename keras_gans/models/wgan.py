"""WGAN: Wasserstein critic with weight clipping."""

import keras

from keras_gans.models.base import AdversarialModel
from keras_gans.terms import WeightClipping


@keras.saving.register_keras_serializable(package="keras_gans")
class WGAN(AdversarialModel):
    """Wasserstein GAN with weight clipping.

    The critic estimates the Wasserstein-1 distance `E[D(x)] - E[D(G(z))]`; after
    every critic update all its weights are clipped to `[-clip_value, clip_value]`
    to keep it (roughly) Lipschitz. Paper defaults: `n_critic=5`,
    `clip_value=0.01`, RMSprop with learning rate 5e-5 for both networks (rho
    0.99 and epsilon 1e-8, PyTorch's defaults, which the reference code used).

    Args:
        clip_value: bound of the weight clipping (> 0).
        generator, discriminator, latent_dim, image_shape, n_critic, seed, name:
            see `AdversarialModel`. The loss is fixed to `"wasserstein"`.

    Example:

    ```python
    wgan = keras_gans.models.WGAN(image_shape=(28, 28, 1))
    wgan.compile()  # RMSprop(5e-5) for critic and generator
    wgan.fit(images, batch_size=64, epochs=5)
    ```

    Reference:
        Arjovsky et al., "Wasserstein Generative Adversarial Networks", ICML 2017,
        Algorithm 1.
    """

    default_loss = "wasserstein"
    default_n_critic = 5
    default_critic_normalization = None

    def __init__(self, *args, clip_value=0.01, loss="wasserstein", **kwargs):
        if loss != "wasserstein":
            raise ValueError(f"WGAN uses the Wasserstein loss. Received: loss={loss!r}")
        if not clip_value > 0:
            raise ValueError(f"`clip_value` must be > 0. Received: clip_value={clip_value!r}")
        self.clip_value = float(clip_value)
        super().__init__(*args, loss=loss, **kwargs)

    def default_optimizers(self):
        # PyTorch's RMSprop defaults, as the reference code (martinarjovsky/WassersteinGAN).
        return tuple(keras.optimizers.RMSprop(5e-5, rho=0.99, epsilon=1e-8) for _ in range(2))

    def variant_terms(self):
        return [WeightClipping(self.clip_value)]

    def get_config(self):
        return {**super().get_config(), "clip_value": self.clip_value}
