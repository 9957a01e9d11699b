"""DiffAugment on everything the discriminator sees, as a term."""

import keras

from keras_gans.augment import DiffAugment
from keras_gans.terms.term import Term

DEFAULT_POLICY = "color,translation,cutout"


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class DiffAugmentation(Term):
    """Differentiable augmentation of every discriminator input, real and fake.

    In training, every batch the discriminator sees goes through
    `keras_gans.augment.DiffAugment` with a fresh random draw per image: the
    real and the generated batches of the discriminator's objective, the
    generated batch of the generator's objective (whose gradient flows
    through the augmentation into the generator) and the inputs of every
    penalty, which are taken with respect to the augmented images. It comes
    before instance noise and packing (`view_order` 5); at inference
    (`training=False`, e.g. `model.evaluate`) nothing is augmented. Keyword of
    every variant: `diff_augment`, a policy string such as
    `"color,translation,cutout"` (or `True` for that default; `None` turns it
    off).

    Args:
        policy: comma-separated DiffAugment policies (`"color"`,
            `"translation"`, `"cutout"`).
        translation_ratio: largest shift, as a fraction of the image size.
        cutout_ratio: side of the cutout square, as a fraction of the image size.
        seed: seed of the augmentation's random stream (None: seeded from the
            model's seed).
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.GAN(image_shape=(28, 28, 1), diff_augment="color,translation,cutout")
    gan.compile()
    gan.fit(few_images, batch_size=64, epochs=100)
    ```

    Reference:
        Zhao et al., "Differentiable Augmentation for Data-Efficient GAN
        Training", NeurIPS 2020.
    """

    keywords = {"diff_augment": None}
    # Before instance noise (10) and packing (100).
    view_order = 5

    def __init__(
        self,
        policy=DEFAULT_POLICY,
        translation_ratio=0.125,
        cutout_ratio=0.5,
        seed=None,
        name="diff_augment",
        **kwargs,
    ):
        kwargs.pop("network", None)
        super().__init__(network="discriminator", name=name, **kwargs)
        if not isinstance(policy, str) or not policy.strip():
            raise ValueError(
                "`diff_augment` must be a comma-separated policy string such as "
                f"{DEFAULT_POLICY!r}. Received: diff_augment={policy!r}"
            )
        self.policy = policy
        self.translation_ratio = float(translation_ratio)
        self.cutout_ratio = float(cutout_ratio)
        self.seed = seed
        self.augment = DiffAugment(
            policy, translation_ratio=translation_ratio, cutout_ratio=cutout_ratio, seed=seed, name="augment"
        )

    @classmethod
    def from_keywords(cls, model, diff_augment):
        if diff_augment is None or diff_augment is False:
            return []
        return [cls(DEFAULT_POLICY if diff_augment is True else diff_augment)]

    def view(self, samples, model, training):
        if not training:
            return samples
        return self.augment(samples)

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return {
            **config,
            "policy": self.policy,
            "translation_ratio": self.translation_ratio,
            "cutout_ratio": self.cutout_ratio,
            "seed": self.seed,
        }
