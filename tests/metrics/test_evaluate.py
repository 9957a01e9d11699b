"""evaluate_generator and friends, with a real (untrained) GAN on 2D data."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gans.data import mixture
from keras_gans.metrics import FeatureSet
from keras_gans.metrics import density_coverage
from keras_gans.metrics import evaluate_generator
from keras_gans.metrics import extract_features
from keras_gans.metrics import fid_from_features
from keras_gans.metrics import kid_from_features
from keras_gans.metrics import precision_recall
from keras_gans.models import GAN
from keras_gans.networks import mlp_discriminator
from keras_gans.networks import mlp_generator


@pytest.fixture
def ring_gan():
    return GAN(
        generator=mlp_generator(4, 2, (16,)),
        discriminator=mlp_discriminator(2, (16,)),
        latent_dim=4,
    )


def test_evaluate_generator_matches_direct_metrics(ring_gan):
    real = mixture("ring", 300, seed=0)
    results = evaluate_generator(
        ring_gan,
        real,
        extractor="raw",
        num_samples=300,
        batch_size=300,
        metrics=("fid", "kid", "precision_recall", "density_coverage"),
        kid_subset_size=100,
        kid_num_subsets=10,
        seed=5,
    )
    fake = ring_gan.generate(300, seed=5)  # one batch: seed + 0
    assert results["fid"] == pytest.approx(fid_from_features(real, fake), rel=1e-6)
    kid, kid_std = kid_from_features(real, fake, num_subsets=10, subset_size=100, seed=5)
    assert results["kid"] == pytest.approx(kid) and results["kid_std"] == pytest.approx(kid_std)
    assert {k: results[k] for k in ("precision", "recall")} == pytest.approx(
        precision_recall(real, fake, k=3)
    )
    assert {k: results[k] for k in ("density", "coverage")} == pytest.approx(
        density_coverage(real, fake, k=5)
    )
    assert results["fid"] > 0.01  # an untrained generator is far from the ring


def test_real_data_as_dataset_subset_or_feature_set(ring_gan):
    real = mixture("grid", 400, seed=1)
    dataset = tf.data.Dataset.from_tensor_slices(real).batch(64)
    from_dataset = extract_features(dataset, "raw", num_samples=200)
    np.testing.assert_array_equal(from_dataset.features, real[:200])
    from_array = extract_features(real, "raw", num_samples=200, seed=0)
    # A random subset of distinct rows of the array, in their original order.
    rows = [int(np.flatnonzero((real == f).all(axis=1))[0]) for f in from_array.features]
    assert from_array.count == 200 and len(set(rows)) == 200 and rows == sorted(rows)
    assert rows != list(range(200))
    # A precomputed FeatureSet is used as is; generated batches use seed + i.
    results = evaluate_generator(
        ring_gan, from_dataset, extractor="raw", num_samples=200, batch_size=100, metrics="fid", seed=0
    )
    fake = np.concatenate([ring_gan.generate(100, seed=0), ring_gan.generate(100, seed=1)])
    assert results == {"fid": pytest.approx(fid_from_features(real[:200], fake), rel=1e-6)}
    assert isinstance(from_dataset, FeatureSet)


def test_evaluate_generator_errors(ring_gan):
    with pytest.raises(ValueError, match="Known metrics"):
        evaluate_generator(ring_gan, mixture("ring", 10), extractor="raw", metrics=("fjd",))
    with pytest.raises(ValueError, match="class probabilities"):
        evaluate_generator(
            ring_gan, mixture("ring", 10), extractor="raw", num_samples=10, metrics=("inception_score",)
        )
