"""Discriminator targets with one-sided label smoothing and flipped labels."""

import keras
from keras import ops


def discriminator_targets(real_logits, fake_logits, label_smoothing=0.0, flip_probability=0.0, seed=None):
    """Targets `(real_target, fake_target)` for a discriminator loss with targets.

    One-sided label smoothing (Salimans et al. 2016) lowers the real target from 1 to
    `1 - label_smoothing` and leaves the fake target at 0. Flipped labels swap the two
    targets of each sample independently with probability `flip_probability`: a
    flipped real sample gets the fake target 0, a flipped fake sample the real target
    `1 - label_smoothing`. Without either trick the targets are the floats `1.0` and
    `0.0`, which every loss accepts (the critic losses have no targets).

    Args:
        real_logits, fake_logits: the discriminator's logits, `(batch, 1)` (only
            their shapes are used).
        label_smoothing: float in `[0, 1)`.
        flip_probability: float in `[0, 1]`.
        seed: int or `keras.random.SeedGenerator` for the flips.

    Returns:
        Two floats, or two float32 tensors shaped like the logits.

    Example:

    ```python
    real_target, fake_target = discriminator_targets(real_logits, fake_logits, 0.1)
    loss = keras_gans.losses.get("non_saturating").discriminator_loss(
        real_logits, fake_logits, real_target, fake_target)
    ```

    Reference:
        Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016,
        section 3.4 (one-sided label smoothing).
        Chintala et al., "How to Train a GAN? Tips and tricks" (ganhacks), 2016,
        tip 6 (noisy labels: occasionally flip the labels for the discriminator).
    """
    positive = 1.0 - float(label_smoothing)
    if not flip_probability:
        return positive, 0.0
    real_flip = _flips(real_logits, flip_probability, seed)
    # An int seed would give the fakes the same draws as the reals.
    fake_flip = _flips(fake_logits, flip_probability, seed + 1 if isinstance(seed, int) else seed)
    real_target = positive * (1.0 - real_flip)
    fake_target = positive * fake_flip
    return real_target, fake_target


def _flips(logits, probability, seed):
    draws = keras.random.uniform(ops.shape(logits), dtype="float32", seed=seed)
    return ops.cast(draws < probability, "float32")
