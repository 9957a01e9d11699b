"""ProGAN: progressive growing of the generator and discriminator (Karras et al. 2018)."""

import keras
from keras import ops

from keras_gans.models.wgan_gp import WGANGP
from keras_gans.networks.progan import ProGANDiscriminator
from keras_gans.networks.progan import ProGANGenerator
from keras_gans.networks.progan import progressive_resize
from keras_gans.terms import DriftPenalty


def growth_schedule(images_seen, num_levels, fade_in_images, stabilize_images):
    """`(level, alpha)` after `images_seen` training images, in `keras.ops`.

    Level 0 (4x4) trains for `stabilize_images`; every later level first fades
    in over `fade_in_images` (alpha rising linearly from 0 to 1) and then
    stabilizes for `stabilize_images` (alpha 1). The last level stays forever.

    Returns:
        float32 scalars `(level, alpha)`.
    """
    t = ops.cast(images_seen, "float32")
    fade = float(fade_in_images)
    phase = fade + float(stabilize_images)
    since_first = t - float(stabilize_images)
    grown = ops.where(since_first < 0.0, 0.0, ops.floor(since_first / max(phase, 1e-30)) + 1.0)
    last = float(num_levels - 1)
    level = ops.minimum(grown, last)
    into_phase = since_first - (grown - 1.0) * phase
    if fade > 0:
        fading = ops.clip(into_phase / fade, 0.0, 1.0)
    else:
        fading = ops.ones_like(t)
    alpha = ops.where(ops.logical_or(since_first < 0.0, grown > last), 1.0, fading)
    return ops.cast(level, "float32"), ops.cast(alpha, "float32")


