"""L2 weight decay as a loss term on a network's kernels."""

from keras import ops


def l2_weight_penalty(weights):
    """`sum ||W||^2` over the weights with two or more dimensions (kernels).

    Biases, batch-norm scales and other vectors are not decayed. Added to a
    network's loss with weight `lambda`, it moves each kernel by
    `-learning_rate * 2 * lambda * W` per SGD step.

    Args:
        weights: a list of variables, e.g. `network.trainable_variables`.

    Returns:
        A float32 scalar (0.0 when there is no kernel).

    Example:

    ```python
    loss = d_loss + 1e-4 * l2_weight_penalty(discriminator.trainable_variables)
    ```

    Reference:
        Krogh & Hertz, "A Simple Weight Decay Can Improve Generalization",
        NeurIPS 1991. For GANs: Kurach et al., "A Large-Scale Study on
        Regularization and Normalization in GANs", ICML 2019.
    """
    total = 0.0
    for w in weights:
        if len(w.shape) >= 2:
            total = total + ops.sum(ops.square(ops.cast(w, "float32")))
    return total
