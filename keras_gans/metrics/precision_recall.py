"""Improved precision and recall with k-nearest-neighbour manifolds.

Reference:
    Kynkaanniemi et al., "Improved Precision and Recall Metric for Assessing
    Generative Models", NeurIPS 2019. https://arxiv.org/abs/1904.06991
"""

import numpy as np

from keras_gans.metrics.nearest_neighbors import distance_blocks
from keras_gans.metrics.nearest_neighbors import nearest_neighbor_radii
from keras_gans.metrics.nearest_neighbors import real_and_fake_features


def _fraction_inside_manifold(points, manifold, radii, block_size):
    # A point is inside when it lies within the k-NN ball of any manifold point.
    inside = 0
    for _, distances in distance_blocks(points, manifold, block_size):
        inside += np.any(distances <= radii[None, :], axis=1).sum()
    return inside / len(points)


def precision_recall(real_features, fake_features, k=3, block_size=1000):
    """Improved precision and recall of generated samples.

    Each set's manifold is the union of balls around its points, with radius
    the distance to the point's k-th nearest neighbour in the same set.
    Precision is the fraction of generated samples inside the real manifold
    (sample quality); recall is the fraction of real samples inside the
    generated manifold (coverage of the data).

    Args:
        real_features: `(n, d)` features of real samples.
        fake_features: `(m, d)` features of generated samples.
        k: neighbour rank of the ball radii (3 in the paper).
        block_size: rows of distance matrices held in memory at once.

    Returns:
        dict with float `precision` and `recall`, both in [0, 1].

    Example:

    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(1000, 8))
    >>> scores = precision_recall(real, 0.5 * rng.normal(size=(1000, 8)))
    >>> scores["precision"] > scores["recall"]  # narrow fakes: precise, low recall
    True

    Reference:
        Kynkaanniemi et al., 2019. https://arxiv.org/abs/1904.06991
    """
    real, fake = real_and_fake_features(real_features, fake_features)
    real_radii = nearest_neighbor_radii(real, k, block_size)
    fake_radii = nearest_neighbor_radii(fake, k, block_size)
    return {
        "precision": float(_fraction_inside_manifold(fake, real, real_radii, block_size)),
        "recall": float(_fraction_inside_manifold(real, fake, fake_radii, block_size)),
    }
