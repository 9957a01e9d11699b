"""CycleGAN: unpaired image-to-image translation with cycle consistency."""

import keras
import numpy as np

from keras_gans import networks
from keras_gans.image_to_image.bidirectional_adversarial_loss import BidirectionalAdversarialLoss
from keras_gans.image_to_image.cycle_consistency import CycleConsistency
from keras_gans.image_to_image.discriminator_pair import DiscriminatorPair
from keras_gans.image_to_image.generator_pair import GeneratorPair
from keras_gans.image_to_image.identity_mapping import IdentityMapping
from keras_gans.image_to_image.image_checks import describe_shape
from keras_gans.image_to_image.image_pool import ImagePool
from keras_gans.image_to_image.linear_decay import LinearDecay
from keras_gans.image_to_image.translation_mixin import ImageTranslationMixin
from keras_gans.image_to_image.unpaired_epochs import unpaired_epochs
from keras_gans.image_to_image.unpaired_step_tensors import UnpairedStepTensors
from keras_gans.models.base import AdversarialModel
from keras_gans.models.pix2pix import patchgan_downsamplings
from keras_gans.models.training_data import check_batch_size
from keras_gans.random_streams import derive_seed
from keras_gans.terms.term import check_non_negative

DIRECTIONS = ("a_to_b", "b_to_a")


def _pair(value, pair_class, names, what):
    if value is None or isinstance(value, pair_class):
        return value
    if isinstance(value, (tuple, list)) and len(value) == 2:
        return pair_class(*value)
    raise ValueError(
        f"`{what}` must be a {pair_class.__name__} or two keras.Models ({', '.join(names)}). "
        f"Received: {what} of type {type(value).__name__}"
    )


def _is_dataset(value):
    import tensorflow as tf

    return isinstance(value, tf.data.Dataset)


ONE_CRITIC_KEYWORDS = ("r1_gamma", "r2_gamma", "dragan_weight", "bcr_weight", "lecam_weight")


