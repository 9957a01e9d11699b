"""Frechet distance between Gaussians fitted to features (FID).

Reference:
    Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge to a
    Local Nash Equilibrium", NeurIPS 2017. https://arxiv.org/abs/1706.08500
"""

import numpy as np


def as_feature_matrix(features, name="features"):
    features = np.asarray(features, dtype=np.float64)
    if features.ndim != 2:
        raise ValueError(f"{name} must be a 2D array (num_samples, feature_dim), got shape {features.shape}.")
    return features


class FeatureStatistics:
    """Running mean and covariance of feature vectors, in float64.

    Keeps the count, the sum and the sum of outer products (shifted by the
    first batch's mean for accuracy), so statistics over any number of
    batches take `O(feature_dim^2)` memory.

    Args:
        feature_dim: optional expected feature dimension; taken from the
            first batch when `None`.

    Example:

    >>> stats = FeatureStatistics()
    >>> for batch in np.split(np.random.randn(1000, 8), 10):
    ...     stats.update(batch)
    >>> stats.count, stats.mean.shape, stats.covariance.shape
    (1000, (8,), (8, 8))
    """

    def __init__(self, feature_dim=None):
        self.feature_dim = feature_dim
        self.count = 0
        self._shift = None
        self._sum = None
        self._outer_sum = None

    @classmethod
    def from_features(cls, features):
        """Statistics of a whole `(num_samples, feature_dim)` array."""
        stats = cls()
        stats.update(features)
        return stats

    def update(self, features):
        """Adds a batch `(batch_size, feature_dim)` of features."""
        features = as_feature_matrix(features)
        if self.feature_dim is None:
            self.feature_dim = features.shape[1]
        if features.shape[1] != self.feature_dim:
            raise ValueError(
                f"Expected features of dimension {self.feature_dim}, got shape {features.shape}."
            )
        if len(features) == 0:
            return self
        if self._shift is None:
            self._shift = features.mean(axis=0)
            self._sum = np.zeros(self.feature_dim)
            self._outer_sum = np.zeros((self.feature_dim, self.feature_dim))
        centered = features - self._shift
        self._sum += centered.sum(axis=0)
        self._outer_sum += centered.T @ centered
        self.count += len(features)
        return self

    def merge(self, other):
        """Adds the samples summarised by another `FeatureStatistics`."""
        if other.count == 0:
            return self
        if self.count == 0:
            self.feature_dim = other.feature_dim
            self.count = other.count
            self._shift = other._shift.copy()
            self._sum = other._sum.copy()
            self._outer_sum = other._outer_sum.copy()
            return self
        if other.feature_dim != self.feature_dim:
            raise ValueError(
                f"Cannot merge statistics of dimensions {self.feature_dim} and {other.feature_dim}."
            )
        # Re-express the other's sums around this shift.
        delta = other._shift - self._shift
        self._outer_sum += (
            other._outer_sum
            + np.outer(other._sum, delta)
            + np.outer(delta, other._sum)
            + other.count * np.outer(delta, delta)
        )
        self._sum += other._sum + other.count * delta
        self.count += other.count
        return self

    @property
    def mean(self):
        """Mean feature vector, float64 `(feature_dim,)`."""
        if self.count == 0:
            raise ValueError("No features were added to these statistics.")
        return self._shift + self._sum / self.count

    @property
    def covariance(self):
        """Unbiased covariance matrix, float64 `(feature_dim, feature_dim)`."""
        if self.count < 2:
            raise ValueError(f"A covariance needs at least 2 samples, got {self.count}.")
        centered_mean = self._sum / self.count
        covariance = self._outer_sum - self.count * np.outer(centered_mean, centered_mean)
        covariance /= self.count - 1
        return (covariance + covariance.T) / 2.0


def _symmetric_sqrt(matrix):
    eigenvalues, eigenvectors = np.linalg.eigh(matrix)
    eigenvalues = np.clip(eigenvalues, 0.0, None)
    return (eigenvectors * np.sqrt(eigenvalues)) @ eigenvectors.T


def frechet_distance(mean1, covariance1, mean2, covariance2):
    """Squared Frechet (2-Wasserstein) distance between two Gaussians.

    `||m1 - m2||^2 + Tr(C1) + Tr(C2) - 2 Tr((C1 C2)^(1/2))`, where the last
    trace is computed as `Tr((C1^(1/2) C2 C1^(1/2))^(1/2))`: both are the sum
    of the square roots of the eigenvalues of `C1 C2`, but the second only
    needs symmetric eigendecompositions and stays real.

    Args:
        mean1, covariance1: mean `(d,)` and covariance `(d, d)` of the first.
        mean2, covariance2: same for the second Gaussian.

    Returns:
        A non-negative Python float (NaN when an input is not finite).

    Example:

    >>> frechet_distance(np.zeros(2), np.eye(2), np.ones(2), np.eye(2))
    2.0
    """
    mean1 = np.asarray(mean1, np.float64)
    mean2 = np.asarray(mean2, np.float64)
    covariance1 = np.atleast_2d(np.asarray(covariance1, np.float64))
    covariance2 = np.atleast_2d(np.asarray(covariance2, np.float64))
    if (
        mean1.shape != mean2.shape
        or covariance1.shape != covariance2.shape
        or covariance1.shape != (mean1.shape[0], mean1.shape[0])
    ):
        raise ValueError(
            "Mismatched shapes: means "
            f"{mean1.shape}, {mean2.shape}; covariances {covariance1.shape}, "
            f"{covariance2.shape}."
        )
    if not all(np.all(np.isfinite(a)) for a in (mean1, mean2, covariance1, covariance2)):
        return float("nan")
    root1 = _symmetric_sqrt(covariance1)
    product = root1 @ covariance2 @ root1
    eigenvalues = np.linalg.eigvalsh((product + product.T) / 2.0)
    trace_sqrt = np.sqrt(np.clip(eigenvalues, 0.0, None)).sum()
    difference = mean1 - mean2
    distance = difference @ difference + np.trace(covariance1) + np.trace(covariance2) - 2.0 * trace_sqrt
    return float(max(distance, 0.0))


def fid_from_features(features1, features2):
    """Frechet Inception Distance between two sets of features.

    Args:
        features1, features2: `(num_samples, feature_dim)` arrays (e.g.
            Inception pool features of real and generated images), or
            `FeatureStatistics` accumulated over batches.

    Returns:
        FID as a Python float (0 for identical sets; lower is better).

    Example:

    >>> real = np.random.randn(500, 16)
    >>> fid_from_features(real, real)
    0.0

    Reference:
        Heusel et al., 2017. https://arxiv.org/abs/1706.08500
    """
    stats = []
    for name, features in (("features1", features1), ("features2", features2)):
        if not isinstance(features, FeatureStatistics):
            features = FeatureStatistics.from_features(as_feature_matrix(features, name))
        stats.append(features)
    if stats[0].feature_dim != stats[1].feature_dim:
        raise ValueError(f"Feature dimensions differ: {stats[0].feature_dim} vs {stats[1].feature_dim}.")
    return frechet_distance(stats[0].mean, stats[0].covariance, stats[1].mean, stats[1].covariance)
