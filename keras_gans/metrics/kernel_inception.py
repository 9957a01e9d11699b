"""Kernel Inception Distance: unbiased MMD^2 with a cubic polynomial kernel.

Reference:
    Binkowski et al., "Demystifying MMD GANs", ICLR 2018.
    https://arxiv.org/abs/1801.01401
"""

import numpy as np

from keras_gans.metrics.frechet import as_feature_matrix


def polynomial_kernel(x, y):
    """The KID kernel `k(x, y) = (x . y / d + 1)^3`, as a Gram matrix.

    Args:
        x: `(n, d)` array.
        y: `(m, d)` array.

    Returns:
        float64 array `(n, m)`.
    """
    x = np.asarray(x, np.float64)
    y = np.asarray(y, np.float64)
    return (x @ y.T / x.shape[1] + 1.0) ** 3


def polynomial_mmd2(x, y):
    """Unbiased estimate of MMD^2 under `polynomial_kernel`.

    Averages `k(x_i, x_j)` and `k(y_i, y_j)` over pairs with `i != j` and
    `k(x_i, y_j)` over all pairs: `E[k(x, x')] + E[k(y, y')] - 2 E[k(x, y)]`.

    Args:
        x: `(n, d)` array, `n >= 2`.
        y: `(m, d)` array, `m >= 2`.

    Returns:
        A Python float (can be slightly negative for close distributions).
    """
    x = as_feature_matrix(x, "x")
    y = as_feature_matrix(y, "y")
    n, m = len(x), len(y)
    if n < 2 or m < 2:
        raise ValueError(f"MMD^2 needs at least 2 samples per set, got {n} and {m}.")
    k_xx = polynomial_kernel(x, x)
    k_yy = polynomial_kernel(y, y)
    k_xy = polynomial_kernel(x, y)
    term_xx = (k_xx.sum() - np.trace(k_xx)) / (n * (n - 1))
    term_yy = (k_yy.sum() - np.trace(k_yy)) / (m * (m - 1))
    return float(term_xx + term_yy - 2.0 * k_xy.mean())


def kid_from_features(features1, features2, num_subsets=100, subset_size=1000, seed=None):
    """Kernel Inception Distance between two sets of features.

    Draws `num_subsets` random subsets (without replacement) of
    `subset_size` samples from each set and averages the unbiased
    polynomial-kernel MMD^2 over them. `subset_size` is capped by the
    smaller set's size.

    Args:
        features1, features2: `(num_samples, feature_dim)` arrays.
        num_subsets: number of subset pairs.
        subset_size: samples per subset.
        seed: seed of the subset draws (`None` for fresh randomness).

    Returns:
        `(mean, std)` of the MMD^2 estimates over subsets, Python floats.

    Example:

    >>> rng = np.random.default_rng(0)
    >>> a, b = rng.normal(size=(500, 16)), rng.normal(1.0, size=(500, 16))
    >>> kid_mean, kid_std = kid_from_features(a, b, num_subsets=10,
    ...                                       subset_size=100, seed=0)

    Reference:
        Binkowski et al., 2018. https://arxiv.org/abs/1801.01401
    """
    features1 = as_feature_matrix(features1, "features1")
    features2 = as_feature_matrix(features2, "features2")
    if features1.shape[1] != features2.shape[1]:
        raise ValueError(f"Feature dimensions differ: {features1.shape[1]} vs {features2.shape[1]}.")
    if num_subsets < 1:
        raise ValueError(f"num_subsets must be positive, got {num_subsets}.")
    size = min(int(subset_size), len(features1), len(features2))
    if size < 2:
        raise ValueError(
            "KID needs subsets of at least 2 samples; got subset_size="
            f"{subset_size} with {len(features1)} and {len(features2)} samples."
        )
    rng = np.random.default_rng(seed)
    estimates = np.empty(num_subsets)
    for i in range(num_subsets):
        x = features1[rng.choice(len(features1), size, replace=False)]
        y = features2[rng.choice(len(features2), size, replace=False)]
        estimates[i] = polynomial_mmd2(x, y)
    return float(estimates.mean()), float(estimates.std())
