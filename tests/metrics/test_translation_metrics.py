"""Target-class fraction (with the shipped domain classifier) and cycle reconstruction error."""

import keras
import numpy as np
import pytest

from keras_gans.data import load_numpy
from keras_gans.metrics.feature_extractors import DomainFeatures
from keras_gans.metrics.translation import cycle_reconstruction_error
from keras_gans.metrics.translation import target_class_fraction

SNEAKER, ANKLE_BOOT = 7, 9


@pytest.fixture(scope="module")
def test_split():
    return load_numpy("fashion_mnist", "test", with_labels=True, num_examples=1000)


@pytest.fixture(scope="module")
def classifier():
    return DomainFeatures()


def test_real_images_of_a_class_are_assigned_to_it(test_split, classifier):
    images, labels = test_split
    sneakers, boots = images[labels == SNEAKER], images[labels == ANKLE_BOOT]
    # The shipped classifier has 89% test accuracy; on these two classes it is better.
    assert target_class_fraction(sneakers, SNEAKER, classifier) > 0.9
    assert target_class_fraction(boots, ANKLE_BOOT, classifier) > 0.9
    assert target_class_fraction(sneakers, ANKLE_BOOT, classifier) < 0.1
    # The fraction is the share of arg-max predictions, computed here from the logits.
    logits = classifier.classifier.predict(sneakers, verbose=0)
    expected = np.mean(np.argmax(logits, axis=-1) == ANKLE_BOOT)
    assert target_class_fraction(sneakers, ANKLE_BOOT, classifier) == pytest.approx(expected)
    # A half-and-half mix of boots and sneakers scores in between.
    mixed = np.concatenate([sneakers[:40], boots[:40]])
    fraction = target_class_fraction(mixed, ANKLE_BOOT, classifier)
    assert 0.4 < fraction < 0.6


def test_default_classifier_and_bad_class(test_split):
    images, labels = test_split
    boots = images[labels == ANKLE_BOOT][:20]
    assert target_class_fraction(boots, ANKLE_BOOT) > 0.8
    for target_class in [10, -1, 2.0, True]:
        with pytest.raises(ValueError, match="target_class"):
            target_class_fraction(boots, target_class)


def scaling_model(factor, name):
    inputs = keras.Input((8, 8, 1))
    return keras.Model(inputs, keras.layers.Rescaling(factor)(inputs), name=name)


def test_cycle_reconstruction_error_against_numpy():
    images = np.random.default_rng(0).uniform(-1, 1, (37, 8, 8, 1)).astype("float32")
    halve, double = scaling_model(0.5, "halve"), scaling_model(2.0, "double")
    assert cycle_reconstruction_error(images, halve, double, batch_size=5) == pytest.approx(0, abs=1e-7)
    identity = scaling_model(1.0, "identity")
    error = cycle_reconstruction_error(images, halve, identity, batch_size=10)
    assert error == pytest.approx(np.mean(np.abs(0.5 * images - images)), rel=1e-6)
    # Batch boundaries do not change the mean.
    assert cycle_reconstruction_error(images, halve, identity, batch_size=37) == pytest.approx(error)


def test_cycle_error_bad_input():
    halve = scaling_model(0.5, "halve")
    with pytest.raises(ValueError, match="images"):
        cycle_reconstruction_error(np.zeros((0, 8, 8, 1)), halve, halve)
    with pytest.raises(ValueError, match="batch_size"):
        cycle_reconstruction_error(np.zeros((2, 8, 8, 1)), halve, halve, batch_size=0)
    inputs = keras.Input((8, 8, 1))
    shrink = keras.Model(inputs, keras.layers.AveragePooling2D(2)(inputs))
    any_size = keras.Input((None, None, 1))
    identity = keras.Model(any_size, keras.layers.Rescaling(1.0)(any_size))
    with pytest.raises(ValueError, match="came back as"):
        cycle_reconstruction_error(np.zeros((2, 8, 8, 1)), shrink, identity)
