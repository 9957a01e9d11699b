from keras import ops


def lecam_penalty(real_outputs, fake_outputs, real_anchor, fake_anchor, one_sided=False):
    """The LeCam regularizer of the discriminator, against anchors of its outputs.

    `R_LC = E[(D(x) - a_F)^2] + E[(D(G(z)) - a_R)^2]`, where `a_R` and `a_F`
    are moving averages of D's outputs on real and generated images: each
    output is pulled towards the *other* side's anchor, which keeps D's
    predictions from drifting apart (the paper relates it to the LeCam
    divergence). `one_sided=True` penalizes only real outputs above `a_F`
    and fake outputs below `a_R`, `E[relu(D(x) - a_F)^2] + E[relu(a_R -
    D(G(z)))^2]`, the form of the authors' released code. Means run over the
    batch and any further output dimensions. The anchors get no gradient.

    Args:
        real_outputs: D's outputs (logits) on real images.
        fake_outputs: D's outputs on generated images.
        real_anchor: `a_R`, the moving average of D's real outputs (a scalar).
        fake_anchor: `a_F`, the moving average of D's fake outputs.
        one_sided: use the one-sided (relu) form. Defaults to `False`, the
            paper's Eq. (3).

    Returns:
        A float32 scalar tensor, to be added to D's loss with a weight.

    Example:

    ```python
    import numpy as np
    from keras_gans.regularizers import lecam_penalty

    penalty = lecam_penalty(np.array([1.0, 2.0]), np.array([-1.0]), 0.5, -0.5)
    # ((1.5^2 + 2.5^2) / 2) + 1.5^2 = 6.5
    ```

    Reference:
        - [Tseng et al., 2021](https://arxiv.org/abs/2104.03310),
          "Regularizing Generative Adversarial Networks under Limited Data".
    """
    real_outputs = ops.cast(ops.convert_to_tensor(real_outputs), "float32")
    fake_outputs = ops.cast(ops.convert_to_tensor(fake_outputs), "float32")
    real_anchor = ops.stop_gradient(ops.cast(real_anchor, "float32"))
    fake_anchor = ops.stop_gradient(ops.cast(fake_anchor, "float32"))
    real_gap = real_outputs - fake_anchor
    fake_gap = real_anchor - fake_outputs
    if one_sided:
        real_gap, fake_gap = ops.relu(real_gap), ops.relu(fake_gap)
    return ops.mean(ops.square(real_gap)) + ops.mean(ops.square(fake_gap))
