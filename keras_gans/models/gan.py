"""GAN: the original adversarial game, non-saturating by default."""

import keras

from keras_gans.models.base import AdversarialModel


@keras.saving.register_keras_serializable(package="keras_gans")
class GAN(AdversarialModel):
    """A GAN with a sigmoid cross-entropy (or hinge) adversarial loss.

    The discriminator learns to tell real from generated samples; the
    generator learns to fool it. `loss="non_saturating"` (default) has the
    generator maximize `log D(G(z))`; `loss="minimax"` is the original
    `min log(1 - D(G(z)))`; `loss="hinge"` gives the hinge loss of SNGAN/SAGAN.
    Optimizers default to Adam(2e-4, beta_1=0.5) as in DCGAN.

    Args:
        generator, discriminator, latent_dim, image_shape, n_critic, seed, name:
            see `AdversarialModel`.
        loss: `"non_saturating"`, `"minimax"`, `"hinge"` (or any name accepted by
            `keras_gans.losses.get`).

    Example:

    ```python
    generator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(64, "relu"),
                                  keras.layers.Dense(2)])
    discriminator = keras.Sequential([keras.Input((2,)), keras.layers.Dense(64, "relu"),
                                      keras.layers.Dense(1)])
    gan = keras_gans.models.GAN(generator, discriminator, latent_dim=2)
    gan.compile()
    gan.fit(keras_gans.data.mixture("ring", 10_000), batch_size=256, epochs=10)
    ```

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
        Radford et al., "Unsupervised Representation Learning with Deep
        Convolutional Generative Adversarial Networks", ICLR 2016.
    """

    default_loss = "non_saturating"
