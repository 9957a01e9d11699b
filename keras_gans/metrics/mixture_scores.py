"""Mode-coverage scores of samples from a 2D Gaussian mixture.

Reference:
    Lin et al., "PacGAN: The power of two samples in generative adversarial
    networks", NeurIPS 2018. https://arxiv.org/abs/1712.04086
"""

import numpy as np

from keras_gans.data.mixtures import mixture_modes


def mixture_scores(samples, mixture="ring", num_std=3.0):
    """Scores generated 2D samples against the modes of a known mixture.

    A sample is of high quality when it lies within `num_std` standard
    deviations (Euclidean distance) of its nearest mode.

    Args:
        samples: `(n, 2)` generated points.
        mixture: `"ring"` or `"grid"` (see `keras_gans.data.mixture`).
        num_std: high-quality radius in standard deviations.

    Returns:
        dict with `modes` (int: modes with at least one high-quality sample),
        `high_quality` (float: fraction of high-quality samples) and
        `reverse_kl` (float: KL divergence from the histogram of the
        high-quality samples over modes to the uniform distribution; `inf`
        when there is no high-quality sample).

    Example:

    >>> points = keras_gans.data.mixture("ring", 1000, seed=0)
    >>> mixture_scores(points, "ring")["modes"]
    8

    Reference:
        Lin et al., 2018. https://arxiv.org/abs/1712.04086
    """
    centers, std = mixture_modes(mixture)
    samples = np.asarray(samples, np.float64)
    if samples.ndim != 2 or samples.shape[1] != 2 or len(samples) == 0:
        raise ValueError(f"samples must be a non-empty (n, 2) array, got shape {samples.shape}.")
    distances = np.linalg.norm(samples[:, None, :] - centers[None], axis=-1)
    nearest = distances.argmin(axis=1)
    high_quality = distances.min(axis=1) <= num_std * std
    counts = np.bincount(nearest[high_quality], minlength=len(centers))
    if counts.sum() == 0:
        reverse_kl = float("inf")
    else:
        frequencies = counts[counts > 0] / counts.sum()
        reverse_kl = float(np.sum(frequencies * np.log(frequencies * len(centers))))
    return {
        "modes": int(np.count_nonzero(counts)),
        "high_quality": float(high_quality.mean()),
        "reverse_kl": reverse_kl,
    }
