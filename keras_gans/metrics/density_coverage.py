"""Density and coverage of generated samples.

Reference:
    Naeem et al., "Reliable Fidelity and Diversity Metrics for Generative
    Models", ICML 2020. https://arxiv.org/abs/2002.09797
"""

import numpy as np

from keras_gans.metrics.nearest_neighbors import distance_blocks
from keras_gans.metrics.nearest_neighbors import nearest_neighbor_radii
from keras_gans.metrics.nearest_neighbors import real_and_fake_features


def density_coverage(real_features, fake_features, k=5, block_size=1000):
    """Density and coverage of generated samples around real ones.

    With `B_i` the ball around real sample `i` of radius its k-th nearest
    real neighbour distance: density is the number of (generated sample,
    ball) containments divided by `k * m` (about 1 when the generated
    samples follow the real distribution, above 1 when they crowd dense
    regions); coverage is the fraction of real balls holding at least one
    generated sample. Only real-sample balls are used, so unlike recall,
    coverage is not inflated by generated outliers.

    Args:
        real_features: `(n, d)` features of real samples.
        fake_features: `(m, d)` features of generated samples.
        k: neighbour rank of the ball radii (5 in the paper).
        block_size: rows of distance matrices held in memory at once.

    Returns:
        dict with float `density` (>= 0) and `coverage` (in [0, 1]).

    Example:

    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(1000, 8))
    >>> scores = density_coverage(real, rng.normal(size=(1000, 8)))

    Reference:
        Naeem et al., 2020. https://arxiv.org/abs/2002.09797
    """
    real, fake = real_and_fake_features(real_features, fake_features)
    radii = nearest_neighbor_radii(real, k, block_size)
    containments = 0
    nearest_fake = np.empty(len(real))
    for start, distances in distance_blocks(real, fake, block_size):
        block_radii = radii[start : start + len(distances), None]
        containments += (distances < block_radii).sum()
        nearest_fake[start : start + len(distances)] = distances.min(axis=1)
    return {
        "density": float(containments / (k * len(fake))),
        "coverage": float(np.mean(nearest_fake < radii)),
    }
