import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class InstanceNoise(keras.layers.Layer):
    """Adds decaying Gaussian noise to the inputs, in training only.

    Instance noise blurs the real and generated distributions so that they
    overlap, which keeps the discriminator's gradients informative early in
    training. Put it first in the discriminator. In training, the output is
    `x + stddev_t * N(0, 1)`; at inference it is `x` unchanged.

    The standard deviation decays linearly from `stddev` to `final_stddev`
    over `decay_steps` training calls, then stays at `final_stddev`:
    `stddev_t = stddev + (final_stddev - stddev) * min(t / decay_steps, 1)`,
    where `t` is the number of earlier calls with `training=True`, kept as
    the non-trainable int32 variable `step` (saved with the model; assign to
    it to resume a schedule). A discriminator called once on real and once
    on fake samples per training step advances `t` twice per step. With
    `decay_steps=None` the standard deviation stays at `stddev`.

    Args:
        stddev: float, initial noise standard deviation. Defaults to `0.1`.
        decay_steps: int or `None`, length of the linear decay in training
            calls. Defaults to `None` (no decay).
        final_stddev: float, standard deviation after the decay. Defaults
            to `0.0`.
        seed: int or `None`, seed of the noise generator.
        **kwargs: base layer keyword arguments (`name`, `dtype`, ...).

    Example:

    ```python
    import numpy as np
    from keras_gans.layers import InstanceNoise

    noise = InstanceNoise(stddev=0.1, decay_steps=10_000)
    x = np.zeros((2, 28, 28, 1), "float32")
    noisy = noise(x, training=True)   # std about 0.1, step becomes 1
    same = noise(x)                   # identity at inference
    ```

    Reference:
        - [Sonderby et al., 2017](https://arxiv.org/abs/1610.04490),
          "Amortised MAP Inference for Image Super-resolution".
        - [Arjovsky & Bottou, 2017](https://arxiv.org/abs/1701.04862),
          "Towards Principled Methods for Training Generative Adversarial
          Networks".
    """

    def __init__(self, stddev=0.1, decay_steps=None, final_stddev=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        if stddev < 0 or final_stddev < 0:
            raise ValueError(
                "`stddev` and `final_stddev` must be non-negative. Received: "
                f"stddev={stddev}, final_stddev={final_stddev}"
            )
        if decay_steps is not None and int(decay_steps) < 1:
            raise ValueError(
                f"`decay_steps` must be a positive integer or None. Received: decay_steps={decay_steps}"
            )
        self.stddev = float(stddev)
        self.decay_steps = None if decay_steps is None else int(decay_steps)
        self.final_stddev = float(final_stddev)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)

    def build(self, input_shape):
        self.step = self.add_weight(
            name="step",
            shape=(),
            initializer="zeros",
            trainable=False,
            dtype="int32",
            # Under tf.distribute, replicas update it from the first one.
            aggregation="only_first_replica",
        )
        self.built = True

    def current_stddev(self):
        """The float32 noise standard deviation of the next training call."""
        if self.decay_steps is None:
            return ops.convert_to_tensor(self.stddev, "float32")
        progress = ops.minimum(ops.cast(self.step, "float32") / float(self.decay_steps), 1.0)
        return self.stddev + (self.final_stddev - self.stddev) * progress

    def call(self, inputs, training=False):
        if not training:
            return inputs
        stddev = self.current_stddev()
        self.step.assign(self.step + 1)
        noise = keras.random.normal(ops.shape(inputs), dtype="float32", seed=self.seed_generator)
        return inputs + ops.cast(stddev * noise, inputs.dtype)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "stddev": self.stddev,
                "decay_steps": self.decay_steps,
                "final_stddev": self.final_stddev,
                "seed": self.seed,
            }
        )
        return config
