"""Sample diversity: the mean pairwise distance of samples, and the first samples of real data."""

import keras
import numpy as np

from keras_gans.metrics.nearest_neighbors import pairwise_distances

__all__ = ["mean_pairwise_distance"]


def mean_pairwise_distance(samples):
    """Mean Euclidean distance between distinct samples (flattened).

    Args:
        samples: `(n, ...)` array, `n >= 2`.

    Returns:
        A Python float (NaN if a sample is not finite).
    """
    samples = np.asarray(samples, np.float64).reshape(len(samples), -1)
    if len(samples) < 2:
        raise ValueError(f"Need at least 2 samples, got {len(samples)}.")
    if not np.all(np.isfinite(samples)):
        return float("nan")
    distances = pairwise_distances(samples, samples)
    n = len(samples)
    return float((distances.sum() - np.trace(distances)) / (n * (n - 1)))


def first_samples(data, num_samples, seed):
    """Up to `num_samples` samples from an array, a dataset or batches."""
    if hasattr(data, "as_numpy_iterator"):
        data = data.as_numpy_iterator()
    elif hasattr(data, "shape"):
        array = np.asarray(keras.ops.convert_to_numpy(data))
        if len(array) > num_samples:
            rng = np.random.default_rng(seed)
            array = array[rng.choice(len(array), num_samples, replace=False)]
        return array
    batches, count = [], 0
    for batch in data:
        if isinstance(batch, (tuple, list)):
            batch = batch[0]
        batch = np.asarray(batch)
        batches.append(batch)
        count += len(batch)
        if count >= num_samples:
            break
    if not batches:
        raise ValueError("real_data yielded no samples.")
    return np.concatenate(batches)[:num_samples]
