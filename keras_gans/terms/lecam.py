"""LeCam regularization of the discriminator, as a term."""

import keras

from keras_gans.regularizers import LeCamRegularizer
from keras_gans.terms.term import Term
from keras_gans.terms.term import check_non_negative


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class LeCamRegularization(Term):
    """`E[(D(x) - a_F)^2] + E[(D(G(z)) - a_R)^2]` against moving anchors of D's outputs.

    `a_R` and `a_F` are bias-corrected exponential moving averages of the
    discriminator's mean logits on real and generated batches
    (`keras_gans.regularizers.LeCamRegularizer`): each output is pulled
    towards the other side's anchor, which keeps D's predictions on a small
    training set from drifting apart. The logits are those of the images as
    the discriminator sees them (augmented, noised). In each training update
    of the discriminator's main phase the anchors first move with this
    batch, then the penalty is taken against them (the regularizer's call,
    split into its pure `penalty` and its `update`); outside training
    (`model.evaluate`, `training=False`) the anchors do not move. Their state
    is saved with the model. Logged (unweighted) as `lecam_penalty`.
    Keyword of every variant: `lecam_weight` (0 turns it off).

    Args:
        weight: the weight lambda of the penalty in D's loss.
        decay: decay of the moving averages (0.99 in the paper).
        one_sided: the relu form of the authors' code (see
            `keras_gans.regularizers.lecam_penalty`).
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.GAN(image_shape=(28, 28, 1), ada_target=0.6, lecam_weight=0.3)
    ```

    Reference:
        Tseng et al., "Regularizing Generative Adversarial Networks under
        Limited Data", CVPR 2021.
    """

    keywords = {"lecam_weight": 0.0}

    def __init__(self, weight=0.3, decay=0.99, one_sided=False, name="lecam_penalty", **kwargs):
        kwargs.pop("network", None)
        super().__init__(
            network="discriminator", weight=check_non_negative("lecam_weight", weight), name=name, **kwargs
        )
        self.decay = float(decay)
        self.one_sided = bool(one_sided)
        self.regularizer = LeCamRegularizer(decay=self.decay, one_sided=self.one_sided, name="regularizer")

    @classmethod
    def from_keywords(cls, model, lecam_weight):
        weight = check_non_negative("lecam_weight", lecam_weight)
        return [cls(weight)] if weight else []

    def compute(self, tensors):
        real, fake = tensors.real_logits, tensors.fake_logits
        penalty = self.regularizer.penalty(real, fake)
        if tensors.training:
            self.regularizer.update(real, fake)
        return {self.name: penalty}

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return {**config, "decay": self.decay, "one_sided": self.one_sided}
