"""The supervised loss of a semi-supervised GAN's discriminator, as a term."""

import keras
from keras import ops

from keras_gans.terms.term import Term

UNLABELLED = -1


def masked_cross_entropy(logits, labels):
    """Mean softmax cross-entropy over the rows whose label is a class (>= 0).

    Rows labelled -1 (unlabelled) are left out; with none labelled (or
    `labels=None`) the result is 0.

    Example:

    ```python
    loss = masked_cross_entropy(class_logits, np.array([3, -1, 0, -1]))  # rows 0 and 2
    ```
    """
    logits = ops.cast(logits, "float32")
    if labels is None:
        return ops.zeros((), "float32")
    labels = ops.reshape(ops.cast(labels, "int32"), (-1,))
    labelled = labels >= 0
    picked = ops.take_along_axis(logits, ops.where(labelled, labels, 0)[:, None], axis=-1)[:, 0]
    cross_entropy = ops.logsumexp(logits, axis=-1) - picked
    mask = ops.cast(labelled, "float32")
    return ops.sum(cross_entropy * mask) / ops.maximum(ops.sum(mask), 1.0)


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class SemiSupervisedClassification(Term):
    """Cross-entropy of the discriminator's class logits on the labelled real images.

    The supervised part of the semi-supervised GAN's discriminator loss
    (Salimans et al. 2016, section 5): `-E log p(y | x, y < K+1)` over the
    real images of the batch that carry a label (`>= 0`); images labelled
    `-1` (unlabelled) are left out (`masked_cross_entropy`). The model
    provides `class_logits(outputs)`. Logged as `d_classification_loss`.

    Args:
        weight: weight of the supervised loss (1 in the paper).
        **kwargs: see `Term`.

    Example:

    ```python
    terms = [SemiSupervisedClassification(1.0)]  # what SemiSupervisedGAN adds
    ```

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016.
    """

    def __init__(self, weight=1.0, name="d_classification_loss", **kwargs):
        kwargs.pop("network", None)
        super().__init__(network="discriminator", weight=weight, name=name, **kwargs)

    def compute(self, tensors):
        logits = tensors.model.class_logits(tensors.real_outputs)
        return {self.name: masked_cross_entropy(logits, tensors.real_labels)}

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return config
