"""WGAN's weight clipping, as a term."""

import keras
from keras import ops

from keras_gans.terms.term import Term


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class WeightClipping(Term):
    """After every critic update, clips each critic weight to `[-c, c]`.

    Args:
        clip_value: `c` (> 0; 0.01 in the paper).
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.GAN(image_shape=(28, 28, 1), loss="wasserstein",
                                terms=[WeightClipping(0.01)])
    ```

    Reference:
        Arjovsky et al., "Wasserstein Generative Adversarial Networks", ICML
        2017, Algorithm 1.
    """

    def __init__(self, clip_value=0.01, name="weight_clipping", **kwargs):
        kwargs.pop("network", None)
        super().__init__(network="discriminator", name=name, **kwargs)
        if not float(clip_value) > 0:
            raise ValueError(f"`clip_value` must be > 0. Received: clip_value={clip_value!r}")
        self.clip_value = float(clip_value)

    def after_update(self, model):
        for variable in model.discriminator.trainable_variables:
            variable.assign(ops.clip(variable, -self.clip_value, self.clip_value))

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return {**config, "clip_value": self.clip_value}