@keras.saving.register_keras_serializable(package="keras_gans")
class ProGAN(WGANGP):
    """Progressive growing of GANs, trained with `model.fit`.

    Training starts at 4x4 and doubles the resolution up to the target: each
    new block of both networks fades in while `alpha` goes from 0 to 1 over
    `fade_in_images` images, then the networks stabilize for `stabilize_images`
    images (the 4x4 phase is stabilization only). The model counts the images
    it has trained on in the non-trainable variable `images_seen` and, inside
    every train step, sets the `level` and `alpha` variables of both networks
    (and of the EMA generator) from it with `growth_schedule`. No callback is
    needed and growth is part of the saved state: a model saved mid-phase
    (`model.save`, `save_weights`, checkpoints) resumes in the same phase with
    the same alpha.

    Generator fade-in, at level `l` (resolution `4 * 2**l`):

        out = alpha * to_rgb_l(block_l(h)) + (1 - alpha) * upsample(to_rgb_{l-1}(h))

    Real images are average-pooled to the current resolution and blended the
    same way during a fade-in (`progressive_resize`). The discriminator fades
    in its `from_rgb` branches symmetrically.

    Static shapes: the generator's output of every level is upsampled (nearest)
    to the target size, and the discriminator always takes target-size images
    (average pooling inverts the upsampling exactly), and every block is
    computed at every level with zero weight when unused. One compiled train
    step therefore serves all phases under TensorFlow (graph and XLA), JAX
    (`jit`) and PyTorch; the price is full-resolution compute from the first
    phase. A side effect: the gradient penalty is measured on target-size
    images, so at lower levels it constrains the critic's gradient with respect
    to the upsampled images.

    Loss: WGAN-GP (`gp_weight=10`) plus the epsilon drift term
    `drift_weight * E[D(x)^2]` (0.001), one critic update per generator update,
    Adam(1e-3, beta_1=0, beta_2=0.99, epsilon=1e-8), pixel normalization,
    equalized learning rate and minibatch standard deviation in the default
    networks (`keras_gans.networks.progan`).

    Args:
        image_shape: target `(resolution, resolution, channels)`, resolution a
            power of 2 (e.g. `(32, 32, 1)`), for the default networks.
        fade_in_images: images over which each new level fades in (800k in
            the paper).
        stabilize_images: images each level trains at full alpha (800k).
        filters: int or one int per level (4x4 first) for the default networks.
        drift_weight: weight of the drift term (epsilon).
        gp_weight: weight of the gradient penalty.
        generator, discriminator: a `ProGANGenerator` and a
            `ProGANDiscriminator` (or any networks with `level`/`alpha`
            variables, `set_growth` and `num_levels`).
        latent_dim (128 by default), n_critic, seed, name, ema_decay and the
            other training tricks: see `AdversarialModel`.

    Example:

    ```python
    gan = keras_gans.models.ProGAN(
        image_shape=(32, 32, 1), latent_dim=64, filters=(64, 64, 32, 16),
        fade_in_images=20_000, stabilize_images=20_000)
    gan.compile()
    gan.fit(images, batch_size=32, epochs=3)  # 60k images per epoch
    # total_schedule_images(4, 20_000, 20_000) == 140_000 images: grown to 32x32
    gan.level, gan.alpha, gan.resolution      # (3, 1.0, 32)
    ```

    Reference:
        Karras et al., "Progressive Growing of GANs for Improved Quality,
        Stability, and Variation", ICLR 2018 (sections 2-4, A.1).
    """

    default_n_critic = 1
    default_latent_dim = 128

    def __init__(
        self,
        generator=None,
        discriminator=None,
        latent_dim=None,
        image_shape=None,
        fade_in_images=800_000,
        stabilize_images=800_000,
        filters=64,
        drift_weight=0.001,
        gp_weight=10.0,
        **kwargs,
    ):
        for arg_name, value in (("fade_in_images", fade_in_images), ("stabilize_images", stabilize_images)):
            if isinstance(value, bool) or int(value) != value or value < 0:
                raise ValueError(f"{arg_name} must be an integer >= 0, got {value!r}.")
        if drift_weight < 0:
            raise ValueError(f"drift_weight must be >= 0, got {drift_weight}.")
        self.fade_in_images = int(fade_in_images)
        self.stabilize_images = int(stabilize_images)
        self.filters = list(filters) if isinstance(filters, (list, tuple)) else int(filters)
        self.drift_weight = float(drift_weight)
        super().__init__(
            generator,
            discriminator,
            latent_dim=latent_dim,
            image_shape=image_shape,
            gp_weight=gp_weight,
            **kwargs,
        )
        for role, network in (("generator", self.generator), ("discriminator", self.discriminator)):
            if not all(hasattr(network, a) for a in ("level", "alpha", "set_growth", "num_levels")):
                raise ValueError(
                    f"ProGAN needs a growing {role} (keras_gans.networks.progan."
                    f"ProGAN{role.capitalize()}), got {type(network).__name__}."
                )
        if self.generator.num_levels != self.discriminator.num_levels:
            raise ValueError(
                f"The generator has {self.generator.num_levels} levels and the discriminator "
                f"{self.discriminator.num_levels}."
            )
        self.num_levels = self.generator.num_levels
        self.images_seen = self.add_weight(
            shape=(), initializer="zeros", dtype="int32", trainable=False, name="images_seen"
        )

    # ----------------------------------------------------------- networks

    def default_generator(self, latent_dim, image_shape):
        return ProGANGenerator(
            latent_dim=latent_dim, resolution=image_shape[0], channels=image_shape[-1], filters=self.filters
        )

    def default_discriminator(self, image_shape):
        return ProGANDiscriminator(resolution=image_shape[0], channels=image_shape[-1], filters=self.filters)

    def default_optimizers(self):
        return tuple(keras.optimizers.Adam(1e-3, beta_1=0.0, beta_2=0.99, epsilon=1e-8) for _ in range(2))

    # ------------------------------------------------------------- growth

    def _growing_networks(self):
        networks = [self.generator, self.discriminator]
        averaged = self.sampling_generator()
        if averaged is not self.generator:
            networks.append(averaged)
        return networks

    def _apply_schedule(self):
        level, alpha = growth_schedule(
            self.images_seen, self.num_levels, self.fade_in_images, self.stabilize_images
        )
        for network in self._growing_networks():
            network.set_growth(level, alpha)

    def set_images_seen(self, images_seen):
        """Jumps the schedule to `images_seen` training images (sets level and alpha)."""
        self.images_seen.assign(int(images_seen))
        self._apply_schedule()

    @property
    def level(self):
        """Current level (0 is 4x4), a Python int."""
        return int(round(float(ops.convert_to_numpy(self.generator.level))))

    @property
    def alpha(self):
        """Current fade-in alpha, a Python float."""
        return float(ops.convert_to_numpy(self.generator.alpha))

    @property
    def resolution(self):
        """Resolution of the current level (the output is upsampled to `image_shape`)."""
        return 4 * 2**self.level

    def resize_real(self, real):
        """Real images at the current level and alpha (see `progressive_resize`)."""
        return progressive_resize(real, self.discriminator.level, self.discriminator.alpha, self.num_levels)

    # --------------------------------------------------------------- step

    def adversarial_step(self, real, labels, update, run, when):
        run(self._apply_schedule)
        super().adversarial_step(real, labels, update, run, when)
        batch_size = ops.cast(ops.shape(real)[0], "int32")
        run(lambda: self.images_seen.assign(self.images_seen + batch_size))
        run(self._apply_schedule)

    def prepare_real(self, real):
        return self.resize_real(real)

    def variant_terms(self):
        return super().variant_terms() + [DriftPenalty(self.drift_weight)]

    # ------------------------------------------------------ serialization

    def load_own_variables(self, store):
        super().load_own_variables(store)
        # The networks' level/alpha are restored with their own weights; this
        # keeps them consistent with the restored image count.
        self._apply_schedule()

    def get_config(self):
        return {
            **super().get_config(),
            "fade_in_images": self.fade_in_images,
            "stabilize_images": self.stabilize_images,
            "filters": self.filters,
            "drift_weight": self.drift_weight,
        }


def total_schedule_images(num_levels, fade_in_images, stabilize_images):
    """Images needed to reach the last level with alpha 1 and stabilize it once."""
    return int(stabilize_images + (num_levels - 1) * (fade_in_images + stabilize_images))
