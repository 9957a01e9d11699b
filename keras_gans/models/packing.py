"""PacGAN packing: m samples concatenated along channels into one discriminator input."""

from keras import ops


def packed_sample_shape(sample_shape, packing):
    """Shape (without batch) of one packed discriminator input.

    The last axis (channels, or features of flat samples) grows `packing` times:
    `(28, 28, 1)` packed by 2 is `(28, 28, 2)`; `(2,)` packed by 4 is `(8,)`.

    Example:

    >>> packed_sample_shape((28, 28, 1), 2)
    (28, 28, 2)
    """
    sample_shape = tuple(sample_shape)
    if not sample_shape or sample_shape[-1] is None:
        raise ValueError(f"Packing needs a known last axis, got sample shape {sample_shape}.")
    return sample_shape[:-1] + (sample_shape[-1] * int(packing),)


def pack_samples(samples, packing):
    """Packs a batch `(batch, ..., C)` into `(batch // m, ..., m * C)`.

    Consecutive groups of `m = packing` samples become one input: sample `j` of a
    group fills channels `j * C` to `(j + 1) * C - 1`. A batch whose size is not a
    multiple of `m` loses its last `batch % m` samples.

    Args:
        samples: tensor `(batch, ..., C)` with static non-batch dimensions.
        packing: int `m >= 1` (1 returns `samples` unchanged).

    Example:

    ```python
    packed = pack_samples(images, 2)  # (64, 28, 28, 1) -> (32, 28, 28, 2)
    ```

    Reference:
        Lin et al., "PacGAN: The power of two samples in generative adversarial
        networks", NeurIPS 2018.
    """
    packing = int(packing)
    if packing == 1:
        return samples
    sample_shape = tuple(samples.shape[1:])
    if any(d is None for d in sample_shape):
        raise ValueError(f"Packing needs static sample shapes, got {sample_shape}.")
    groups = ops.shape(samples)[0] // packing
    samples = samples[: groups * packing]
    grouped = ops.reshape(samples, (-1, packing) + sample_shape)
    rank = len(sample_shape)
    # (groups, m, d1, ..., C) -> (groups, d1, ..., m, C)
    perm = (0,) + tuple(range(2, rank + 1)) + (1, rank + 1)
    grouped = ops.transpose(grouped, perm)
    return ops.reshape(grouped, (-1,) + packed_sample_shape(sample_shape, packing))
