"""PacGAN packing: the discriminator judges m samples at once, as a term."""

import keras
from keras import ops

from keras_gans.terms.term import Term
from keras_gans.terms.term import check_positive_int


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
        raise ValueError(f"Packing needs a known last axis. Received: sample_shape={sample_shape}")
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
        raise ValueError(f"Packing needs static sample shapes. Received: sample_shape={sample_shape}")
    groups = ops.shape(samples)[0] // packing
    samples = samples[: groups * packing]
    grouped = ops.reshape(samples, (-1, packing) + sample_shape)
    rank = len(sample_shape)
    # (groups, m, d1, ..., C) -> (groups, d1, ..., m, C)
    perm = (0,) + tuple(range(2, rank + 1)) + (1, rank + 1)
    grouped = ops.transpose(grouped, perm)
    return ops.reshape(grouped, (-1,) + packed_sample_shape(sample_shape, packing))


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class Packing(Term):
    """PacGAN: `m` samples concatenated along the last axis form one discriminator input.

    Applied last to everything the discriminator sees (after augmentation and
    instance noise), in training and at inference; the default discriminator
    is built for the packed shape. Gradient penalties are taken with respect
    to the packed inputs (the function D actually computes). Keyword of every
    unconditional variant: `packing` (1 turns it off).

    Args:
        packing: `m >= 1`.
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.GAN(generator, discriminator_for_4_inputs, packing=2)
    ```

    Reference:
        Lin et al., "PacGAN: The power of two samples in generative adversarial
        networks", NeurIPS 2018.
    """

    keywords = {"packing": 1}
    view_order = 100

    def __init__(self, packing=2, name="packing", **kwargs):
        kwargs.pop("network", None)
        super().__init__(network="discriminator", name=name, **kwargs)
        self.packing = check_positive_int("packing", packing)

    @classmethod
    def from_keywords(cls, model, packing):
        term = cls(packing)
        if term.packing == 1:
            return []
        if model.num_classes is not None:
            raise ValueError(
                "`packing` is not supported for class-conditional models. "
                f"Received: packing={packing!r} for {type(model).__name__}"
            )
        return [term]

    def view(self, samples, model, training):
        return pack_samples(samples, self.packing)

    def discriminator_input_shape(self, sample_shape):
        return packed_sample_shape(sample_shape, self.packing)

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return {**config, "packing": self.packing}
