"""Latent truncation: entries redrawn until |z_i| <= threshold give a truncated normal."""

import numpy as np
import pytest
from conftest import toy_gan
from scipy import stats

from keras_gans.sampling import truncated_sampling


def test_latents_follow_the_truncated_normal():
    gan = toy_gan(latent_dim=3)  # G(z) = z
    threshold = 0.7
    samples, info = truncated_sampling(gan, 3000, seed=0, threshold=threshold, return_info=True)
    assert samples.shape == (3000, 3)
    assert np.abs(samples).max() <= threshold
    truncated = stats.truncnorm(-threshold, threshold)
    for column in samples.T:
        assert stats.kstest(column, truncated.cdf).pvalue > 0.01
    # Redraws per entry: geometric, mean P(outside) / P(inside).
    outside = 2 * stats.norm.sf(threshold)
    assert info["redraws"] == pytest.approx(outside / (1 - outside), rel=0.05)


def test_a_large_threshold_changes_nothing():
    gan = toy_gan(latent_dim=2)
    samples = truncated_sampling(gan, 2000, seed=1, threshold=10.0)
    assert stats.kstest(samples[:, 0], "norm").pvalue > 0.01


def test_bad_threshold():
    with pytest.raises(ValueError, match="threshold"):
        truncated_sampling(toy_gan(), 4, threshold=-1.0)
