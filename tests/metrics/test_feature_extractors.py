"""Feature extractors: InceptionV3 (offline: random or local weights) and
the shipped Fashion-MNIST domain classifier."""

import numpy as np
import pytest

from keras_gans.data import load_numpy
from keras_gans.metrics import DomainFeatures
from keras_gans.metrics import InceptionFeatures
from keras_gans.metrics import RawFeatures
from keras_gans.metrics import get_extractor


def test_inception_features_gray_rgb_and_local_weights_file(tmp_path):
    extractor = InceptionFeatures(weights=None, image_size=75, batch_size=2)
    gray = np.random.default_rng(0).uniform(-1, 1, size=(2, 8, 8, 1)).astype("float32")
    features, probabilities = extractor.features_and_probabilities(gray)
    assert features.shape == (2, 2048) and probabilities.shape == (2, 1000)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    # Grayscale images are the RGB images with three equal channels.
    rgb_features = extractor(np.repeat(gray, 3, axis=-1))
    np.testing.assert_allclose(features, rgb_features, rtol=1e-4, atol=1e-5)

    path = tmp_path / "inception.weights.h5"
    extractor._network.save_weights(str(path))
    loaded = InceptionFeatures(weights=str(path), image_size=75)
    assert len(loaded._network.weights) == len(extractor._network.weights)
    for saved, restored in zip(extractor._network.weights, loaded._network.weights):
        np.testing.assert_array_equal(np.asarray(saved.numpy()), np.asarray(restored.numpy()))


def test_inception_bad_arguments(tmp_path):
    with pytest.raises(FileNotFoundError, match="inception_v3_weights"):
        InceptionFeatures(weights=str(tmp_path / "missing.h5"))
    with pytest.raises(ValueError, match="image_size >= 75"):
        InceptionFeatures(weights=None, image_size=32)
    with pytest.raises(ValueError, match="image_size=299"):
        InceptionFeatures(weights="imagenet", image_size=150)


def test_domain_classifier_classifies_fashion_mnist():
    images, labels = load_numpy("fashion_mnist", "test", with_labels=True, num_examples=500)
    extractor = DomainFeatures()
    features, probabilities = extractor.features_and_probabilities(images)
    assert features.shape == (500, 128) and features.dtype == np.float32
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    assert np.mean(probabilities.argmax(axis=1) == labels) > 0.85
    # (n, 28, 28) inputs are accepted; other shapes are refused clearly.
    np.testing.assert_allclose(extractor(images[:4, ..., 0]), features[:4], rtol=1e-4, atol=1e-5)
    with pytest.raises(ValueError, match="28x28 grayscale"):
        extractor(np.zeros((2, 32, 32, 1), "float32"))
    with pytest.raises(FileNotFoundError, match="train_domain_classifier.py"):
        DomainFeatures(weights="/nonexistent/model.weights.h5")


def test_raw_features_and_get_extractor():
    samples = np.arange(12, dtype="float32").reshape(3, 2, 2)
    np.testing.assert_array_equal(get_extractor("raw")(samples), samples.reshape(3, 4))
    assert isinstance(get_extractor("raw"), RawFeatures)
    with pytest.raises(ValueError, match="Known extractors: domain, inception, raw"):
        get_extractor("vgg")
