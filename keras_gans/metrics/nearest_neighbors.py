"""Blocked Euclidean distances and k-nearest-neighbour radii (bounded memory)."""

import numpy as np

from keras_gans.metrics.frechet import as_feature_matrix


def real_and_fake_features(real_features, fake_features):
    """Both feature sets as float `(n, d)` / `(m, d)` matrices of the same `d`."""
    real = as_feature_matrix(real_features, "real_features")
    fake = as_feature_matrix(fake_features, "fake_features")
    if real.shape[1] != fake.shape[1]:
        raise ValueError(f"Feature dimensions differ: {real.shape[1]} vs {fake.shape[1]}.")
    return real, fake


def pairwise_distances(x, y):
    """Euclidean distances `(len(x), len(y))` in float64."""
    x = np.asarray(x, np.float64)
    y = np.asarray(y, np.float64)
    squared = (x * x).sum(axis=1)[:, None] + (y * y).sum(axis=1)[None, :] - 2.0 * x @ y.T
    return np.sqrt(np.clip(squared, 0.0, None))


def distance_blocks(x, y, block_size=1000):
    """Yields `(start, distances)` for row blocks of `pairwise_distances(x, y)`."""
    for start in range(0, len(x), block_size):
        yield start, pairwise_distances(x[start : start + block_size], y)


def nearest_neighbor_radii(features, k, block_size=1000):
    """Distance from each point to its k-th nearest other point of the set.

    Args:
        features: `(n, d)` array, `n > k`.
        k: neighbour rank (1 = nearest other point).
        block_size: rows of the distance matrix held in memory at once.

    Returns:
        float64 array `(n,)`.
    """
    features = as_feature_matrix(features)
    if not 1 <= k < len(features):
        raise ValueError(f"k must be between 1 and num_samples - 1 = {len(features) - 1}, got {k}.")
    radii = np.empty(len(features))
    for start, distances in distance_blocks(features, features, block_size):
        # Index k of the sorted row skips the point itself (distance 0).
        radii[start : start + len(distances)] = np.partition(distances, k, axis=1)[:, k]
    return radii
