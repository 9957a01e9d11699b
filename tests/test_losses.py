"""Adversarial losses against hand computations on fixed logits."""

import keras
import numpy as np
import pytest

from keras_gans import losses

REAL = np.array([[2.0], [-1.0], [0.5], [30.0]], "float32")
FAKE = np.array([[-3.0], [0.25], [1.5], [-40.0]], "float32")


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x.astype("float64")))


def log_sigmoid(x):
    x = x.astype("float64")
    return -np.logaddexp(0.0, -x)


def log_one_minus_sigmoid(x):
    x = x.astype("float64")
    return -np.logaddexp(0.0, x)


def value(x):
    return float(keras.ops.convert_to_numpy(x))


HAND = {
    "minimax": (
        -np.mean(log_sigmoid(REAL)) - np.mean(log_one_minus_sigmoid(FAKE)),
        np.mean(log_one_minus_sigmoid(FAKE)),
    ),
    "non_saturating": (
        -np.mean(log_sigmoid(REAL)) - np.mean(log_one_minus_sigmoid(FAKE)),
        -np.mean(log_sigmoid(FAKE)),
    ),
    "least_squares": (
        0.5 * np.mean((REAL - 1.0) ** 2) + 0.5 * np.mean(FAKE**2),
        0.5 * np.mean((FAKE - 1.0) ** 2),
    ),
    "wasserstein": (np.mean(FAKE) - np.mean(REAL), -np.mean(FAKE)),
    "hinge": (
        np.mean(np.maximum(0, 1 - REAL)) + np.mean(np.maximum(0, 1 + FAKE)),
        -np.mean(FAKE),
    ),
}


@pytest.mark.parametrize("name", sorted(HAND))
def test_loss_matches_hand_computation(name):
    loss = losses.get(name)
    d_expected, g_expected = HAND[name]
    np.testing.assert_allclose(value(loss.discriminator_loss(REAL, FAKE)), d_expected, rtol=1e-5)
    np.testing.assert_allclose(value(loss.generator_loss(FAKE)), g_expected, rtol=1e-5)


def test_saturated_logits_stay_finite():
    # A confident discriminator must not produce inf/NaN through log(sigmoid).
    big = np.array([[1e4], [-1e4]], "float32")
    for name in ("minimax", "non_saturating"):
        loss = losses.get(name)
        assert np.isfinite(value(loss.discriminator_loss(big, -big)))
        assert np.isfinite(value(loss.generator_loss(big)))
        assert np.isfinite(value(loss.generator_loss(-big)))


def test_smoothed_and_per_sample_targets_reach_the_loss():
    loss = losses.get("non_saturating")
    smoothed = value(loss.discriminator_loss(REAL, FAKE, real_target=0.9))
    t = 0.9
    expected = np.mean(-(t * log_sigmoid(REAL) + (1 - t) * log_one_minus_sigmoid(REAL))) - np.mean(
        log_one_minus_sigmoid(FAKE)
    )
    np.testing.assert_allclose(smoothed, expected, rtol=1e-5)
    targets = np.array([[1.0], [0.0], [1.0], [0.0]], "float32")
    flipped = value(loss.discriminator_loss(REAL, FAKE, real_target=targets))
    expected = np.mean(
        -(targets * log_sigmoid(REAL) + (1 - targets) * log_one_minus_sigmoid(REAL))
    ) - np.mean(log_one_minus_sigmoid(FAKE))
    np.testing.assert_allclose(flipped, expected, rtol=1e-5)


def test_least_squares_targets():
    loss = losses.get("least_squares")
    got = value(loss.discriminator_loss(REAL, FAKE, real_target=0.9, fake_target=0.1))
    expected = 0.5 * np.mean((REAL - 0.9) ** 2) + 0.5 * np.mean((FAKE - 0.1) ** 2)
    np.testing.assert_allclose(got, expected, rtol=1e-5)


def test_critic_losses_reject_targets():
    for name in ("wasserstein", "hinge"):
        with pytest.raises(ValueError, match="no targets"):
            losses.get(name).discriminator_loss(REAL, FAKE, real_target=0.9)


def test_get_unknown_name_lists_the_known_ones():
    with pytest.raises(ValueError, match="hinge"):
        losses.get("nonsense")
    loss = losses.NonSaturatingLoss()
    assert losses.get(loss) is loss
    assert set(losses.names()) == set(HAND)


def test_float16_logits_give_float32_losses():
    for name in HAND:
        out = losses.get(name).discriminator_loss(REAL.astype("float16"), FAKE.astype("float16"))
        assert keras.backend.standardize_dtype(out.dtype) == "float32"
