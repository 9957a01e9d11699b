"""CycleGAN's identity-mapping loss, as a term."""

import keras
from keras import ops

from keras_gans.terms.term import Term


def _l1(images, reference):
    return ops.mean(ops.abs(ops.cast(images, "float32") - ops.cast(reference, "float32")))


@keras.saving.register_keras_serializable(package="keras_gans.image_to_image")
class IdentityMapping(Term):
    """`weight * (mean |F(a) - a| + mean |G(b) - b|)`: an image of the target domain stays as is.

    With `G = a_to_b` and `F = b_to_a`, a generator given an image that is
    already of its output domain should return it unchanged (Taigman et al.'s
    identity loss). CycleGAN weights it `0.5 * lambda` = 5; it keeps the
    translations' tint and overall intensity. Means over batch, pixels and
    channels, the two directions summed. Reads `identity_a`, `identity_b` of
    `keras_gans.image_to_image.UnpairedStepTensors`.

    Args:
        weight: the term's weight (5 in the paper's set-up, `0.5 * lambda`).
        name: the logged name.
        **kwargs: `keras_gans.terms.Term` arguments.

    Example:

    ```python
    cycle_gan = keras_gans.models.CycleGAN(image_shape=(28, 28, 1), identity_weight=5.0)
    ```

    Reference:
        - [Zhu et al., 2017](https://arxiv.org/abs/1703.10593), "Unpaired Image-to-Image
          Translation using Cycle-Consistent Adversarial Networks" (Section 5.2).
        - [Taigman et al., 2017](https://arxiv.org/abs/1611.02200), "Unsupervised
          Cross-Domain Image Generation".
    """

    def __init__(self, weight=5.0, name="identity_loss", **kwargs):
        kwargs.pop("network", None)
        super().__init__(network="generator", weight=weight, name=name, **kwargs)

    def compute(self, tensors):
        return {self.name: _l1(tensors.identity_a, tensors.real_a) + _l1(tensors.identity_b, tensors.real_b)}

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return config
