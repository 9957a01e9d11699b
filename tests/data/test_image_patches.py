"""Patches of colour images: from an array, and from scikit-image's sample photographs."""

import numpy as np
import pytest

from keras_gans.data.image_patches import image_patches
from keras_gans.data.image_patches import scikit_image_patches
from keras_gans.data.paired import super_resolution_pairs


def test_patches_are_scaled_slices_on_a_grid():
    image = np.random.default_rng(0).integers(0, 256, (10, 13, 3)).astype("uint8")
    patches = image_patches(image, 4)
    assert patches.shape == (2 * 3, 4, 4, 3) and patches.dtype == np.float32
    scaled = image.astype("float64") / 127.5 - 1
    np.testing.assert_allclose(patches[4], scaled[4:8, 4:8], atol=1e-6)  # row 1, column 1
    overlapping = image_patches(image, 4, stride=3)
    assert overlapping.shape == (3 * 4, 4, 4, 3)
    np.testing.assert_allclose(overlapping[5], scaled[3:7, 3:7], atol=1e-6)
    grey = image_patches(np.zeros((8, 8), "float32"), 8)
    assert grey.shape == (1, 8, 8, 1)
    assert image_patches(np.full((4, 4, 3), 255, "uint8"), 2).min() == 1.0
    with pytest.raises(ValueError, match=r"\[-1, 1\]"):
        image_patches(np.full((8, 8, 3), 200.0), 4)
    with pytest.raises(ValueError, match="patch_size"):
        image_patches(image, 11)
    with pytest.raises(ValueError, match="stride"):
        image_patches(image, 4, stride=0)


def test_astronaut_patches_split_by_columns():
    import skimage.data

    train = scikit_image_patches("astronaut", 32)
    test = scikit_image_patches("astronaut", 32, split="test")
    # 512x512: train from the left 384 columns, test from the right 128.
    assert train.shape == (16 * 12, 32, 32, 3) and test.shape == (16 * 4, 32, 32, 3)
    photo = skimage.data.astronaut().astype("float64") / 127.5 - 1
    np.testing.assert_allclose(test[0], photo[:32, 384:416], atol=1e-6)
    np.testing.assert_allclose(train[-1], photo[480:, 352:384], atol=1e-6)
    assert train.min() >= -1 and train.max() <= 1
    # A colour x4 super-resolution task.
    low, high = super_resolution_pairs(test, 4)
    assert low.shape == (64, 8, 8, 3) and high.shape == (64, 32, 32, 3)
    with pytest.raises(ValueError, match="Unknown scikit-image colour image"):
        scikit_image_patches("camera")
    with pytest.raises(ValueError, match="split"):
        scikit_image_patches(split="validation")
