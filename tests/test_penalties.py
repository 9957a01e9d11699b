"""Gradient penalties against independent float64 computations with a nonlinear critic."""

import keras
import numpy as np
import pytest
from keras import ops

from keras_gans import penalties
from tests.reference_critic import critic_numpy
from tests.reference_critic import gradient_penalty_numpy
from tests.reference_critic import squared_gradient_norm_numpy
from tests.reference_critic import tanh_critic
from tests.reference_critic import weights64

RNG = np.random.default_rng(0)
REAL = RNG.normal(size=(32, 3)).astype("float32")
FAKE = RNG.normal(1.0, 0.5, size=(32, 3)).astype("float32")


def value(x):
    return float(ops.convert_to_numpy(x))


@pytest.mark.parametrize("one_sided", [False, True])
@pytest.mark.parametrize("target", [1.0, 0.3])
def test_gradient_penalty_on_given_interpolates(one_sided, target):
    critic = tanh_critic(3, seed=1)
    alpha = RNG.uniform(size=32).astype("float32")
    got = penalties.gradient_penalty(
        lambda x: critic(x, training=True), REAL, FAKE, alpha=alpha, target=target, one_sided=one_sided
    )
    expected = gradient_penalty_numpy(weights64(critic), REAL, FAKE, alpha, target, one_sided)
    assert expected > 1e-3
    np.testing.assert_allclose(value(got), expected, rtol=1e-4)


def test_interpolation_weights_are_uniform_and_drawn_per_sample():
    """With D(x) = |x|^2 / 2 the input gradient at x_hat = a e1 is a e1, so the
    penalty with target t is the sample mean of (a - t)^2 (one-sided: of
    max(0, a - t)^2), whose expectations under a ~ U[0, 1] are known in closed
    form. A batch-wide alpha, or a normal one, misses them by far."""
    n = 40_000
    real = np.zeros((n, 2), "float32")
    real[:, 0] = 1.0
    fake = np.zeros((n, 2), "float32")

    def half_square(x):
        return 0.5 * ops.sum(ops.square(x), axis=1, keepdims=True)

    seed = keras.random.SeedGenerator(3)
    cases = [(0.5, False, 1 / 12), (0.0, False, 1 / 3), (1.0, False, 1 / 3), (0.9, True, 0.1**3 / 3)]
    for target, one_sided, expected in cases:
        got = value(
            penalties.gradient_penalty(half_square, real, fake, seed=seed, target=target, one_sided=one_sided)
        )
        np.testing.assert_allclose(got, expected, rtol=0.05, err_msg=f"target={target}")


def test_r1_and_r2_are_mean_squared_input_gradients():
    critic = tanh_critic(3, seed=2)
    fn = lambda x: critic(x, training=True)  # noqa: E731
    params = weights64(critic)
    np.testing.assert_allclose(
        value(penalties.r1_penalty(fn, REAL)), squared_gradient_norm_numpy(params, REAL), rtol=1e-4
    )
    np.testing.assert_allclose(
        value(penalties.r2_penalty(fn, FAKE)), squared_gradient_norm_numpy(params, FAKE), rtol=1e-4
    )


def test_dragan_penalty_matches_monte_carlo_with_independent_draws():
    """D(x) = |x|^2 / 2: the gradient at x~ = x + a c s u is x~ itself, so the
    penalty is the mean of (|x + a c s u| - 1)^2 with u ~ U[0, 1] per element and
    a ~ U[0, 1] per sample; estimated here with NumPy's own draws. For an int
    seed the two draws must not coincide."""
    n = 40_000
    rng = np.random.default_rng(5)
    real = np.where(rng.uniform(size=(n, 2)) < 0.5, -1.0, 1.0).astype("float32")  # std 1 exactly-ish
    scale = 0.5 * real.std()

    def half_square(x):
        return 0.5 * ops.sum(ops.square(x), axis=1, keepdims=True)

    u = rng.uniform(size=(n, 2))
    a = rng.uniform(size=(n, 1))
    expected = np.mean((np.linalg.norm(real + a * scale * u, axis=1) - 1.0) ** 2)
    for seed in (7, keras.random.SeedGenerator(7)):
        got = value(penalties.dragan_penalty(half_square, real, seed=seed, perturbation=0.5))
        np.testing.assert_allclose(got, expected, rtol=0.02)


def test_drift_penalty_is_the_mean_squared_logit():
    critic = tanh_critic(3, seed=4)
    logits = critic(REAL)
    expected = np.mean(critic_numpy(weights64(critic), REAL.astype("float64")) ** 2)
    np.testing.assert_allclose(value(penalties.drift_penalty(logits)), expected, rtol=1e-5)
