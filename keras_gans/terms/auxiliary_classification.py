"""ACGAN's auxiliary classification losses, as a term."""

import keras
from keras import ops

from keras_gans.terms.term import Term


def sparse_softmax_cross_entropy(logits, labels):
    """Mean cross-entropy of `softmax(logits)` against int class `labels`."""
    logits = ops.cast(logits, "float32")
    labels = ops.reshape(ops.cast(labels, "int32"), (-1, 1))
    picked = ops.take_along_axis(logits, labels, axis=-1)[:, 0]
    return ops.mean(ops.logsumexp(logits, axis=-1) - picked)


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class AuxiliaryClassification(Term):
    """Cross-entropy of the discriminator's class logits (ACGAN).

    For the discriminator: `CE(real, its labels) + CE(fake, the labels it was
    generated for)`, logged as `d_classification_loss`; for the generator:
    `CE(fake, its labels)`, logged as `g_classification_loss`, so that its
    samples must be recognizable as their class. The model provides
    `class_logits(outputs)`.

    Args:
        weight: weight of the classification loss (1 in the paper).
        network: `"discriminator"` or `"generator"`.
        **kwargs: see `Term`.

    Example:

    ```python
    terms = [AuxiliaryClassification(1.0, "discriminator"), AuxiliaryClassification(1.0, "generator")]
    ```

    Reference:
        Odena et al., "Conditional Image Synthesis with Auxiliary Classifier
        GANs", ICML 2017.
    """

    def __init__(self, weight=1.0, network="discriminator", name=None, **kwargs):
        name = name or ("d_classification_loss" if network == "discriminator" else "g_classification_loss")
        super().__init__(network=network, weight=weight, name=name, **kwargs)

    def compute(self, tensors):
        model = tensors.model
        fake_loss = sparse_softmax_cross_entropy(
            model.class_logits(tensors.fake_outputs), tensors.fake_labels
        )
        if self.network == "generator":
            return {self.name: fake_loss}
        real_labels = model.labels_column(tensors.real_labels)
        real_loss = sparse_softmax_cross_entropy(model.class_logits(tensors.real_outputs), real_labels)
        return {self.name: real_loss + fake_loss}
