"""KID against a direct MMD^2 computation."""

import itertools

import numpy as np
import pytest

from keras_gans.metrics import kid_from_features
from keras_gans.metrics import polynomial_mmd2


def direct_mmd2(x, y):
    """Unbiased MMD^2 with k(a, b) = (a.b / d + 1)^3, by explicit pair loops."""
    d = x.shape[1]

    def k(a, b):
        return (float(np.dot(a, b)) / d + 1.0) ** 3

    n, m = len(x), len(y)
    xx = sum(k(x[i], x[j]) for i, j in itertools.permutations(range(n), 2)) / (n * (n - 1))
    yy = sum(k(y[i], y[j]) for i, j in itertools.permutations(range(m), 2)) / (m * (m - 1))
    xy = sum(k(x[i], y[j]) for i in range(n) for j in range(m)) / (n * m)
    return xx + yy - 2 * xy


@pytest.fixture
def features():
    rng = np.random.default_rng(0)
    return rng.normal(size=(40, 6)), rng.normal(0.3, 1.2, size=(30, 6))


def test_polynomial_mmd2_matches_direct(features):
    x, y = features
    assert polynomial_mmd2(x, y) == pytest.approx(direct_mmd2(x, y), rel=1e-3)


def test_kid_with_whole_sets_is_the_direct_mmd2(features):
    x, y = features
    # subset_size >= both sizes: every subset is the whole (smaller) set.
    mean, std = kid_from_features(x[:30], y, num_subsets=5, subset_size=100, seed=0)
    assert mean == pytest.approx(direct_mmd2(x[:30], y), rel=1e-3)
    assert std == pytest.approx(0.0, abs=1e-9)


def test_kid_subsets_average_to_the_full_estimate():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=(120, 4)), rng.normal(0.5, 1.0, size=(120, 4))
    mean, std = kid_from_features(x, y, num_subsets=400, subset_size=40, seed=0)
    full = direct_mmd2(x, y)
    # Subset U-statistics are unbiased for the full-sample one.
    assert abs(mean - full) < 4 * std / np.sqrt(400)
    assert std > 0


def test_kid_is_near_zero_for_one_distribution_and_seeded():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=(300, 8)), rng.normal(size=(300, 8))
    mean, std = kid_from_features(x, y, num_subsets=20, subset_size=100, seed=3)
    assert abs(mean) < 3 * std
    assert kid_from_features(x, y, num_subsets=20, subset_size=100, seed=3) == (mean, std)


def test_kid_errors(features):
    x, y = features
    with pytest.raises(ValueError, match="Feature dimensions differ"):
        kid_from_features(x, y[:, :3])
    with pytest.raises(ValueError, match="at least 2 samples"):
        kid_from_features(x[:1], y)
