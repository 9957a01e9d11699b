import keras
from keras import ops

from keras_gans.regularizers.lecam_penalty import lecam_penalty


@keras.saving.register_keras_serializable(package="keras_gans")
class LeCamRegularizer(keras.layers.Layer):
    """LeCam regularization with its anchors: moving averages of D's outputs.

    Call it in each discriminator step with D's outputs on the real and the
    generated images: it first moves the anchors towards this batch's mean
    outputs, `ema <- decay * ema + (1 - decay) * mean(D(.))`, then returns
    `lecam_penalty` against the updated anchors. The averages start at 0
    and are bias-corrected, `anchor = ema / (1 - decay^t)` after `t` updates
    (as in the authors' TensorFlow code), so early anchors are not pulled
    towards 0. The state (float32 `real_ema`, `fake_ema`, int32
    `update_count`) lives in non-trainable variables, saved with the model
    that owns the layer; the update uses no Python control flow, so it runs
    inside a compiled training step. `penalty(...)` (pure) and `update(...)`
    (state only) split a call in two, for training steps that apply state
    updates after the optimizer step.

    Args:
        decay: decay of the moving averages. Defaults to `0.99`.
        one_sided: use the one-sided (relu) penalty (see `lecam_penalty`).
            Defaults to `False`.
        **kwargs: base layer keyword arguments (`name`, ...).

    Example:

    ```python
    import numpy as np
    from keras_gans.regularizers import LeCamRegularizer

    lecam = LeCamRegularizer()
    penalty = lecam(np.array([[1.0], [2.0]]), np.array([[-1.0], [0.0]]))
    # d_loss = d_loss + lecam_weight * penalty
    ```

    Reference:
        - [Tseng et al., 2021](https://arxiv.org/abs/2104.03310),
          "Regularizing Generative Adversarial Networks under Limited Data".
    """

    def __init__(self, decay=0.99, one_sided=False, **kwargs):
        # float32 state and arithmetic under a mixed policy (its variable reads are not cast to float16).
        kwargs.setdefault("dtype", "float32")
        super().__init__(**kwargs)
        if not 0.0 <= decay < 1.0:
            raise ValueError(f"`decay` must be in [0, 1). Received: decay={decay}")
        self.decay = float(decay)
        self.one_sided = bool(one_sided)
        self.real_ema = self._state("real_ema", "float32")
        self.fake_ema = self._state("fake_ema", "float32")
        self.update_count = self._state("update_count", "int32")
        self.built = True

    def _state(self, name, dtype):
        # Under tf.distribute each replica's update is averaged (an EMA of the mean batch).
        aggregation = "only_first_replica" if dtype == "int32" else "mean"
        return self.add_weight(
            name=name, shape=(), initializer="zeros", trainable=False, dtype=dtype, aggregation=aggregation
        )

    def anchors(self):
        """The bias-corrected anchors `(a_R, a_F)` (0 before the first update)."""
        return self._debiased(
            ops.convert_to_tensor(self.real_ema),
            ops.convert_to_tensor(self.fake_ema),
            ops.convert_to_tensor(self.update_count),
        )

    def _debiased(self, real_ema, fake_ema, count):
        correction = 1.0 - ops.power(self.decay, ops.cast(count, "float32"))
        correction = ops.where(count > 0, correction, 1.0)
        return real_ema / correction, fake_ema / correction

    def _next_state(self, real_outputs, fake_outputs):
        """The moving averages and count after this batch (nothing assigned)."""
        real_mean = ops.stop_gradient(ops.mean(ops.cast(real_outputs, "float32")))
        fake_mean = ops.stop_gradient(ops.mean(ops.cast(fake_outputs, "float32")))
        real_ema = self.decay * ops.convert_to_tensor(self.real_ema) + (1.0 - self.decay) * real_mean
        fake_ema = self.decay * ops.convert_to_tensor(self.fake_ema) + (1.0 - self.decay) * fake_mean
        return real_ema, fake_ema, ops.convert_to_tensor(self.update_count) + 1

    def penalty(self, real_outputs, fake_outputs):
        """The penalty against the anchors updated with this batch, without changing the state.

        For a training step that keeps the loss pure and updates state after
        the optimizer step: `penalty(...)` in D's objective, then
        `update(...)` with the same outputs. Together they equal one call.
        """
        real_anchor, fake_anchor = self._debiased(*self._next_state(real_outputs, fake_outputs))
        return lecam_penalty(real_outputs, fake_outputs, real_anchor, fake_anchor, self.one_sided)

    def update(self, real_outputs, fake_outputs):
        """Moves the anchors towards this batch's mean outputs (assigns the state)."""
        real_ema, fake_ema, count = self._next_state(real_outputs, fake_outputs)
        self.real_ema.assign(real_ema)
        self.fake_ema.assign(fake_ema)
        self.update_count.assign(count)

    def call(self, real_outputs, fake_outputs):
        penalty = self.penalty(real_outputs, fake_outputs)
        self.update(real_outputs, fake_outputs)
        return penalty

    def get_config(self):
        config = super().get_config()
        config.update({"decay": self.decay, "one_sided": self.one_sided})
        return config
