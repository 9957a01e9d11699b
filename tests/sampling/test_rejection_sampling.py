"""Discriminator rejection sampling against closed-form accepted densities."""

import numpy as np
import pytest
from conftest import CLASS_OFFSET
from conftest import MAX_LOG_RATIO
from conftest import log_ratio
from conftest import numeric_cdf
from conftest import target_cdf
from conftest import toy_conditional_gan
from scipy import integrate
from scipy import stats

from keras_gans.models import GAN
from keras_gans.networks import mlp_discriminator
from keras_gans.networks import mlp_generator
from keras_gans.sampling import discriminator_rejection_sampling


def accepted_density(gamma, epsilon):
    """p_g(x) * sigmoid(F(x) - gamma), unnormalised, with the exact D*_max."""

    def density(x):
        r = np.exp(log_ratio(x) - MAX_LOG_RATIO)
        accept = r / (r + np.exp(gamma) * (1.0 - r * np.exp(-epsilon)))
        return stats.norm(0, 1).pdf(x) * accept

    return density


def test_accepts_with_the_density_ratio_and_recovers_the_data_distribution(gan):
    samples, info = discriminator_rejection_sampling(gan, 3000, seed=0, return_info=True)
    assert samples.shape == (3000, 1) and samples.dtype == np.float32
    assert stats.kstest(samples[:, 0], target_cdf).pvalue > 0.01
    # The generator alone is far from the target: the test has power.
    plain = np.random.default_rng(0).standard_normal(3000)
    assert stats.kstest(plain, target_cdf).pvalue < 1e-20
    # Acceptance rate of exact rejection sampling: 1 / M = exp(-max log ratio).
    assert info["acceptance_rate"] == pytest.approx(np.exp(-MAX_LOG_RATIO), abs=0.02)
    assert info["max_logit"] == pytest.approx(MAX_LOG_RATIO, abs=0.01)


def test_gamma_shift_matches_the_shifted_acceptance_rule(gan):
    gamma, epsilon = 2.0, 1e-6
    cdf, mass = numeric_cdf(accepted_density(gamma, epsilon))
    assert mass == pytest.approx(integrate.quad(accepted_density(gamma, epsilon), -10, 10)[0])
    samples, info = discriminator_rejection_sampling(
        gan, 3000, seed=1, gamma=gamma, epsilon=epsilon, return_info=True
    )
    assert stats.kstest(samples[:, 0], cdf).pvalue > 0.01
    assert stats.kstest(samples[:, 0], target_cdf).pvalue < 1e-6  # sharper than the data
    assert samples[:, 0].std() < 0.85 * 0.5
    # The expected acceptance probability is the accepted density's mass.
    assert info["acceptance_rate"] == pytest.approx(mass, rel=0.08)


def test_max_logit_is_raised_when_a_proposal_exceeds_it(gan):
    # One burn-in sample underestimates D*_max; the first proposals fix it.
    samples, info = discriminator_rejection_sampling(gan, 3000, seed=2, burn_in=1, return_info=True)
    assert info["max_logit"] == pytest.approx(MAX_LOG_RATIO, abs=0.01)
    assert stats.kstest(samples[:, 0], target_cdf).pvalue > 0.01


def test_conditional_samples_keep_their_labels():
    gan = toy_conditional_gan()
    labels = np.arange(2000) % 2
    samples = discriminator_rejection_sampling(gan, 2000, seed=3, labels=labels)
    for label in (0, 1):
        shifted = samples[labels == label, 0] - CLASS_OFFSET * label
        assert stats.kstest(shifted, target_cdf).pvalue > 0.01


def test_seeded_runs_repeat(gan):
    first = discriminator_rejection_sampling(gan, 50, seed=7)
    np.testing.assert_array_equal(first, discriminator_rejection_sampling(gan, 50, seed=7))
    assert not np.array_equal(first, discriminator_rejection_sampling(gan, 50, seed=8))
    assert discriminator_rejection_sampling(gan, 0, seed=7).shape == (0, 1)


def test_gives_up_with_a_clear_error_and_rejects_bad_options(gan):
    with pytest.raises(RuntimeError, match="acceptance rate is too low"):
        discriminator_rejection_sampling(gan, 10, seed=0, gamma=50.0, max_proposals=500)
    with pytest.raises(ValueError, match="gamma_percentile"):
        discriminator_rejection_sampling(gan, 10, gamma_percentile=120)
    with pytest.raises(ValueError, match="packs of 2"):
        packed = GAN(mlp_generator(1, 1, (4,)), mlp_discriminator(2, (4,)), latent_dim=1, packing=2)
        discriminator_rejection_sampling(packed, 10)
    with pytest.raises(ValueError, match="burn_in"):
        discriminator_rejection_sampling(gan, 10, burn_in=0)


def test_gamma_percentile_sets_gamma_from_the_batch(gan):
    # gamma is the median of F over each proposal batch; the expected
    # acceptance is E[sigmoid(F - median F)] under p_g, here by Monte Carlo.
    x = np.random.default_rng(0).standard_normal(200_000)
    r = np.exp(log_ratio(x) - MAX_LOG_RATIO)
    f = np.log(r) - np.log1p(-r * np.exp(-1e-6))
    expected = np.mean(1 / (1 + np.exp(-(f - np.median(f)))))
    samples, info = discriminator_rejection_sampling(gan, 3000, seed=4, gamma_percentile=50, return_info=True)
    assert info["acceptance_rate"] == pytest.approx(expected, abs=0.03)
    assert expected > np.exp(-MAX_LOG_RATIO) + 0.04  # accepts more than exact DRS
    # ... so its samples lie between the generator's and the data's.
    assert 0.5 < samples[:, 0].std() < 0.95
