"""Shared set-up of the model tests: a CI-sized Fashion-MNIST training check."""

import keras
import numpy as np
import pytest

from keras_gans import data
from keras_gans import metrics


@pytest.fixture(scope="session")
def fashion_mnist_check():
    """`check(gan, g_optimizer, d_optimizer)`: trains 120 steps and asserts learning.

    Real Fashion-MNIST (384 training images, batch 16, 5 epochs); domain FID of
    500 samples against 1,000 test images must fall below 0.8x that of uniform
    noise and 0.75x that of the untrained generator, and the mean sample must
    correlate with the mean garment. Returns `(noise, before, after)` FIDs.
    """
    images = data.load_numpy("fashion_mnist", num_examples=384)
    reference = data.load_numpy("fashion_mnist", split="test", num_examples=1000)
    extractor = metrics.DomainFeatures()
    reference_features = extractor(reference)

    def fid(samples):
        return float(metrics.fid_from_features(reference_features, extractor(samples)))

    noise_fid = fid(np.random.default_rng(0).uniform(-1, 1, (500, 28, 28, 1)).astype("float32"))

    def check(gan, g_optimizer, d_optimizer):
        gan.compile(g_optimizer=g_optimizer, d_optimizer=d_optimizer)
        before = fid(gan.generate(500, seed=1))
        history = gan.fit(images, batch_size=16, epochs=5, verbose=0)
        for name, values in history.history.items():
            assert np.all(np.isfinite(values)), name
        samples = gan.generate(500, seed=1)
        after = fid(samples)
        print(
            f"\n{keras.backend.backend()} {type(gan).__name__} domain FID: noise {noise_fid:.1f}, "
            f"before {before:.1f}, after {after:.1f}"
        )
        assert after < 0.8 * noise_fid and after < 0.75 * before
        # The average sample looks like the average garment, not like flat noise.
        correlation = np.corrcoef(samples.mean(0).ravel(), images.mean(0).ravel())[0, 1]
        assert correlation > 0.5
        return noise_fid, before, after

    return check
