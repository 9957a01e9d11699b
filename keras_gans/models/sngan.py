"""SNGAN: a spectrally normalized discriminator (Miyato et al. 2018)."""

import keras

from keras_gans.models.base import AdversarialModel
from keras_gans.networks.sngan import has_spectral_normalization
from keras_gans.networks.sngan import sngan_discriminator
from keras_gans.networks.sngan import sngan_generator

# Table 1 of Miyato et al. 2018: Adam learning rate, beta_1, beta_2, and the
# number of discriminator updates per generator update (n_dis).
SNGAN_SETTINGS = {
    "A": {"learning_rate": 1e-4, "beta_1": 0.5, "beta_2": 0.9, "n_dis": 5},
    "B": {"learning_rate": 1e-4, "beta_1": 0.5, "beta_2": 0.999, "n_dis": 1},
    "C": {"learning_rate": 2e-4, "beta_1": 0.5, "beta_2": 0.999, "n_dis": 1},
    "D": {"learning_rate": 1e-3, "beta_1": 0.5, "beta_2": 0.9, "n_dis": 5},
    "E": {"learning_rate": 1e-3, "beta_1": 0.5, "beta_2": 0.999, "n_dis": 5},
    "F": {"learning_rate": 1e-3, "beta_1": 0.9, "beta_2": 0.999, "n_dis": 5},
}


@keras.saving.register_keras_serializable(package="keras_gans")
class SNGAN(AdversarialModel):
    """Spectrally normalized GAN.

    Every layer of the discriminator divides its kernel by its largest singular
    value (`keras_gans.layers.SpectralNormalization`, one power iteration per
    training call), which bounds the discriminator's Lipschitz constant without
    a gradient penalty. The default networks are the paper's "standard CNN"
    (`keras_gans.networks.sngan`, Table 3). `setting` picks one of the paper's six
    optimizer settings (Table 1):

    | setting | learning rate | beta_1 | beta_2 | n_dis |
    |---------|---------------|--------|--------|-------|
    | A       | 1e-4          | 0.5    | 0.9    | 5     |
    | B       | 1e-4          | 0.5    | 0.999  | 1     |
    | C       | 2e-4          | 0.5    | 0.999  | 1     |
    | D       | 1e-3          | 0.5    | 0.9    | 5     |
    | E       | 1e-3          | 0.5    | 0.999  | 5     |
    | F       | 1e-3          | 0.9    | 0.999  | 5     |

    It sets `n_critic` (unless given) and the Adam optimizers `compile()` uses
    when none are passed (the same for both networks).

    Args:
        setting: `"A"` to `"F"` (default `"C"`, DCGAN's setting).
        loss: `"non_saturating"` (default, the paper's main objective) or
            `"hinge"` (its hinge-loss variant), or any other adversarial loss.
        filters: width of the default networks (64 in the paper).
        generator, discriminator, latent_dim (128 by default), image_shape,
            n_critic, seed, name, and the training tricks: see `AdversarialModel`.
            A custom discriminator must contain `SpectralNormalization` layers.

    Example:

    ```python
    gan = keras_gans.models.SNGAN(image_shape=(32, 32, 3), setting="B", loss="hinge")
    gan.compile()
    gan.fit(images, batch_size=64, epochs=10)
    ```

    Reference:
        Miyato et al., "Spectral Normalization for Generative Adversarial
        Networks", ICLR 2018.
    """

    default_loss = "non_saturating"
    default_latent_dim = 128
    default_setting = "C"

    def __init__(self, *args, setting=None, filters=64, **kwargs):
        setting = self.default_setting if setting is None else setting
        if setting not in SNGAN_SETTINGS:
            raise ValueError(f"Unknown SNGAN setting {setting!r}; choose one of {', '.join(SNGAN_SETTINGS)}.")
        if isinstance(filters, bool) or not isinstance(filters, int) or filters < 1:
            raise ValueError(f"filters must be a positive integer, got {filters!r}.")
        self.setting = setting
        self.filters = filters
        self.default_n_critic = SNGAN_SETTINGS[setting]["n_dis"]
        super().__init__(*args, **kwargs)
        self._check_spectral_normalization()

    def _check_spectral_normalization(self):
        if not has_spectral_normalization(self.discriminator):
            raise ValueError(
                f"{type(self).__name__} needs a discriminator with SpectralNormalization layers "
                "(keras_gans.layers.SpectralNormalization), e.g. "
                "keras_gans.networks.sngan.sngan_discriminator."
            )

    def default_generator(self, latent_dim, image_shape):
        return sngan_generator(latent_dim, image_shape, filters=self.filters)

    def default_discriminator(self, image_shape):
        return sngan_discriminator(image_shape, filters=self.filters)

    def default_optimizers(self):
        s = SNGAN_SETTINGS[self.setting]
        return tuple(
            keras.optimizers.Adam(s["learning_rate"], beta_1=s["beta_1"], beta_2=s["beta_2"])
            for _ in range(2)
        )

    def get_config(self):
        return {**super().get_config(), "setting": self.setting, "filters": self.filters}
