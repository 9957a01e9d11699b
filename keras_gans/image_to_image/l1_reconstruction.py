"""The L1 distance of a paired translator's outputs to their targets, as a term."""

import keras
from keras import ops

from keras_gans.terms.term import Term


@keras.saving.register_keras_serializable(package="keras_gans.image_to_image")
class L1Reconstruction(Term):
    """`weight * mean |G(x) - y|` over pixels and channels: pix2pix's L1 term.

    The generator's objective of pix2pix is the conditional adversarial loss
    plus `lambda * L1` with `lambda = 100`; the L1 term makes the output match
    the target at low frequencies, the PatchGAN discriminator takes care of
    the high ones. Works on any paired variant whose step tensors have
    `fake` and `targets` (`keras_gans.image_to_image.PairedStepTensors`).

    Args:
        weight: the term's weight (`lambda`).
        name: the logged name.
        **kwargs: `keras_gans.terms.Term` arguments.

    Example:

    ```python
    pix2pix = keras_gans.models.Pix2Pix(source_shape=(28, 28, 2), output_channels=1)
    [t.name for t in pix2pix.terms_of("generator")]  # ['g_loss', 'l1_loss']
    ```

    Reference:
        - [Isola et al., 2017](https://arxiv.org/abs/1611.07004), "Image-to-Image Translation
          with Conditional Adversarial Networks" (Equations 3 and 4).
    """

    def __init__(self, weight=100.0, name="l1_loss", **kwargs):
        kwargs.pop("network", None)
        super().__init__(network="generator", weight=weight, name=name, **kwargs)

    def compute(self, tensors):
        return {
            self.name: ops.mean(
                ops.abs(ops.cast(tensors.fake, "float32") - ops.cast(tensors.targets, "float32"))
            )
        }

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return config
