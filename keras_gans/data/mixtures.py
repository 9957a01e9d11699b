"""Synthetic 2D Gaussian mixtures for mode-collapse experiments.

The constants are those of the PacGAN paper: a ring of 8 Gaussians on the
unit circle with standard deviation 0.01, and a grid of 25 Gaussians centred
on {-4, -2, 0, 2, 4}^2 with standard deviation 0.05. Modes are equally likely.

Reference:
    Lin et al., "PacGAN: The power of two samples in generative adversarial
    networks", NeurIPS 2018. https://arxiv.org/abs/1712.04086
"""

import numbers

import numpy as np

from keras_gans.data.catalog import MIXTURE
from keras_gans.data.catalog import dataset_info


def mixture_modes(name):
    """Returns the mode centres and the standard deviation of a mixture.

    Mode `i` of `"ring"` sits at angle `2 * pi * i / 8`. Mode `i` of
    `"grid"` sits at `(values[i // 5], values[i % 5])` with
    `values = (-4, -2, 0, 2, 4)`, so `i // 5` is its grid row.

    Args:
        name: `"ring"` or `"grid"`.

    Returns:
        `(centers, std)`: float64 array `(num_modes, 2)` and a float.

    Example:

    >>> centers, std = mixture_modes("ring")
    >>> centers.shape, std
    ((8, 2), 0.01)
    """
    dataset_info(name, kind=MIXTURE)
    if name == "ring":
        angles = 2.0 * np.pi * np.arange(8) / 8.0
        return np.stack([np.cos(angles), np.sin(angles)], axis=1), 0.01
    values = np.arange(-4.0, 5.0, 2.0)
    rows, cols = np.meshgrid(values, values, indexing="ij")
    return np.stack([rows.ravel(), cols.ravel()], axis=1), 0.05


def mixture(name, n, seed=None, with_labels=False):
    """Samples `n` points from a 2D Gaussian mixture.

    Args:
        name: `"ring"` (8 modes) or `"grid"` (25 modes).
        n: number of points.
        seed: int seed for NumPy's generator; `None` for fresh randomness.
        with_labels: also return each point's mode index (int32). For the
            grid, `labels // 5` is the grid row.

    Returns:
        float32 array `(n, 2)`, or `(points, labels)`.

    Example:

    >>> points = mixture("grid", 1000, seed=0)
    >>> points.shape
    (1000, 2)
    """
    centers, std = mixture_modes(name)
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
        raise ValueError(f"`n` must be a non-negative integer. Received: n={n!r}")
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, len(centers), size=int(n))
    points = centers[labels] + std * rng.standard_normal((int(n), 2))
    points = points.astype(np.float32)
    if with_labels:
        return points, labels.astype(np.int32)
    return points
