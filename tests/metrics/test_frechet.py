"""FID against scipy.linalg.sqrtm, and the streaming statistics."""

import numpy as np
import pytest
import scipy.linalg

from keras_gans.metrics import FeatureStatistics
from keras_gans.metrics import fid_from_features
from keras_gans.metrics import frechet_distance


def scipy_fid(a, b):
    mean_a, mean_b = a.mean(axis=0), b.mean(axis=0)
    cov_a, cov_b = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    covmean = scipy.linalg.sqrtm(cov_a @ cov_b).real
    return ((mean_a - mean_b) ** 2).sum() + np.trace(cov_a + cov_b - 2 * covmean)


@pytest.fixture
def features():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(400, 12))
    mixing = rng.normal(size=(12, 12)) * 0.4
    b = rng.normal(size=(300, 12)) @ mixing + 0.3
    return a, b


def test_fid_matches_scipy_sqrtm(features):
    a, b = features
    assert fid_from_features(a, b) == pytest.approx(scipy_fid(a, b), rel=1e-3)
    assert fid_from_features(b, a) == pytest.approx(scipy_fid(a, b), rel=1e-3)


def test_fid_of_a_set_with_itself_is_zero(features):
    a, b = features
    assert fid_from_features(a, a) == pytest.approx(0.0, abs=1e-9)
    b32 = b.astype(np.float32)
    assert fid_from_features(b32, b32) == pytest.approx(0.0, abs=1e-9)


def test_frechet_distance_of_1d_gaussians():
    # W2^2 between N(m1, s1^2) and N(m2, s2^2) is (m1 - m2)^2 + (s1 - s2)^2.
    assert frechet_distance([1.0], [[4.0]], [3.0], [[9.0]]) == pytest.approx(4.0 + 1.0)


def test_streaming_statistics_match_numpy(features):
    a, _ = features
    shifted = a + 1000.0  # a large mean stresses the sum-of-products formula
    shifted32 = shifted.astype(np.float32)
    stats = FeatureStatistics()
    for batch in np.array_split(shifted32, 7):
        stats.update(batch)
    exact = shifted32.astype(np.float64)
    np.testing.assert_allclose(stats.mean, exact.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(stats.covariance, np.cov(exact, rowvar=False), atol=1e-9)
    merged = FeatureStatistics.from_features(shifted[:50]).merge(
        FeatureStatistics.from_features(shifted[50:] + 0.0)
    )
    assert merged.count == len(shifted)
    np.testing.assert_allclose(merged.covariance, np.cov(shifted, rowvar=False), atol=1e-9)


def test_fid_from_statistics_equals_fid_from_arrays(features):
    a, b = features
    stats = FeatureStatistics()
    for batch in np.array_split(b, 5):
        stats.update(batch)
    assert fid_from_features(a, stats) == pytest.approx(fid_from_features(a, b), rel=1e-9)


def test_errors_and_non_finite(features):
    a, b = features
    with pytest.raises(ValueError, match="Feature dimensions differ"):
        fid_from_features(a, b[:, :5])
    with pytest.raises(ValueError, match="2D array"):
        fid_from_features(a[0], b)
    with pytest.raises(ValueError, match="at least 2 samples"):
        FeatureStatistics.from_features(a[:1]).covariance
    bad = b.copy()
    bad[0, 0] = np.nan
    assert np.isnan(fid_from_features(a, bad))
