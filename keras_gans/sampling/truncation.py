"""Latent truncation: samples from a truncated normal latent distribution."""

from keras_gans.sampling._model_calls import RandomStreams
from keras_gans.sampling._model_calls import check_count
from keras_gans.sampling._model_calls import check_positive_float
from keras_gans.sampling._model_calls import finish
from keras_gans.sampling._model_calls import generate_from_latents
from keras_gans.sampling._model_calls import sample_labels


def truncated_sampling(model, n, seed=None, labels=None, threshold=1.0, batch_size=256, return_info=False):
    """Samples a GAN from latents whose entries are redrawn while `|z_i| > threshold`.

    Each latent entry is drawn from `N(0, 1)` and redrawn until it lies in
    `[-threshold, threshold]`, which gives a normal distribution truncated to
    that interval, entry by entry. Lower thresholds trade variety for sample
    quality (the "truncation trick"). It needs no discriminator, so it works
    with packed discriminators too.

    Args:
        model: a `keras_gans` model with a normal latent distribution.
        n: number of samples.
        seed: int seed of the latents and labels (NumPy, the same on every
            backend), or None.
        labels: conditional models: one class, one label per sample, or None
            for uniformly drawn labels.
        threshold: the truncation bound, > 0.
        batch_size: samples per generator call.
        return_info: also return a dict with `redraws` (entries redrawn, per
            latent entry).

    Returns:
        float32 NumPy array `(n, *sample_shape)` (and the info dict).

    Example:

    ```python
    images = keras_gans.sampling.truncated_sampling(gan, 64, seed=0, threshold=0.5)
    ```

    Reference:
        Brock, Donahue & Simonyan, "Large Scale GAN Training for High Fidelity
        Natural Image Synthesis" (BigGAN), ICLR 2019.
        https://arxiv.org/abs/1809.11096
    """
    n = check_count(n, "n")
    threshold = check_positive_float(threshold, "threshold")
    batch_size = check_count(batch_size, "batch_size", minimum=1)
    streams = RandomStreams(seed)
    labels = sample_labels(model, n, labels, streams)
    z = streams.latents(n, model.latent_dim)
    outside = abs(z) > threshold
    redraws = 0
    while outside.any():
        count = int(outside.sum())
        redraws += count
        z[outside] = streams.latents(count, 1).reshape(-1)
        outside = abs(z) > threshold
    samples = generate_from_latents(model, z, labels, batch_size)
    info = {"redraws": redraws / z.size if z.size else 0.0}
    return finish(samples, info, return_info)
