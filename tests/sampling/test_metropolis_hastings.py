"""MH-GAN: stationary distributions and acceptance rates against independent computations."""

import numpy as np
import pytest
from conftest import MAX_LOG_RATIO
from conftest import MU
from conftest import SIGMA
from conftest import log_ratio
from conftest import numeric_cdf
from conftest import target_cdf
from conftest import toy_gan
from scipy import integrate
from scipy import stats

from keras_gans.sampling import metropolis_hastings_sampling


def test_chains_reach_the_data_distribution_with_the_paper_acceptance_rule(gan):
    samples, info = metropolis_hastings_sampling(
        gan,
        3000,
        seed=0,
        chain_length=40,
        batch_size=3000,
        calibration=None,
        initial_state="generated",
        return_info=True,
    )
    assert stats.kstest(samples[:, 0], target_cdf).pvalue > 0.01
    # At stationarity (x ~ p_data), a proposal x' ~ p_g is accepted with
    # probability min(1, (1/D(x) - 1) / (1/D(x') - 1)), D = p_data / (p_data + p_g).
    rng = np.random.default_rng(1)
    x, proposal = MU + SIGMA * rng.standard_normal(200_000), rng.standard_normal(200_000)
    p_data, p_g = stats.norm(MU, SIGMA).pdf, stats.norm(0, 1).pdf
    d_x = p_data(x) / (p_data(x) + p_g(x))
    d_proposal = p_data(proposal) / (p_data(proposal) + p_g(proposal))
    expected = np.mean(np.minimum(1.0, (1 / d_x - 1) / (1 / d_proposal - 1)))
    assert info["acceptance_rate"] == pytest.approx(expected, abs=0.015)


def test_logistic_calibration_undoes_a_miscalibrated_discriminator():
    # logit = 3 log(p_data / p_g) + 1: overconfident, and biased towards "real".
    gan = toy_gan(logit_scale=3.0, logit_shift=1.0)
    held_out = (MU + SIGMA * np.random.default_rng(5).standard_normal((4000, 1))).astype("float32")
    calibrated, info = metropolis_hastings_sampling(
        gan, 3000, seed=0, chain_length=40, batch_size=3000, real_samples=held_out, return_info=True
    )
    # P(real | x) = sigmoid(log ratio) = sigmoid((logit - 1) / 3).
    assert info["scale"] == pytest.approx(1 / 3, abs=0.04)
    assert info["shift"] == pytest.approx(-1 / 3, abs=0.06)
    assert stats.kstest(calibrated[:, 0], target_cdf).pvalue > 0.01

    # Without calibration the chain targets p_g * (p_data / p_g)^3 instead.
    raw = metropolis_hastings_sampling(
        gan, 3000, seed=0, chain_length=40, batch_size=3000, calibration=None, initial_state="generated"
    )
    assert stats.kstest(raw[:, 0], target_cdf).pvalue < 1e-6
    sharp_cdf, _ = numeric_cdf(lambda x: stats.norm(0, 1).pdf(x) * np.exp(3 * log_ratio(x)))
    assert stats.kstest(raw[:, 0], sharp_cdf).pvalue > 0.01


def test_real_starts_are_never_returned(gan):
    # Every chain starts at the point of highest logit and makes one proposal,
    # accepted with probability exp(d(x') - d_max): the rest restart from a fake.
    start = np.full((1, 1), 2.0 / 3.0, "float32")
    assert log_ratio(2.0 / 3.0) == pytest.approx(MAX_LOG_RATIO)
    samples, info = metropolis_hastings_sampling(
        gan,
        4000,
        seed=0,
        chain_length=1,
        batch_size=4000,
        real_samples=start,
        calibration=None,
        return_info=True,
    )
    assert not np.any(samples == start[0, 0])
    stay = (
        1
        - integrate.quad(lambda x: stats.norm(0, 1).pdf(x) * np.exp(log_ratio(x) - MAX_LOG_RATIO), -10, 10)[0]
    )
    assert info["restarted_chains"] / 4000 == pytest.approx(stay, abs=0.03)
    # A chain that accepted holds a sample drawn in proportion to p_data.
    assert info["acceptance_rate"] == pytest.approx(1 - stay, abs=0.03)


def test_needs_real_samples_for_calibration_and_real_starts(gan):
    with pytest.raises(ValueError, match="held-out `real_samples`"):
        metropolis_hastings_sampling(gan, 10)
    with pytest.raises(ValueError, match="initial_state"):
        metropolis_hastings_sampling(gan, 10, calibration=None, initial_state="middle")
    with pytest.raises(ValueError, match="calibration"):
        metropolis_hastings_sampling(gan, 10, calibration="isotonic", real_samples=np.zeros((4, 1)))


def test_seeded_runs_repeat(gan):
    options = dict(chain_length=5, calibration=None, initial_state="generated")
    first = metropolis_hastings_sampling(gan, 30, seed=3, **options)
    np.testing.assert_array_equal(first, metropolis_hastings_sampling(gan, 30, seed=3, **options))
    assert metropolis_hastings_sampling(gan, 0, seed=3, **options).shape == (0, 1)
