import keras
from keras import ops

from keras_gans.augment.adjust_augment_probability import ADA_KIMG
from keras_gans.augment.adjust_augment_probability import ADA_TARGET
from keras_gans.augment.adjust_augment_probability import adjust_augment_probability


@keras.saving.register_keras_serializable(package="keras_gans")
class AdaptiveAugmentController(keras.layers.Layer):
    """The adaptive probability `p` of ADA, kept in variables.

    Call it after each discriminator step with D's outputs on the real
    images of that step (raw logits or critic values, before any sigmoid:
    only their sign counts). It adds up `sign(D(real))` and, every
    `interval` calls, sets `r_t` to the mean over the images since the last
    adjustment, moves `p` with `adjust_augment_probability` and starts a new
    interval. It returns the probability to use from then on.

    All state lives in non-trainable variables (float32 `probability`,
    `real_sign_mean` (the last `r_t`), `sign_sum`, `image_count`, int32
    `call_count`), so a model that owns the controller saves it and a
    resumed run continues with the same `p` and the same partial interval.
    The update is written with `ops.where`, so it runs inside a compiled
    training step.

    Under `tf.distribute`, `r_t` is the mean over all replicas, but the step
    counts one replica's images (the replicas' updates are averaged), so `p`
    moves `num_replicas` times slower than on one device with the same
    global batch: divide `ada_kimg` by the number of replicas to keep the
    paper's speed.

    Args:
        target: the `r_t` the controller aims at. Defaults to `0.6`.
        ada_kimg: thousands of real images for `p` to go from 0 to 1.
            Defaults to `500`.
        interval: discriminator steps between adjustments. Defaults to `4`.
        initial_probability: `p` at the start. Defaults to `0.0`.
        **kwargs: base layer keyword arguments (`name`, ...).

    Example:

    ```python
    import numpy as np
    from keras_gans.augment import AdaptiveAugment, AdaptiveAugmentController

    augment = AdaptiveAugment(seed=0)
    controller = AdaptiveAugmentController()
    real = np.random.uniform(-1, 1, (16, 32, 32, 3)).astype("float32")
    augmented = augment(real, p=controller.probability)
    real_logits = np.ones((16, 1), "float32")  # D(augmented) in a real step
    p = controller(real_logits)  # after 4 calls: p = 4 * 16 / 500_000
    ```

    Reference:
        - [Karras et al., 2020](https://arxiv.org/abs/2006.06676),
          "Training Generative Adversarial Networks with Limited Data",
          Section 3.
    """

    def __init__(
        self,
        target=ADA_TARGET,
        ada_kimg=ADA_KIMG,
        interval=4,
        initial_probability=0.0,
        **kwargs,
    ):
        # float32 state and arithmetic under a mixed policy (its variable reads are not cast to float16).
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        if int(interval) < 1 or ada_kimg <= 0:
            raise ValueError(
                "`interval` must be a positive integer and `ada_kimg` positive. "
                f"Received: interval={interval}, ada_kimg={ada_kimg}"
            )
        if not 0.0 <= initial_probability <= 1.0:
            raise ValueError(
                "`initial_probability` must be in [0, 1]. "
                f"Received: initial_probability={initial_probability}"
            )
        self.target = float(target)
        self.ada_kimg = float(ada_kimg)
        self.interval = int(interval)
        self.initial_probability = float(initial_probability)

        def state(name, value, dtype="float32", aggregation="mean"):
            return self.add_weight(
                name=name,
                shape=(),
                initializer=keras.initializers.Constant(value),
                trainable=False,
                dtype=dtype,
                aggregation=aggregation,
            )

        self.probability = state("probability", self.initial_probability)
        self.real_sign_mean = state("real_sign_mean", 0.0)
        self.sign_sum = state("sign_sum", 0.0)
        self.image_count = state("image_count", 0.0)
        self.call_count = state("call_count", 0, dtype="int32", aggregation="only_first_replica")
        self.built = True

    def call(self, real_outputs):
        signs = ops.sign(ops.cast(ops.convert_to_tensor(real_outputs), "float32"))
        if len(signs.shape) > 1:  # one value per image: the mean over its outputs
            signs = ops.mean(signs, axis=tuple(range(1, len(signs.shape))))
        probability = ops.convert_to_tensor(self.probability)
        sign_sum = ops.convert_to_tensor(self.sign_sum) + ops.sum(signs)
        image_count = ops.convert_to_tensor(self.image_count) + ops.cast(ops.shape(signs)[0], "float32")
        call_count = ops.convert_to_tensor(self.call_count) + 1
        adjust = ops.equal(ops.mod(call_count, self.interval), 0)
        real_sign_mean = sign_sum / ops.maximum(image_count, 1.0)
        adjusted = adjust_augment_probability(
            probability, real_sign_mean, image_count, self.target, self.ada_kimg
        )
        probability = ops.where(adjust, adjusted, probability)
        self.probability.assign(probability)
        self.real_sign_mean.assign(
            ops.where(adjust, real_sign_mean, ops.convert_to_tensor(self.real_sign_mean))
        )
        self.sign_sum.assign(ops.where(adjust, 0.0, sign_sum))
        self.image_count.assign(ops.where(adjust, 0.0, image_count))
        self.call_count.assign(call_count)
        return probability

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "target": self.target,
                "ada_kimg": self.ada_kimg,
                "interval": self.interval,
                "initial_probability": self.initial_probability,
            }
        )
        return config
