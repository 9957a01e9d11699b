"""What every sampler needs from a model: latents, samples and discriminator logits.

Randomness is NumPy's, drawn from one `np.random.SeedSequence(seed)` with an
independent child stream per consumer (latents, uniforms, Langevin noise,
labels), so a seeded sampler gives the same draws on every Keras backend.
"""

import numbers

import numpy as np
from keras import ops


class RandomStreams:
    """Independent NumPy random streams derived from one seed.

    Args:
        seed: int, or None for fresh entropy.
    """

    def __init__(self, seed):
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
            raise ValueError(f"`seed` must be an integer or None. Received: seed={seed!r}")
        self._sequence = np.random.SeedSequence(seed)

    def generator(self):
        """A new `np.random.Generator` independent of all earlier ones."""
        return np.random.default_rng(self._sequence.spawn(1)[0])

    def latents(self, num_samples, latent_dim):
        """`(num_samples, latent_dim)` float32 standard normal latents, from a fresh
        stream (`keras_gans.presets.latent_noise`, which takes any NumPy seed)."""
        from keras_gans.presets import latent_noise  # noqa: PLC0415 (may move)

        return latent_noise(num_samples, latent_dim, seed=self._sequence.spawn(1)[0])

    def integer(self):
        """An int seed for APIs that take one (e.g. label drawing)."""
        return int(self._sequence.spawn(1)[0].generate_state(1)[0])


def check_count(value, name, minimum=0):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"`{name}` must be an integer >= {minimum}. Received: {name}={value!r}")
    return int(value)


def check_positive_float(value, name, allow_zero=False):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value):
        raise ValueError(f"`{name}` must be a finite number. Received: {name}={value!r}")
    if value < 0 or (value == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"`{name}` must be {bound}. Received: {name}={value!r}")
    return float(value)


def check_model(model, sampler):
    """Raises a clear error for models a discriminator-driven sampler cannot score."""
    packing = getattr(model, "packing", 1)
    if packing and packing > 1:
        raise ValueError(
            f"The {sampler!r} sampler needs one discriminator score per sample, but this "
            f"model's discriminator judges packs of {packing} samples (PacGAN). Received: "
            f"model.packing={packing}"
        )


def sample_labels(model, num_samples, labels, streams):
    """`(n, 1)` int32 class labels for conditional models (`model.prepare_labels`:
    one class, one label per sample, or None for uniformly drawn ones), else None."""
    if getattr(model, "num_classes", None) is None:
        return None
    return model.prepare_labels(num_samples, labels, streams.integer())


def _batches(num_samples, batch_size):
    for start in range(0, num_samples, batch_size):
        yield start, min(start + batch_size, num_samples)


def padded_size(size, batch_size):
    """`size` rounded up to a power of two, at most `batch_size` (and at least `size`).

    Model calls see few distinct batch shapes, so JAX and XLA compile each op
    for a handful of shapes instead of one per leftover batch."""
    return max(size, min(batch_size, 1 << max(size - 1, 0).bit_length()))


def pad_rows(array, size):
    """`array` with zero rows appended up to `size` rows (None stays None)."""
    if array is None or len(array) == size:
        return array
    array = np.asarray(array)
    padding = np.zeros((size - len(array),) + array.shape[1:], array.dtype)
    return np.concatenate([array, padding], axis=0)


def generate_from_latents(model, z, labels, batch_size):
    """Samples `G(z)` (the sampling generator, inference mode) as float32 NumPy."""
    generator = model.sampling_generator()
    outputs = []
    for start, stop in _batches(len(z), batch_size):
        size = padded_size(stop - start, batch_size)
        z_batch = ops.convert_to_tensor(pad_rows(np.asarray(z[start:stop], "float32"), size))
        label_batch = None if labels is None else pad_rows(labels[start:stop], size)
        out = generator(model.generator_inputs(z_batch, label_batch), training=False)
        outputs.append(ops.convert_to_numpy(ops.cast(out, "float32"))[: stop - start])
    if not outputs:
        return np.zeros((0,) + tuple(model.image_shape), "float32")
    return np.concatenate(outputs, axis=0)


def logit_tensor(model, samples, labels):
    """The discriminator's adversarial logit per sample, a `(batch,)` float32 tensor."""
    outputs = model.discriminator_outputs(samples, labels, training=False)
    logits = ops.cast(model.adversarial_logits(outputs), "float32")
    return ops.reshape(logits, (ops.shape(logits)[0],))


def discriminator_logits(model, samples, labels, batch_size):
    """The discriminator's adversarial logits of samples, `(n,)` float64 NumPy."""
    logits = []
    for start, stop in _batches(len(samples), batch_size):
        size = padded_size(stop - start, batch_size)
        batch = ops.convert_to_tensor(pad_rows(np.asarray(samples[start:stop], "float32"), size))
        label_batch = None if labels is None else pad_rows(labels[start:stop], size)
        values = ops.convert_to_numpy(logit_tensor(model, batch, label_batch))
        if values.shape != (size,):
            raise ValueError(
                "Expected one discriminator logit per sample, got an output of shape "
                f"{values.shape} for {size} samples."
            )
        logits.append(values[: stop - start].astype("float64"))
    if not logits:
        return np.zeros((0,), "float64")
    return np.concatenate(logits)


def take_labels(labels, index):
    return None if labels is None else labels[index]


def finish(samples, info, return_info):
    samples = np.asarray(samples, "float32")
    return (samples, info) if return_info else samples
