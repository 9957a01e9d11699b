from keras import ops

ADA_TARGET = 0.6
ADA_KIMG = 500


def adjust_augment_probability(probability, real_sign_mean, num_images, target=ADA_TARGET, ada_kimg=ADA_KIMG):
    """One step of the ADA controller: `p` moves towards the overfitting target.

    `r_t = E[sign(D(real))]`, measured on the real images the discriminator
    saw since the last adjustment, says how much D overfits (1: it is sure of
    every real image; 0: no better than chance). The probability moves by
    a fixed step in the direction of `r_t - target`:

    `p <- clip(p + sign(r_t - target) * num_images / (ada_kimg * 1000), 0, 1)`,

    so that `p` can go from 0 to 1 within `ada_kimg` thousand real images.
    `num_images` is the number of real images behind `r_t`: the batch size
    times the number of discriminator steps between adjustments (4 in the
    paper).

    Args:
        probability: current augmentation probability, a scalar.
        real_sign_mean: `r_t`, the mean of `sign(D(real))` over the interval.
        num_images: real images seen since the last adjustment
            (batch size x interval).
        target: the `r_t` the controller aims at. Defaults to `0.6`.
        ada_kimg: thousands of images for `p` to go from 0 to 1. Defaults
            to `500`.

    Returns:
        The new probability, a float32 scalar tensor in [0, 1].

    Example:

    ```python
    from keras_gans.augment import adjust_augment_probability

    # D overfits (r_t = 0.9 > 0.6): p grows by 64 * 4 / 500_000.
    p = adjust_augment_probability(0.1, 0.9, num_images=64 * 4)
    ```

    Reference:
        - [Karras et al., 2020](https://arxiv.org/abs/2006.06676),
          "Training Generative Adversarial Networks with Limited Data",
          Section 3.
    """
    if ada_kimg <= 0:
        raise ValueError(f"`ada_kimg` must be positive. Received: ada_kimg={ada_kimg}")
    probability = ops.cast(probability, "float32")
    direction = ops.sign(ops.cast(real_sign_mean, "float32") - target)
    step = ops.cast(num_images, "float32") / (float(ada_kimg) * 1000.0)
    return ops.clip(probability + direction * step, 0.0, 1.0)
