"""SAGAN: self-attention and spectral normalization in both networks (Zhang et al. 2019)."""

import keras

from keras_gans.models.base import AdversarialModel
from keras_gans.networks.sngan import has_spectral_normalization
from keras_gans.networks.sngan import sngan_discriminator
from keras_gans.networks.sngan import sngan_generator


@keras.saving.register_keras_serializable(package="keras_gans")
class SAGAN(AdversarialModel):
    """Self-Attention GAN.

    Both networks are spectrally normalized and have a self-attention block
    (`keras_gans.layers.SelfAttention`, its output scale `gamma` starting at 0)
    at the feature-map size `attention_resolution`; the loss is the hinge loss
    and the optimizers follow the two time-scale update rule: Adam(1e-4) for the
    generator, Adam(4e-4) for the discriminator, both with `beta_1=0`,
    `beta_2=0.9`, one discriminator step per generator step. The default
    networks are the SNGAN standard CNN with spectral normalization in the
    generator and attention added (`keras_gans.networks.sngan`).

    Args:
        attention_resolution: feature-map side of the attention blocks in the
            default networks; `None` uses half the image side (14 for 28x28, 16
            for 32x32).
        filters: width of the default networks.
        loss: `"hinge"` by default.
        generator, discriminator, latent_dim (128 by default), image_shape,
            n_critic (1 by default), seed, name, and the training tricks: see
            `AdversarialModel`. Custom networks must both contain
            `SpectralNormalization` layers.

    Example:

    ```python
    gan = keras_gans.models.SAGAN(image_shape=(32, 32, 3), attention_resolution=16)
    gan.compile()  # Adam(1e-4) for G, Adam(4e-4) for D
    gan.fit(images, batch_size=64, epochs=10)
    ```

    Reference:
        Zhang et al., "Self-Attention Generative Adversarial Networks", ICML 2019.
        Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge to a
        Local Nash Equilibrium", NeurIPS 2017.
    """

    default_loss = "hinge"
    default_n_critic = 1
    default_latent_dim = 128
    generator_learning_rate = 1e-4
    discriminator_learning_rate = 4e-4

    def __init__(self, *args, attention_resolution=None, filters=64, **kwargs):
        if isinstance(filters, bool) or not isinstance(filters, int) or filters < 1:
            raise ValueError(f"filters must be a positive integer, got {filters!r}.")
        if attention_resolution is not None and (
            isinstance(attention_resolution, bool) or not isinstance(attention_resolution, int)
        ):
            raise ValueError(f"attention_resolution must be None or an int, got {attention_resolution!r}.")
        self.attention_resolution = attention_resolution
        self.filters = filters
        super().__init__(*args, **kwargs)
        for role, network in (("generator", self.generator), ("discriminator", self.discriminator)):
            if not has_spectral_normalization(network):
                raise ValueError(
                    f"SAGAN needs a {role} with SpectralNormalization layers "
                    "(keras_gans.layers.SpectralNormalization), e.g. the networks of "
                    "keras_gans.networks.sngan with spectral_norm=True."
                )

    def _resolution(self, image_shape):
        if self.attention_resolution is not None:
            return self.attention_resolution
        return image_shape[0] // 2

    def default_generator(self, latent_dim, image_shape):
        return sngan_generator(
            latent_dim,
            image_shape,
            filters=self.filters,
            spectral_norm=True,
            attention_resolution=self._resolution(image_shape),
        )

    def default_discriminator(self, image_shape):
        return sngan_discriminator(
            image_shape, filters=self.filters, attention_resolution=self._resolution(image_shape)
        )

    def default_optimizers(self):
        return (
            keras.optimizers.Adam(self.generator_learning_rate, beta_1=0.0, beta_2=0.9),
            keras.optimizers.Adam(self.discriminator_learning_rate, beta_1=0.0, beta_2=0.9),
        )

    def get_config(self):
        return {
            **super().get_config(),
            "attention_resolution": self.attention_resolution,
            "filters": self.filters,
        }
