from keras import ops


def _squared_difference(outputs, augmented_outputs):
    difference = ops.cast(outputs, "float32") - ops.cast(augmented_outputs, "float32")
    squared = ops.square(difference)
    if len(squared.shape) > 1:  # ||.||^2 over each image's outputs
        squared = ops.sum(squared, axis=tuple(range(1, len(squared.shape))))
    return ops.mean(squared)


def balanced_consistency_penalty(
    real_outputs,
    augmented_real_outputs,
    fake_outputs=None,
    augmented_fake_outputs=None,
    real_weight=10.0,
    fake_weight=10.0,
):
    """Balanced consistency regularization (bCR) of the discriminator.

    `real_weight * E||D(x) - D(T(x))||^2 + fake_weight * E||D(G(z)) - D(T(G(z)))||^2`:
    D's outputs (logits, before any activation) should not change when an
    image goes through a semantics-preserving augmentation `T` (the paper
    uses flips and small translations), on real *and* generated images, so
    that D does not learn the augmentation's artefacts as a sign of
    fakeness. The squared norm runs over each image's outputs and the mean
    over the batch; gradients flow through both outputs of each pair.
    Without the fake pair it is the consistency regularization (CR) of
    Zhang et al. (2020), real images only.

    Args:
        real_outputs: `D(x)` on real images.
        augmented_real_outputs: `D(T(x))` on the same images, augmented.
        fake_outputs: `D(G(z))` on generated images, or `None` (no fake term).
        augmented_fake_outputs: `D(T(G(z)))`, or `None`.
        real_weight: `lambda_real`. Defaults to `10.0`, the paper's value.
        fake_weight: `lambda_fake`. Defaults to `10.0`, the paper's value.

    Returns:
        A float32 scalar tensor, to be added to D's loss.

    Example:

    ```python
    import numpy as np
    from keras_gans.regularizers import balanced_consistency_penalty

    penalty = balanced_consistency_penalty(
        np.array([[1.0]]), np.array([[0.5]]), np.array([[-1.0]]), np.array([[-1.0]])
    )  # 10 * 0.25 + 10 * 0 = 2.5
    ```

    Reference:
        - [Zhao et al., 2021](https://arxiv.org/abs/2002.04724),
          "Improved Consistency Regularization for GANs".
        - [Zhang et al., 2020](https://arxiv.org/abs/1910.12027),
          "Consistency Regularization for Generative Adversarial Networks".
    """
    if (fake_outputs is None) != (augmented_fake_outputs is None):
        raise ValueError(
            "Pass both `fake_outputs` and `augmented_fake_outputs`, or neither. Received: "
            f"fake_outputs is None: {fake_outputs is None}, "
            f"augmented_fake_outputs is None: {augmented_fake_outputs is None}"
        )
    penalty = real_weight * _squared_difference(real_outputs, augmented_real_outputs)
    if fake_outputs is not None:
        penalty = penalty + fake_weight * _squared_difference(fake_outputs, augmented_fake_outputs)
    return penalty
