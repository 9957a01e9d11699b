"""DDLS: Langevin chains on E(z) = |z|^2 / 2 - d(G(z)) reach p_g exp(d)."""

import numpy as np
import pytest
from conftest import CLASS_OFFSET
from conftest import MU
from conftest import SIGMA
from conftest import log_ratio
from conftest import target_cdf
from conftest import toy_conditional_gan
from scipy import stats

from keras_gans.sampling import latent_langevin_sampling


def test_langevin_chains_reach_the_data_distribution(gan):
    samples, info = latent_langevin_sampling(
        gan, 2000, seed=0, steps=150, step_size=0.05, batch_size=2000, return_info=True
    )
    assert stats.kstest(samples[:, 0], target_cdf).pvalue > 0.01
    # Unadjusted Langevin on this Gaussian target has the stationary variance
    # SIGMA^2 / (1 - step_size / (4 SIGMA^2)), about 2.6 % wider.
    expected_std = SIGMA / np.sqrt(1 - 0.05 / (4 * SIGMA**2))
    assert samples[:, 0].std() == pytest.approx(expected_std, rel=0.05)
    assert samples[:, 0].mean() == pytest.approx(MU, abs=0.04)
    # The energy, computed here from the closed-form logit, fell to its
    # stationary mean: E[|z|^2 / 2 - log ratio] under N(MU, SIGMA).
    z = samples[:, 0]
    assert info["mean_energy_end"] == pytest.approx(np.mean(z**2 / 2 - log_ratio(z)), abs=1e-3)
    assert info["mean_energy_start"] > info["mean_energy_end"] + 1.0


def test_no_steps_is_plain_sampling(gan):
    samples = latent_langevin_sampling(gan, 2000, seed=0, steps=0)
    assert stats.kstest(samples[:, 0], "norm").pvalue > 0.01
    assert stats.kstest(samples[:, 0], target_cdf).pvalue < 1e-20


def test_conditional_chains_follow_their_class():
    gan = toy_conditional_gan()
    labels = np.repeat([0, 1], 600)
    samples = latent_langevin_sampling(
        gan, 1200, seed=1, labels=labels, steps=120, step_size=0.05, batch_size=1200
    )
    for label in (0, 1):
        shifted = samples[labels == label, 0] - CLASS_OFFSET * label
        assert stats.kstest(shifted, target_cdf).pvalue > 0.01


def test_bad_options(gan):
    with pytest.raises(ValueError, match="step_size"):
        latent_langevin_sampling(gan, 4, step_size=0)
    with pytest.raises(ValueError, match="steps"):
        latent_langevin_sampling(gan, 4, steps=-1)
