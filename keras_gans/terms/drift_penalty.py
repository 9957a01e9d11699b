"""ProGAN's drift term, as a term."""

import keras

from keras_gans import penalties
from keras_gans.terms.term import Term


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class DriftPenalty(Term):
    """`epsilon * E[D(x)^2]`: keeps a Wasserstein critic's outputs near 0.

    Logged as `drift_penalty`.

    Args:
        weight: epsilon (0.001 in the paper).
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.WGANGP(image_shape=(32, 32, 1), terms=[DriftPenalty(1e-3)])
    ```

    Reference:
        Karras et al., "Progressive Growing of GANs", ICLR 2018, section A.1.
    """

    def __init__(self, weight=0.001, name="drift_penalty", **kwargs):
        kwargs.pop("network", None)
        super().__init__(network="discriminator", weight=weight, name=name, **kwargs)

    def compute(self, tensors):
        return {self.name: penalties.drift_penalty(tensors.real_logits)}

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return config
