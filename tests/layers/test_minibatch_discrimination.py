import keras
import numpy as np
import pytest

from keras_gans.layers import MinibatchDiscrimination

from testing import VECTORS
from testing import run_layer_checks
from testing import to_numpy


def numpy_minibatch_discrimination(x, kernel):
    m = np.einsum("na,abc->nbc", x.astype("float64"), kernel.astype("float64"))
    batch = len(x)
    features = np.zeros((batch, kernel.shape[1]))
    for i in range(batch):
        for j in range(batch):
            if i != j:
                features[i] += np.exp(-np.abs(m[i] - m[j]).sum(-1))
    return np.concatenate([x, features], axis=-1)


def test_matches_numpy():
    x = np.random.normal(size=(5, 6)).astype("float32")
    layer = MinibatchDiscrimination(num_kernels=4, kernel_dim=3)
    y = to_numpy(layer(x))
    assert y.shape == (5, 10)
    expected = numpy_minibatch_discrimination(x, to_numpy(layer.kernel))
    np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-6)
    # Identical samples see each other with closeness exp(0) = 1.
    twins = to_numpy(layer(np.repeat(x[:1], 5, axis=0)))
    np.testing.assert_allclose(twins[:, 6:], 4.0, rtol=1e-6)


def test_config_round_trip_and_invalid_inputs():
    layer = MinibatchDiscrimination(num_kernels=4, kernel_dim=3, name="mbd")
    x = np.random.normal(size=(5, 6)).astype("float32")
    y = to_numpy(layer(x))
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert (restored.num_kernels, restored.kernel_dim) == (4, 3)
    restored.set_weights(layer.get_weights())
    np.testing.assert_allclose(to_numpy(restored(x)), y, rtol=1e-6)
    with pytest.raises(ValueError, match="batch, features"):
        MinibatchDiscrimination(2, 2)(np.zeros((2, 3, 4), "float32"))
    with pytest.raises(ValueError, match="num_kernels"):
        MinibatchDiscrimination(0, 2)


def test_standard_layer_checks():
    run_layer_checks(
        MinibatchDiscrimination,
        dict(num_kernels=4, kernel_dim=3, kernel_initializer="he_normal"),
        VECTORS,
        expected_output_shape=(4, 10),
    )
