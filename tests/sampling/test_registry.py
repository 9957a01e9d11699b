"""keras_gans.sampling.get / sample."""

import numpy as np
import pytest

from keras_gans import sampling


def test_get_names_and_callables():
    assert sampling.get("drs") is sampling.discriminator_rejection_sampling
    assert sampling.get("MH") is sampling.metropolis_hastings_sampling
    assert sampling.get("ddls") is sampling.latent_langevin_sampling
    assert sampling.get("truncation") is sampling.truncated_sampling

    def custom(model, n, seed=None, labels=None):
        return np.zeros((n, 1))

    assert sampling.get(custom) is custom
    with pytest.raises(ValueError, match="Received: sampler='rejection'"):
        sampling.get("rejection")


def test_sample_dispatches_with_seed_and_options(gan):
    direct = sampling.truncated_sampling(gan, 20, seed=4, threshold=0.5)
    np.testing.assert_array_equal(sampling.sample(gan, 20, "truncation", seed=4, threshold=0.5), direct)
    samples, info = sampling.sample(gan, 20, "drs", seed=4, return_info=True)
    assert samples.shape == (20, 1) and 0 < info["acceptance_rate"] <= 1
    with pytest.raises(ValueError, match="Received: n=-1"):
        sampling.sample(gan, -1, "drs")
