"""ADA: adaptive augmentation of everything the discriminator sees, as a term."""

import keras
from keras import ops

from keras_gans.augment import ADA_TRANSFORMS
from keras_gans.augment import AdaptiveAugment
from keras_gans.augment import AdaptiveAugmentController
from keras_gans.augment import adjust_augment_probability
from keras_gans.augment.adjust_augment_probability import ADA_KIMG
from keras_gans.augment.adjust_augment_probability import ADA_TARGET
from keras_gans.terms.term import Term
from keras_gans.terms.term import check_positive_int


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class AdaptiveAugmentation(Term):
    """ADA: every discriminator input augmented with a probability `p` that adapts.

    In training, every batch the discriminator sees (real and fake, in the
    discriminator's and the generator's objective, and the inputs of
    penalties) goes through `keras_gans.augment.AdaptiveAugment` with each
    transform applied with probability `p`, before instance noise and
    packing (`view_order` 5); at inference nothing is augmented. `p` is read
    from its variable inside the step, so it can change from step to step in
    a compiled `fit`.

    `p` adapts as in the paper: in each update of the discriminator's main
    phase the term adds up `sign(D(real))` of the (augmented) real batch
    (D's raw logits); after every `interval` such updates,
    `r_t = E[sign(D(real))]` over them moves `p` by
    `sign(r_t - target) * images / (ada_kimg * 1000)`
    (`keras_gans.augment.adjust_augment_probability`). The state (`p`, the
    last `r_t`, the running sums, the update count) lives in the variables of
    `controller`, a `keras_gans.augment.AdaptiveAugmentController`, and in
    this term's own `update_sign_sum` / `update_image_count` (the current
    update's signs, consumed by `after_update`), so it is saved with the
    model: a resumed run continues with the same `p` and the same partial
    interval. The term logs `ada_p` (p) and `ada_r_t` (the last `r_t`),
    as means over the epoch's steps; it adds nothing to the loss (weight 0).

    Keywords of every variant: `ada_target` (the target `r_t`, e.g. 0.6;
    None turns ADA off) and `ada_kimg` (thousands of real images for `p` to
    go from 0 to 1; the paper's 500 suits long runs, short runs need less).

    Args:
        target: the `r_t` the controller aims at (0.6 in the paper).
        ada_kimg: thousands of real images for `p` to go from 0 to 1.
        interval: discriminator updates between adjustments (4 in the paper).
        initial_probability: `p` at the start.
        transforms: the transforms, a subset of
            `keras_gans.augment.ADA_TRANSFORMS` (default: all 12, 'bgc').
        seed: seed of the augmentation's random stream (None: seeded from the
            model's seed).
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.GAN(image_shape=(28, 28, 1), ada_target=0.6, ada_kimg=100)
    gan.compile()
    history = gan.fit(few_images, batch_size=64, epochs=100)
    history.history["ada_p"][-1], float(gan.get_layer("ada").controller.probability)
    ```

    Reference:
        Karras et al., "Training Generative Adversarial Networks with Limited
        Data", NeurIPS 2020.
    """

    keywords = {"ada_target": None, "ada_kimg": ADA_KIMG}
    # Before instance noise (10) and packing (100).
    view_order = 5

    def __init__(
        self,
        target=ADA_TARGET,
        ada_kimg=ADA_KIMG,
        interval=4,
        initial_probability=0.0,
        transforms=ADA_TRANSFORMS,
        seed=None,
        name="ada",
        **kwargs,
    ):
        kwargs.pop("network", None)
        kwargs.pop("weight", None)
        super().__init__(network="discriminator", weight=0.0, name=name, **kwargs)
        try:
            target = float(target)
        except (TypeError, ValueError):
            raise ValueError(f"`ada_target` must be a number. Received: ada_target={target!r}") from None
        if not -1.0 <= target <= 1.0:
            raise ValueError(
                f"`ada_target` must be in [-1, 1] (r_t = E[sign D(real)] is). Received: ada_target={target!r}"
            )
        if isinstance(ada_kimg, bool) or not isinstance(ada_kimg, (int, float)) or not ada_kimg > 0:
            raise ValueError(f"`ada_kimg` must be a number > 0. Received: ada_kimg={ada_kimg!r}")
        self.target = target
        self.ada_kimg = float(ada_kimg)
        self.ada_interval = check_positive_int("interval", interval)
        self.initial_probability = float(initial_probability)
        self.seed = seed
        self.augment = AdaptiveAugment(transforms, seed=seed, name="augment")
        self.transforms = self.augment.transforms
        self.controller = AdaptiveAugmentController(
            target, self.ada_kimg, self.ada_interval, self.initial_probability, name="controller"
        )
        self.update_sign_sum = self.add_weight(
            shape=(), initializer="zeros", trainable=False, dtype="float32", name="update_sign_sum"
        )
        self.update_image_count = self.add_weight(
            shape=(), initializer="zeros", trainable=False, dtype="float32", name="update_image_count"
        )

    @classmethod
    def from_keywords(cls, model, ada_target, ada_kimg):
        return [] if ada_target is None else [cls(ada_target, ada_kimg)]

    @property
    def log_names(self):
        return ("ada_p", "ada_r_t")

    @property
    def probability(self):
        """The variable `p` (of `controller`)."""
        return self.controller.probability

    def view(self, samples, model, training):
        if not training:
            return samples
        return self.augment(samples, p=ops.convert_to_tensor(self.controller.probability))

    def compute(self, tensors):
        if tensors.training:
            # D's raw logits on the augmented reals: one sign per image.
            signs = ops.sign(ops.cast(ops.stop_gradient(tensors.real_logits), "float32"))
            if len(signs.shape) > 1:
                signs = ops.mean(signs, axis=tuple(range(1, len(signs.shape))))
            self.update_sign_sum.assign(ops.sum(signs))
            self.update_image_count.assign(ops.cast(ops.shape(signs)[0], "float32"))
        controller = self.controller
        # Copies: read here, before `after_update` assigns the variables
        # (TensorFlow would otherwise log the value at the end of the step).
        return {
            "ada_p": ops.copy(ops.convert_to_tensor(controller.probability)),
            "ada_r_t": ops.copy(ops.convert_to_tensor(controller.real_sign_mean)),
        }

    def after_update(self, model):
        """Adds this update's signs to the interval; adjusts `p` after every `interval` updates.

        Runs after every discriminator update; a lazy phase's update (which
        has no signs of its own) changes nothing.
        """
        controller = self.controller
        images = ops.convert_to_tensor(self.update_image_count)
        counted = images > 0
        sign_sum = ops.convert_to_tensor(controller.sign_sum) + ops.convert_to_tensor(self.update_sign_sum)
        image_count = ops.convert_to_tensor(controller.image_count) + images
        call_count = ops.convert_to_tensor(controller.call_count) + ops.cast(counted, "int32")
        adjust = ops.logical_and(counted, ops.equal(ops.mod(call_count, self.ada_interval), 0))
        real_sign_mean = sign_sum / ops.maximum(image_count, 1.0)
        probability = ops.convert_to_tensor(controller.probability)
        adjusted = adjust_augment_probability(
            probability, real_sign_mean, image_count, self.target, self.ada_kimg
        )
        controller.probability.assign(ops.where(adjust, adjusted, probability))
        controller.real_sign_mean.assign(
            ops.where(adjust, real_sign_mean, ops.convert_to_tensor(controller.real_sign_mean))
        )
        controller.sign_sum.assign(ops.where(adjust, 0.0, sign_sum))
        controller.image_count.assign(ops.where(adjust, 0.0, image_count))
        controller.call_count.assign(call_count)
        self.update_sign_sum.assign(0.0)
        self.update_image_count.assign(0.0)

    def get_config(self):
        config = super().get_config()
        for key in ("network", "weight"):
            config.pop(key)
        return {
            **config,
            "target": self.target,
            "ada_kimg": self.ada_kimg,
            "interval": self.ada_interval,
            "initial_probability": self.initial_probability,
            "transforms": list(self.transforms),
            "seed": self.seed,
        }
