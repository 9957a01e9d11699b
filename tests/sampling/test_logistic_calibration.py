"""Platt calibration against SciPy's optimizer and a known logistic model."""

import numpy as np
import pytest
from scipy import optimize

from keras_gans.sampling import logistic_calibration


def logits_from_a_logistic_model(scale, shift, n, seed):
    """Logits d, labels drawn with P(real | d) = sigmoid(scale d + shift)."""
    rng = np.random.default_rng(seed)
    logits = rng.normal(0.0, 2.0, n)
    real = rng.random(n) < 1 / (1 + np.exp(-(scale * logits + shift)))
    return logits[real], logits[~real]


def platt_loss(params, real, fake):
    t_real = (real.size + 1) / (real.size + 2)
    t_fake = 1 / (fake.size + 2)
    z_real, z_fake = params[0] * real + params[1], params[0] * fake + params[1]
    loss = np.sum(t_real * np.log1p(np.exp(-z_real)) + (1 - t_real) * np.log1p(np.exp(z_real)))
    loss += np.sum(t_fake * np.log1p(np.exp(-z_fake)) + (1 - t_fake) * np.log1p(np.exp(z_fake)))
    return loss / (real.size + fake.size)


def test_matches_scipy_on_the_platt_objective():
    real, fake = logits_from_a_logistic_model(0.4, -0.3, 5000, seed=0)
    expected = optimize.minimize(
        platt_loss,
        [1.0, 0.0],
        args=(real, fake),
        method="Nelder-Mead",
        options={"xatol": 1e-9, "fatol": 1e-12, "maxiter": 5000},
    ).x
    np.testing.assert_allclose(logistic_calibration(real, fake), expected, atol=1e-4)


def test_recovers_the_generating_scale_and_shift():
    real, fake = logits_from_a_logistic_model(0.4, -0.3, 40_000, seed=1)
    scale, shift = logistic_calibration(real, fake)
    assert scale == pytest.approx(0.4, abs=0.03)
    assert shift == pytest.approx(-0.3, abs=0.05)


def test_separable_logits_give_a_finite_fit():
    scale, shift = logistic_calibration(np.array([2.0, 3.0, 4.0]), np.array([-3.0, -2.0]))
    assert np.isfinite(scale) and np.isfinite(shift) and scale > 0


def test_bad_input():
    with pytest.raises(ValueError, match="real_logits"):
        logistic_calibration([], [1.0])
    with pytest.raises(ValueError, match="fake_logits"):
        logistic_calibration([1.0], [np.nan])
