"""Improved precision/recall against a brute-force scipy computation."""

import numpy as np
import pytest
from scipy.spatial.distance import cdist

from keras_gans.metrics import precision_recall


def brute_force(real, fake, k):
    def radii(points):
        return np.sort(cdist(points, points), axis=1)[:, k]

    real_radii, fake_radii = radii(real), radii(fake)
    d = cdist(fake, real)
    precision = np.mean([np.any(d[j] <= real_radii) for j in range(len(fake))])
    recall = np.mean([np.any(d[:, i] <= fake_radii) for i in range(len(real))])
    return precision, recall


def test_matches_brute_force():
    rng = np.random.default_rng(0)
    real = rng.normal(size=(80, 5))
    fake = rng.normal(0.7, 0.6, size=(60, 5))
    precision, recall = brute_force(real, fake, 3)
    for block_size in (7, 1000):  # row blocks of the distance matrices
        result = precision_recall(real, fake, k=3, block_size=block_size)
        assert result["precision"] == pytest.approx(precision)
        assert result["recall"] == pytest.approx(recall)
    assert 0 < precision < 1 and 0 < recall < 1


def test_narrow_fakes_are_precise_but_miss_recall():
    rng = np.random.default_rng(1)
    real = rng.normal(size=(500, 4))
    result = precision_recall(real, 0.3 * rng.normal(size=(500, 4)))
    assert result["precision"] > 0.95 and result["recall"] < 0.5
    identical = precision_recall(real, real)
    assert identical == {"precision": 1.0, "recall": 1.0}


def test_errors():
    with pytest.raises(ValueError, match="k must be between"):
        precision_recall(np.zeros((3, 2)), np.zeros((3, 2)), k=3)
    with pytest.raises(ValueError, match="Feature dimensions differ"):
        precision_recall(np.zeros((9, 2)), np.zeros((9, 3)))
