"""LSGAN: least-squares adversarial loss."""

import keras

from keras_gans.models.base import AdversarialModel


@keras.saving.register_keras_serializable(package="keras_gans")
class LSGAN(AdversarialModel):
    """Least Squares GAN.

    The discriminator regresses real samples to 1 and fakes to 0 on its linear
    output; the generator pulls its fakes' scores to 1 (the a-b-c = 0-1-1
    coding of the paper). Penalizing samples by their distance to the decision
    boundary gives gradients even for fakes the discriminator already rejects.

    Args:
        generator, discriminator, latent_dim, image_shape, n_critic, seed, name:
            see `AdversarialModel`. The loss is fixed to `"least_squares"`.

    Example:

    ```python
    gan = keras_gans.models.LSGAN(image_shape=(28, 28, 1))
    gan.compile()
    gan.fit(images, batch_size=64, epochs=5)
    ```

    Reference:
        Mao et al., "Least Squares Generative Adversarial Networks", ICCV 2017.
    """

    default_loss = "least_squares"

    def __init__(self, *args, loss="least_squares", **kwargs):
        if loss != "least_squares":
            raise ValueError(f"LSGAN uses the least-squares loss; got loss={loss!r}. Use GAN(loss=...).")
        super().__init__(*args, loss=loss, **kwargs)
