import keras
import numpy as np
import pytest

from keras_gans.layers import PixelNormalization

from testing import IMAGES
from testing import run_layer_checks
from testing import to_numpy


def numpy_pixel_norm(x, epsilon, axis):
    x = x.astype("float64")
    return x / np.sqrt(np.mean(x**2, axis=axis, keepdims=True) + epsilon)


def test_matches_numpy_and_config_round_trip():
    x = np.random.normal(size=(2, 3, 3, 5)).astype("float32") * 4.0
    y = to_numpy(PixelNormalization()(x))
    np.testing.assert_allclose(y, numpy_pixel_norm(x, 1e-8, -1), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(np.mean(y**2, axis=-1), 1.0, rtol=1e-5)

    layer = PixelNormalization(epsilon=0.5, axis=1)
    y = to_numpy(layer(x))
    np.testing.assert_allclose(y, numpy_pixel_norm(x, 0.5, 1), rtol=1e-5, atol=1e-6)
    restored = PixelNormalization.from_config(layer.get_config())
    assert (restored.epsilon, restored.axis) == (0.5, 1)
    np.testing.assert_allclose(to_numpy(restored(x)), y, rtol=1e-6)

    with pytest.raises(ValueError, match="epsilon"):
        PixelNormalization(epsilon=-1.0)
    with pytest.raises(ValueError, match="out of range"):
        PixelNormalization(axis=3)(np.zeros((2, 3), "float32"))


def test_mixed_precision_output_dtype():
    keras.mixed_precision.set_global_policy("mixed_float16")
    # Squares of these overflow float16; the statistic is taken in float32.
    x = np.random.normal(size=(2, 6)).astype("float32") * 300.0
    y = PixelNormalization()(x)
    assert keras.backend.standardize_dtype(y.dtype) == "float16"
    expected = numpy_pixel_norm(x, 1e-8, -1)
    np.testing.assert_allclose(to_numpy(y).astype("float32"), expected, rtol=2e-3, atol=2e-3)


def test_standard_layer_checks():
    run_layer_checks(
        PixelNormalization,
        dict(epsilon=1e-8, axis=-1),
        IMAGES,
        expected_output_shape=(4, 8, 8, 3),
    )
