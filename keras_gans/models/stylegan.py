"""StyleGAN: a style-based generator trained with R1 and an EMA generator."""

import keras
import numpy as np

from keras_gans.models.base import AdversarialModel
from keras_gans.networks.stylegan import StyleGANGenerator
from keras_gans.networks.stylegan import stylegan_discriminator
from keras_gans.random_streams import derive_seed
from keras_gans.terms import PathLengthPenalty


@keras.saving.register_keras_serializable(package="keras_gans")
class StyleGAN(AdversarialModel):
    """Style-based GAN at small resolution (StyleGAN with StyleGAN2's synthesis).

    The generator (`keras_gans.networks.stylegan.StyleGANGenerator`) maps `z`
    through a mapping network to a style `w`, which modulates every
    convolution of the synthesis network (modulated convolution with
    demodulation); per-layer noise with learned per-channel scales adds
    stochastic detail, and a learned constant is the 4x4 input. In training,
    style mixing regularization gives a share (`style_mixing_probability`) of
    the samples the styles of a second latent from a random layer on, and a
    running mean of `w` is tracked for truncation at sampling:
    `generate(n, truncation_psi=0.7)` uses `w_avg + psi * (w - w_avg)`
    (`psi=0` gives the image of the mean style, `psi=1` no truncation).

    Training (StyleGAN2's): the non-saturating logistic loss; the R1 penalty
    `r1_gamma / 2 * E||grad D(x)||^2` on real data, applied lazily every
    `r1_interval` (16) steps with its weight times 16; path length
    regularization (`keras_gans.terms.PathLengthPenalty`, weight 2, every 4
    steps, on half the batch); Adam(2e-3, beta_1=0, beta_2=0.99,
    epsilon=1e-8); and an exponential moving average of the generator
    (`ema_decay`, 0.999) that `generate` and the serving export use.

    Args:
        image_shape: `(resolution, resolution, channels)` for the default
            networks, resolution a power of 2 (e.g. `(32, 32, 1)`).
        filters: int or one int per resolution (4x4 first).
        w_dim: style size (`latent_dim` by default).
        mapping_layers: depth of the mapping network.
        style_mixing_probability: style mixing probability (0.9 in the paper).
            `None` keeps a given generator's own setting.
        r1_gamma: R1 weight gamma (0 disables it).
        r1_interval: steps between R1 applications (1: every step).
        path_length_weight: weight of path length regularization (0 disables it).
        path_length_interval: steps between its applications.
        ema_decay: decay of the EMA generator (`None` disables it).
        generator, discriminator, latent_dim (128 by default), seed, name and
            the other training tricks: see `AdversarialModel`.

    Example:

    ```python
    gan = keras_gans.models.StyleGAN(image_shape=(32, 32, 1), latent_dim=64, filters=32)
    gan.compile()
    gan.fit(images, batch_size=32, epochs=10)
    samples = gan.generate(16, seed=0, truncation_psi=0.7)
    ```

    Reference:
        Karras et al., "A Style-Based Generator Architecture for Generative
        Adversarial Networks", CVPR 2019.
        Karras et al., "Analyzing and Improving the Image Quality of StyleGAN",
        CVPR 2020.
        Mescheder et al., "Which Training Methods for GANs do actually
        Converge?", ICML 2018 (R1).
    """

    default_loss = "non_saturating"
    default_latent_dim = 128

    def __init__(
        self,
        generator=None,
        discriminator=None,
        latent_dim=None,
        image_shape=None,
        filters=64,
        w_dim=None,
        mapping_layers=4,
        style_mixing_probability=0.9,
        r1_gamma=10.0,
        r1_interval=16,
        path_length_weight=2.0,
        path_length_interval=4,
        ema_decay=0.999,
        **kwargs,
    ):
        self.filters = list(filters) if isinstance(filters, (list, tuple)) else int(filters)
        self.w_dim = None if w_dim is None else int(w_dim)
        self.mapping_layers = int(mapping_layers)
        self._style_mixing_probability = style_mixing_probability
        if not float(path_length_weight) >= 0:
            raise ValueError(
                f"`path_length_weight` must be >= 0. Received: path_length_weight={path_length_weight!r}"
            )
        self.path_length_weight = float(path_length_weight)
        self.path_length_interval = int(path_length_interval)
        super().__init__(
            generator,
            discriminator,
            latent_dim=latent_dim,
            image_shape=image_shape,
            r1_gamma=r1_gamma,
            r1_interval=r1_interval,
            ema_decay=ema_decay,
            **kwargs,
        )
        if not isinstance(self.generator, StyleGANGenerator):
            raise ValueError(
                "StyleGAN needs a keras_gans.networks.stylegan.StyleGANGenerator, got "
                f"{type(self.generator).__name__}."
            )
        if style_mixing_probability is not None and not np.isclose(
            float(style_mixing_probability), self.generator.style_mixing_probability
        ):
            raise ValueError(
                f"style_mixing_probability={style_mixing_probability} differs from the given "
                f"generator's {self.generator.style_mixing_probability}; pass None to keep it."
            )

    @property
    def style_mixing_probability(self):
        return self.generator.style_mixing_probability

    def default_generator(self, latent_dim, image_shape):
        probability = self._style_mixing_probability
        return StyleGANGenerator(
            latent_dim=latent_dim,
            w_dim=self.w_dim,
            mapping_layers=self.mapping_layers,
            resolution=image_shape[0],
            channels=image_shape[-1],
            filters=self.filters,
            style_mixing_probability=0.9 if probability is None else probability,
            seed=derive_seed(self.seed, "style_mixing"),
        )

    def variant_terms(self):
        if not self.path_length_weight:
            return []
        return [PathLengthPenalty(self.path_length_weight, interval=self.path_length_interval)]

    def default_discriminator(self, image_shape):
        return stylegan_discriminator(image_shape[0], image_shape[-1], self.filters)

    def default_optimizers(self):
        return tuple(keras.optimizers.Adam(2e-3, beta_1=0.0, beta_2=0.99, epsilon=1e-8) for _ in range(2))

    def generate(self, n, seed=None, labels=None, batch_size=256, truncation_psi=1.0, noise_mode="const"):
        """Generates `n` samples (NumPy float32) from the EMA generator.

        Args:
            n: number of samples.
            seed: int for reproducible latents.
            labels: ignored (unconditional).
            batch_size: generator batch size.
            truncation_psi: truncation of `w` towards its running mean (1: none).
            noise_mode: `"const"` (fixed noise images, deterministic given the
                latents), `"random"` or `"none"`.
        """
        return super().generate(
            n, seed=seed, batch_size=batch_size, truncation_psi=truncation_psi, noise_mode=noise_mode
        )

    def get_config(self):
        return {
            **super().get_config(),
            "filters": self.filters,
            "w_dim": self.w_dim,
            "mapping_layers": self.mapping_layers,
            "style_mixing_probability": self.style_mixing_probability,
            "path_length_weight": self.path_length_weight,
            "path_length_interval": self.path_length_interval,
        }
