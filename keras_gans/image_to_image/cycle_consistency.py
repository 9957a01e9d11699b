"""CycleGAN's cycle-consistency loss, as a term."""

import keras
from keras import ops

from keras_gans.terms.term import Term


def _l1(images, reference):
    return ops.mean(ops.abs(ops.cast(images, "float32") - ops.cast(reference, "float32")))


@keras.saving.register_keras_serializable(package="keras_gans.image_to_image")
class CycleConsistency(Term):
    """`weight * (mean |F(G(a)) - a| + mean |G(F(b)) - b|)`: a round trip gives the image back.

    With `G = a_to_b` and `F = b_to_a`, the forward cycle `a -> G(a) -> F(G(a))`
    and the backward cycle `b -> F(b) -> G(F(b))` must both reconstruct their
    input; this ties each translation to its input where the adversarial loss
    alone would accept any image of the target domain. Each L1 distance is a
    mean over the batch, pixels and channels (PyTorch's `L1Loss`, as the
    reference code uses), and the two directions are summed. Reads
    `reconstructed_a`, `reconstructed_b` of
    `keras_gans.image_to_image.UnpairedStepTensors`.

    Args:
        weight: `lambda` (10 in the paper).
        name: the logged name.
        **kwargs: `keras_gans.terms.Term` arguments.

    Example:

    ```python
    cycle_gan = keras_gans.models.CycleGAN(image_shape=(28, 28, 1), cycle_weight=10.0)
    ```

    Reference:
        - [Zhu et al., 2017](https://arxiv.org/abs/1703.10593), "Unpaired Image-to-Image
          Translation using Cycle-Consistent Adversarial Networks" (Equation 2).
    """

    def __init__(self, weight=10.0, name="cycle_loss", **kwargs):
        kwargs.pop("network", None)
        super().__init__(network="generator", weight=weight, name=name, **kwargs)

    def compute(self, tensors):
        forward = _l1(tensors.reconstructed_a, tensors.real_a)
        backward = _l1(tensors.reconstructed_b, tensors.real_b)
        return {self.name: forward + backward}

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return config