@keras.saving.register_keras_serializable(package="keras_gans")
class CycleGAN(ImageTranslationMixin, AdversarialModel):
    """CycleGAN: two generators and two discriminators, trained as the engine's two networks.

    `G = a_to_b` and `F = b_to_a` translate between two unpaired image domains;
    `d_b` tells real B images from `G(a)`, `d_a` real A images from `F(b)`. The
    model's `generator` is a `keras_gans.image_to_image.GeneratorPair` holding
    G and F, and its `discriminator` a `keras_gans.image_to_image.DiscriminatorPair`
    holding `d_a` and `d_b`, so a train step is the engine's two phases: one
    update of both discriminators on their least-squares losses (`d_loss`,
    each on fakes from a history pool of `pool_size` images,
    `keras_gans.image_to_image.ImagePool`), then one update of both generators
    on `g_loss + cycle_weight * cycle_loss + identity_weight * identity_loss`,
    all terms of the engine (`BidirectionalAdversarialLoss`,
    `CycleConsistency`, `IdentityMapping`) computed from
    `keras_gans.image_to_image.UnpairedStepTensors`.

    Trained with `fit(domain_a, domain_b)` on two arrays of images in [-1, 1]
    (any sizes; one epoch is a pass over the larger, in a seeded order that a
    resumed run continues), or on a `tf.data.Dataset` of `(images_a,
    images_b)` batches (`keras_gans.data.unpaired_dataset`). The paper trains
    with batch size 1, Adam(2e-4, beta_1=0.5) for both networks, the rate
    constant for 100 epochs and decayed linearly to 0 over 100 more:
    `constant_steps` and `decay_steps` give the default optimizers that
    schedule (`keras_gans.image_to_image.LinearDecay`, counted in updates).

    Args:
        generator: a `GeneratorPair`, or `(a_to_b, b_to_a)` models; two
            `keras_gans.networks.resnet_generator`s when omitted.
        discriminator: a `DiscriminatorPair`, or `(d_a, d_b)`; two
            `keras_gans.networks.patchgan_discriminator`s (instance norm) when omitted.
        image_shape: `(height, width, channels)` of both domains' images.
        cycle_weight: `lambda` of the cycle loss (10).
        identity_weight: weight of the identity loss; default `0.5 * cycle_weight`.
        adversarial_weight: weight of the generators' adversarial term; 2 makes
            keras-gans' least-squares loss (which halves it) the paper's.
        pool_size: images in each discriminator's history pool (50; 0: none).
        filters, num_residual_blocks: default generators (64 and 9 in the paper
            for 256 px, 6 for 128 px).
        discriminator_filters: default discriminators' first filters (64).
        normalization: default networks' normalization (`"instance"`).
        serving_direction: `"a_to_b"` or `"b_to_a"`: what `export_generator`
            exports and `translate` does by default.
        learning_rate, constant_steps, decay_steps: the default optimizers:
            Adam(learning_rate, beta_1=0.5), with a `LinearDecay` when
            `decay_steps` is given.
        seed: model seed (the pools' draws are seeded from it).
        **kwargs: see `keras_gans.models.AdversarialModel` (`loss` defaults to
            `"least_squares"`).

    Example:

    ```python
    sneakers, boots = keras_gans.data.fashion_mnist_domains("sneaker", "ankle_boot")
    cycle_gan = keras_gans.models.CycleGAN(image_shape=(28, 28, 1), filters=16,
                                           num_residual_blocks=3)
    cycle_gan.compile()
    cycle_gan.fit(sneakers, boots, batch_size=1, epochs=1)
    fake_boots = cycle_gan.translate(sneakers[:8], direction="a_to_b")
    ```

    Reference:
        - [Zhu et al., 2017](https://arxiv.org/abs/1703.10593), "Unpaired Image-to-Image
          Translation using Cycle-Consistent Adversarial Networks".
    """

    default_loss = "least_squares"
    translation_directions = DIRECTIONS

    def __init__(
        self,
        generator=None,
        discriminator=None,
        image_shape=None,
        cycle_weight=10.0,
        identity_weight=None,
        adversarial_weight=2.0,
        pool_size=50,
        filters=64,
        num_residual_blocks=9,
        discriminator_filters=64,
        normalization="instance",
        serving_direction="a_to_b",
        learning_rate=2e-4,
        constant_steps=None,
        decay_steps=None,
        seed=None,
        **kwargs,
    ):
        self.cycle_weight = check_non_negative("cycle_weight", cycle_weight)
        identity_weight = 0.5 * self.cycle_weight if identity_weight is None else identity_weight
        self.identity_weight = check_non_negative("identity_weight", identity_weight)
        self.adversarial_weight = check_non_negative("adversarial_weight", adversarial_weight)
        if isinstance(pool_size, bool) or not isinstance(pool_size, int) or pool_size < 0:
            raise ValueError(f"`pool_size` must be an integer >= 0. Received: pool_size={pool_size!r}")
        self.pool_size = pool_size
        if serving_direction not in DIRECTIONS:
            raise ValueError(
                f"`serving_direction` must be one of {DIRECTIONS}. "
                f"Received: serving_direction={serving_direction!r}"
            )
        self.serving_direction = serving_direction
        self.filters = filters
        self.num_residual_blocks = num_residual_blocks
        self.discriminator_filters = discriminator_filters
        self.normalization = normalization
        self.learning_rate = check_non_negative("learning_rate", learning_rate)
        if (constant_steps is None) != (decay_steps is None):
            raise ValueError(
                "constant_steps and decay_steps go together (the learning rate's linear decay). "
                f"Received: constant_steps={constant_steps!r}, decay_steps={decay_steps!r}"
            )
        if decay_steps is not None:
            LinearDecay(self.learning_rate, constant_steps, decay_steps)  # checks them
        self.constant_steps = constant_steps
        self.decay_steps = decay_steps
        generator = _pair(generator, GeneratorPair, ("a_to_b", "b_to_a"), "generator")
        discriminator = _pair(discriminator, DiscriminatorPair, ("d_a", "d_b"), "discriminator")
        if generator is None:
            if image_shape is None:
                raise ValueError(
                    "Pass a `generator` and a `discriminator` (pairs), or an `image_shape` such as "
                    "(28, 28, 1) to build the default ResNet generators and PatchGANs."
                )
            shape = tuple(int(d) for d in image_shape)
            generator = GeneratorPair(
                *(
                    networks.resnet_generator(
                        shape,
                        filters=filters,
                        num_residual_blocks=num_residual_blocks,
                        normalization=normalization,
                        name=f"generator_{direction}",
                    )
                    for direction in DIRECTIONS
                )
            )
        if discriminator is None:
            shape = generator.image_shape
            discriminator = DiscriminatorPair(
                *(
                    networks.patchgan_discriminator(
                        shape,
                        filters=discriminator_filters,
                        num_downsamplings=patchgan_downsamplings(min(shape[:2])),
                        normalization=normalization,
                        name=f"discriminator_{domain}",
                    )
                    for domain in ("a", "b")
                )
            )
        if tuple(discriminator.image_shape) != tuple(generator.image_shape):
            raise ValueError(
                f"The discriminators judge {describe_shape(discriminator.image_shape)} images, the "
                f"generators make {describe_shape(generator.image_shape)} images."
            )
        # The input-gradient penalties and critic regularizers take one critic's
        # function (`StepTensors.critic`), which for CycleGAN's two discriminators
        # would regularize d_b alone: refused rather than half applied.
        one_critic = [k for k in ONE_CRITIC_KEYWORDS if kwargs.get(k)]
        if one_critic:
            raise ValueError(
                f"CycleGAN has two discriminators; {', '.join(one_critic)} regularizes a single "
                "critic and is not available for CycleGAN. Received: "
                + ", ".join(f"{k}={kwargs[k]!r}" for k in one_critic)
            )
        kwargs.setdefault("latent_dim", generator.image_shape[-1])
        super().__init__(generator, discriminator, image_shape=image_shape, seed=seed, **kwargs)
        pool_shape = (None,) + tuple(self.image_shape)
        self.pool_a = ImagePool(pool_size, seed=derive_seed(self.seed, "image_pool_a"), name="image_pool_a")
        self.pool_b = ImagePool(pool_size, seed=derive_seed(self.seed, "image_pool_b"), name="image_pool_b")
        self.pool_a.build(pool_shape)
        self.pool_b.build(pool_shape)

    # ------------------------------------------------------------------ terms

    def variant_terms(self):
        terms = [
            BidirectionalAdversarialLoss("discriminator"),
            BidirectionalAdversarialLoss("generator", weight=self.adversarial_weight),
            CycleConsistency(weight=self.cycle_weight),
        ]
        if self.identity_weight:
            terms.append(IdentityMapping(weight=self.identity_weight))
        return terms

    def step_tensors(self, network, real, labels, training=True):
        return UnpairedStepTensors(self, network, self.prepare_real(real), labels, training=training)

    def default_optimizers(self):
        def optimizer():
            rate = self.learning_rate
            if self.decay_steps is not None:
                rate = LinearDecay(rate, self.constant_steps, self.decay_steps)
            return keras.optimizers.Adam(rate, beta_1=0.5)

        return optimizer(), optimizer()

    # ---------------------------------------------------------- translation

    def translation_generator(self, direction=None):
        """The generator of one direction, from the terms' sampling pair (the EMA
        copy of both generators with `ema_decay`)."""
        pair = self.generator
        for term in self.terms:
            pair = term.sampling_generator(pair)
        return getattr(pair, direction or self.serving_direction)

    def sampling_generator(self):
        return self.translation_generator(self.serving_direction)

    def _check_direction(self, direction):
        return super()._check_direction(self.serving_direction if direction is None else direction)

    # ----------------------------------------------------------------- data

    def _check_domains(self, domain_a, domain_b, where):
        from keras_gans.data.unpaired import check_unpaired_domains

        check_unpaired_domains(domain_a, domain_b)
        shape = tuple(np.shape(domain_a)[1:])
        if shape != tuple(self.image_shape):
            raise ValueError(
                f"{type(self).__name__} translates {describe_shape(self.image_shape)} images; the "
                f"domains passed to {where} hold {describe_shape(shape)} images. Received: domain_a of "
                f"shape {np.shape(domain_a)}, domain_b of shape {np.shape(domain_b)}"
            )

    def _domains(self, x, y, where):
        if y is None and isinstance(x, (tuple, list)) and len(x) == 2:
            x, y = x
        if x is None or y is None:
            raise ValueError(
                f"{type(self).__name__}.{where} takes two image domains: {where}(domain_a, domain_b) "
                "or a tf.data.Dataset of (images_a, images_b) batches."
            )
        self._check_domains(x, y, where)
        return np.asarray(x, "float32"), np.asarray(y, "float32")

    def _check_dataset(self, dataset, where):
        for element in dataset.take(1):
            if not isinstance(element, (tuple, list)) or len(element) != 2:
                raise ValueError(
                    f"{type(self).__name__} trains on a dataset of (images_a, images_b) batches. "
                    f"Received: an element of type {type(element).__name__}"
                )
            self._check_domains(np.asarray(element[0]), np.asarray(element[1]), where)

    def fit(self, x=None, y=None, batch_size=None, epochs=1, initial_epoch=0, shuffle=True, **kwargs):
        """`AdversarialModel.fit` on two unpaired domains.

        Arrays: `fit(domain_a, domain_b, batch_size=1)`; the domains may hold
        different numbers of images (an epoch passes over the larger one; the
        order depends on the model's data seed and the epoch only, so a resumed
        run continues it). A `tf.data.Dataset` of `(images_a, images_b)`
        batches is used as it is. Domains with different channel counts or
        sizes raise a `ValueError`.
        """
        if _is_dataset(x):
            if y is not None:
                raise ValueError(f"A dataset of (images_a, images_b) batches takes no `y`. Received: y={y!r}")
            self._check_dataset(x, "fit")
            return super().fit(
                x, batch_size=batch_size, epochs=epochs, initial_epoch=initial_epoch, shuffle=False, **kwargs
            )
        domain_a, domain_b = self._domains(x, y, "fit")
        batch_size = check_batch_size(batch_size) or 1
        dataset, batches = unpaired_epochs(
            domain_a, domain_b, batch_size, self.data_seed(), initial_epoch, shuffle=bool(shuffle)
        )
        # The engine groups n_critic batches into one train step.
        kwargs.setdefault("steps_per_epoch", max(1, batches // self.n_critic))
        return super().fit(dataset, epochs=epochs, initial_epoch=initial_epoch, shuffle=False, **kwargs)

    def evaluate(self, x=None, y=None, batch_size=None, **kwargs):
        """The main phases' losses on two domains (arrays cut to the smaller's length), no update."""
        if _is_dataset(x):
            self._check_dataset(x, "evaluate")
            return super().evaluate(x, **kwargs)
        domain_a, domain_b = self._domains(x, y, "evaluate")
        count = min(len(domain_a), len(domain_b))
        return super().evaluate(domain_a[:count], domain_b[:count], batch_size=batch_size or 1, **kwargs)

    # --------------------------------------------------------- serialization

    def get_config(self):
        return {
            **super().get_config(),
            "cycle_weight": self.cycle_weight,
            "identity_weight": self.identity_weight,
            "adversarial_weight": self.adversarial_weight,
            "pool_size": self.pool_size,
            "filters": self.filters,
            "num_residual_blocks": self.num_residual_blocks,
            "discriminator_filters": self.discriminator_filters,
            "normalization": self.normalization,
            "serving_direction": self.serving_direction,
            "learning_rate": self.learning_rate,
            "constant_steps": self.constant_steps,
            "decay_steps": self.decay_steps,
        }
