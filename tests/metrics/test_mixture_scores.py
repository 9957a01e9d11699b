"""Mixture scores against a direct per-sample computation."""

import math

import numpy as np
import pytest

from keras_gans.data import mixture
from keras_gans.data import mixture_modes
from keras_gans.metrics import mixture_scores


def direct_scores(samples, name):
    centers, std = mixture_modes(name)
    counts = [0] * len(centers)
    num_high_quality = 0
    for point in samples:
        distances = [math.dist(point, c) for c in centers]
        nearest = int(np.argmin(distances))
        if distances[nearest] <= 3 * std:
            num_high_quality += 1
            counts[nearest] += 1
    total = sum(counts)
    kl = sum(c / total * math.log(c / total * len(centers)) for c in counts if c)
    return sum(c > 0 for c in counts), num_high_quality / len(samples), kl


@pytest.mark.parametrize("name", ["ring", "grid"])
def test_matches_direct_computation(name):
    centers, std = mixture_modes(name)
    rng = np.random.default_rng(0)
    # Three modes, unevenly, with spread around 3 std, plus outliers.
    chosen = rng.choice(len(centers), 3, replace=False)
    labels = rng.choice(chosen, size=300, p=[0.6, 0.3, 0.1])
    samples = centers[labels] + 2.2 * std * rng.normal(size=(300, 2))
    samples = np.concatenate([samples, rng.uniform(-5, 5, size=(50, 2))])
    result = mixture_scores(samples, name)
    modes, high_quality, kl = direct_scores(samples, name)
    assert result["modes"] == modes
    assert result["high_quality"] == pytest.approx(high_quality)
    assert result["reverse_kl"] == pytest.approx(kl)
    assert 3 <= modes < len(centers) and 0.3 < high_quality < 1


def test_true_samples_cover_all_modes():
    result = mixture_scores(mixture("grid", 20000, seed=0), "grid")
    assert result["modes"] == 25
    # P(|N(0, s^2 I_2)| <= 3 s) = 1 - exp(-4.5) ~ 0.989
    assert result["high_quality"] == pytest.approx(1 - math.exp(-4.5), abs=0.005)
    assert result["reverse_kl"] < 0.01


def test_no_high_quality_sample_and_errors():
    result = mixture_scores(np.full((10, 2), 7.0), "ring")
    assert result == {"modes": 0, "high_quality": 0.0, "reverse_kl": float("inf")}
    with pytest.raises(ValueError, match=r"\(n, 2\)"):
        mixture_scores(np.zeros((5, 3)), "ring")
    with pytest.raises(ValueError, match="Known mixtures"):
        mixture_scores(np.zeros((5, 2)), "circle")
