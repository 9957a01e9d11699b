"""Inception Score against a direct computation with scipy."""

import numpy as np
import pytest
import scipy.stats

from keras_gans.metrics import inception_score


def test_matches_scipy_kl_per_split():
    rng = np.random.default_rng(0)
    probabilities = rng.dirichlet(np.full(7, 0.3), size=90)
    scores = []
    for chunk in np.array_split(probabilities, 3):
        marginal = chunk.mean(axis=0)
        kl = [scipy.stats.entropy(p, marginal) for p in chunk]
        scores.append(np.exp(np.mean(kl)))
    mean, std = inception_score(probabilities, splits=3)
    assert mean == pytest.approx(np.mean(scores), rel=1e-6)
    assert std == pytest.approx(np.std(scores), rel=1e-6, abs=1e-12)


def test_extremes():
    confident_diverse = np.eye(10)[np.arange(200) % 10]
    assert inception_score(confident_diverse, splits=4) == pytest.approx((10.0, 0.0))
    uniform = np.full((50, 10), 0.1)
    assert inception_score(uniform, splits=5)[0] == pytest.approx(1.0)
    collapsed = np.eye(10)[np.zeros(50, int)]
    assert inception_score(collapsed, splits=5)[0] == pytest.approx(1.0)


def test_rejects_logits_and_bad_splits():
    with pytest.raises(ValueError, match="softmax"):
        inception_score(np.random.default_rng(0).normal(size=(20, 5)))
    with pytest.raises(ValueError, match="splits"):
        inception_score(np.full((5, 2), 0.5), splits=10)
