"""Balanced consistency regularization (bCR) of the discriminator, as a term."""

import keras

from keras_gans.augment import ADA_TRANSFORMS
from keras_gans.augment import AdaptiveAugment
from keras_gans.regularizers import balanced_consistency_penalty
from keras_gans.terms.term import Term
from keras_gans.terms.term import check_non_negative

CONSISTENCY_TRANSFORMS = ("xflip", "xint")


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class BalancedConsistencyRegularization(Term):
    """bCR: `E||D(x) - D(T(x))||^2 + E||D(G(z)) - D(T(G(z)))||^2` in D's loss.

    `T` is a mild, semantics-preserving augmentation, by default a random
    left-right flip (half of the images) and a whole-pixel shift of up to
    1/8 of the image size with reflect padding (`AdaptiveAugment(["xflip",
    "xint"])` at p = 1; the paper uses flips and small translations). It is
    applied to the images as the discriminator sees them (after any
    DiffAugment/ADA augmentation and instance noise, so both outputs of a
    pair come from the function D computes), and the squared differences of
    D's real/fake logits are averaged over the batch
    (`keras_gans.regularizers.balanced_consistency_penalty` with both
    lambdas 1). Gradients flow through both outputs of a pair. Logged
    (unweighted) as `bcr_penalty`; the term's `weight` is the paper's
    lambda_real = lambda_fake (10). Keyword of every variant: `bcr_weight`
    (0 turns it off).

    Args:
        weight: lambda, the weight of both consistency terms (10 in the paper).
        transforms: the ADA transforms of `T` (default: x-flip and integer
            translation).
        seed: seed of `T`'s random stream (None: seeded from the model's seed).
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.GAN(image_shape=(28, 28, 1), bcr_weight=10.0)
    ```

    Reference:
        Zhao et al., "Improved Consistency Regularization for GANs", AAAI 2021.
        Zhang et al., "Consistency Regularization for Generative Adversarial
        Networks", ICLR 2020.
    """

    keywords = {"bcr_weight": 0.0}

    def __init__(
        self, weight=10.0, transforms=CONSISTENCY_TRANSFORMS, seed=None, name="bcr_penalty", **kwargs
    ):
        kwargs.pop("network", None)
        super().__init__(
            network="discriminator", weight=check_non_negative("bcr_weight", weight), name=name, **kwargs
        )
        unknown = [t for t in transforms if t not in ADA_TRANSFORMS]
        if isinstance(transforms, str) or unknown:
            raise ValueError(
                f"`transforms` must be a list of ADA transforms ({', '.join(ADA_TRANSFORMS)}). "
                f"Received: transforms={transforms!r}"
            )
        self.seed = seed
        self.augment = AdaptiveAugment(list(transforms), seed=seed, name="consistency_augment")
        self.transforms = self.augment.transforms

    @classmethod
    def from_keywords(cls, model, bcr_weight):
        weight = check_non_negative("bcr_weight", bcr_weight)
        return [cls(weight)] if weight else []

    def compute(self, tensors):
        real_critic = tensors.critic(tensors.real_labels)
        fake_critic = tensors.critic(tensors.fake_labels)
        augmented_real = real_critic(self.augment(tensors.seen_real, p=1.0))
        augmented_fake = fake_critic(self.augment(tensors.seen_fake, p=1.0))
        penalty = balanced_consistency_penalty(
            tensors.real_logits,
            augmented_real,
            tensors.fake_logits,
            augmented_fake,
            real_weight=1.0,
            fake_weight=1.0,
        )
        return {self.name: penalty}

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return {**config, "transforms": list(self.transforms), "seed": self.seed}
