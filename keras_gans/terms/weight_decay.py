"""L2 weight decay of a network's kernels, as a term."""

import keras
from keras import ops

from keras_gans.terms.term import Term
from keras_gans.terms.term import check_non_negative


def l2_weight_penalty(weights):
    """`sum ||W||^2` over the weights with two or more dimensions (kernels).

    Biases, batch-norm scales and other vectors are not decayed.

    Args:
        weights: a list of variables, e.g. `network.trainable_variables`.

    Returns:
        A float32 scalar (0.0 when there is no kernel).

    Example:

    ```python
    loss = d_loss + 1e-4 * l2_weight_penalty(discriminator.trainable_variables)
    ```
    """
    total = 0.0
    for w in weights:
        if len(w.shape) >= 2:
            total = total + ops.sum(ops.square(ops.cast(w, "float32")))
    return total


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class WeightDecay(Term):
    """`lambda * sum ||W||^2` over a network's kernels, added to its loss.

    Logged as `<network>_weight_decay` (the unweighted sum). Keyword of every
    variant: `weight_decay` (one term per network, the same lambda).

    Args:
        weight: lambda.
        network: `"discriminator"` or `"generator"`.
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.GAN(image_shape=(28, 28, 1), weight_decay=1e-4)
    ```

    Reference:
        Krogh & Hertz, "A Simple Weight Decay Can Improve Generalization",
        NeurIPS 1991. Kurach et al., "A Large-Scale Study on Regularization and
        Normalization in GANs", ICML 2019.
    """

    keywords = {"weight_decay": 0.0}

    def __init__(self, weight=1e-4, network="discriminator", name=None, **kwargs):
        super().__init__(network=network, weight=weight, name=name or f"{network}_weight_decay", **kwargs)

    @classmethod
    def from_keywords(cls, model, weight_decay):
        weight = check_non_negative("weight_decay", weight_decay)
        if not weight:
            return []
        return [cls(weight, network="discriminator"), cls(weight, network="generator")]

    def compute(self, tensors):
        network = getattr(tensors.model, self.network)
        return {self.name: l2_weight_penalty(network.trainable_variables)}
