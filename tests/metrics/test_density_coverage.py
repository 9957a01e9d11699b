"""Density and coverage against a brute-force scipy computation."""

import numpy as np
import pytest
from scipy.spatial.distance import cdist

from keras_gans.metrics import density_coverage


def brute_force(real, fake, k):
    radii = np.sort(cdist(real, real), axis=1)[:, k]
    d = cdist(real, fake)
    inside = d < radii[:, None]
    return inside.sum() / (k * len(fake)), inside.any(axis=1).mean()


def test_matches_brute_force():
    rng = np.random.default_rng(0)
    real = rng.normal(size=(70, 4))
    fake = rng.normal(0.4, 0.8, size=(50, 4))
    density, coverage = brute_force(real, fake, 5)
    for block_size in (9, 1000):  # row blocks of the distance matrices
        result = density_coverage(real, fake, k=5, block_size=block_size)
        assert result["density"] == pytest.approx(density)
        assert result["coverage"] == pytest.approx(coverage)
    assert 0 < coverage < 1


def test_same_distribution_and_collapse():
    rng = np.random.default_rng(1)
    real = rng.normal(size=(600, 3))
    same = density_coverage(real, rng.normal(size=(600, 3)))
    assert 0.8 < same["density"] < 1.2 and same["coverage"] > 0.9
    collapsed = density_coverage(real, np.zeros((600, 3)) + 0.01 * rng.normal(size=(600, 3)))
    assert collapsed["coverage"] < 0.1 and collapsed["density"] > 1
