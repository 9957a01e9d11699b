"""Tests of the 2D Gaussian mixtures."""

import numpy as np
import pytest

from keras_gans.data import mixture
from keras_gans.data import mixture_modes


def test_ring_modes_and_samples():
    centers, std = mixture_modes("ring")
    assert std == 0.01 and centers.shape == (8, 2)
    np.testing.assert_allclose(np.linalg.norm(centers, axis=1), 1.0)
    angles = np.sort(np.mod(np.arctan2(centers[:, 1], centers[:, 0]), 2 * np.pi))
    np.testing.assert_allclose(np.diff(angles), np.pi / 4)
    points, labels = mixture("ring", 8000, seed=0, with_labels=True)
    assert points.shape == (8000, 2) and points.dtype == np.float32
    offsets = points - centers[labels]
    assert abs(offsets.std() - 0.01) < 0.001 and abs(offsets.mean()) < 0.001
    assert np.all(np.abs(np.bincount(labels, minlength=8) / 8000 - 1 / 8) < 0.02)


def test_grid_modes_rows_and_samples():
    centers, std = mixture_modes("grid")
    assert std == 0.05 and centers.shape == (25, 2)
    expected = {(x, y) for x in (-4, -2, 0, 2, 4) for y in (-4, -2, 0, 2, 4)}
    assert {tuple(c) for c in centers.astype(int)} == expected
    points, labels = mixture("grid", 5000, seed=1, with_labels=True)
    # label // 5 is the grid row: the first coordinate's index.
    np.testing.assert_array_equal(np.round((points[:, 0] + 4) / 2).astype(int), labels // 5)
    assert abs((points - centers[labels]).std() - 0.05) < 0.005


def test_seed_determinism_and_errors():
    np.testing.assert_array_equal(mixture("grid", 10, seed=4), mixture("grid", 10, seed=4))
    assert not np.array_equal(mixture("grid", 10, seed=4), mixture("grid", 10, seed=5))
    with pytest.raises(
        ValueError, match="Unknown mixture 'spiral'. Known mixtures: ring, grid. Received: name='spiral'"
    ):
        mixture("spiral", 10)
    with pytest.raises(ValueError, match="`n` must be a non-negative integer. Received: n=-1"):
        mixture("ring", -1)
