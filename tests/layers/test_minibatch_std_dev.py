import keras
import numpy as np
import pytest

from keras_gans.layers import MinibatchStdDev

from testing import IMAGES
from testing import run_layer_checks
from testing import to_numpy


def numpy_minibatch_std_dev(x, group_size, num_features, epsilon=1e-8):
    """Loop version: sample n is in group n % (N // G); features split in slices."""
    batch, height, width, channels = x.shape
    group_size = min(group_size, batch)
    num_groups = batch // group_size
    slice_width = channels // num_features
    out = np.zeros((batch, height, width, num_features))
    for n in range(batch):
        members = x[n % num_groups :: num_groups].astype("float64")
        std = np.sqrt(members.var(axis=0) + epsilon)  # (H, W, C)
        for k in range(num_features):
            out[n, :, :, k] = std[:, :, k * slice_width : (k + 1) * slice_width].mean()
    return np.concatenate([x, out], axis=-1)


def test_matches_numpy():
    # (batch, group_size, num_features): 3 < group_size uses the whole batch.
    for batch, group_size, num_features in [(8, 4, 1), (6, 2, 2), (3, 4, 1)]:
        x = np.random.normal(size=(batch, 3, 2, 4)).astype("float32")
        layer = MinibatchStdDev(group_size=group_size, num_features=num_features)
        y = to_numpy(layer(x))
        assert y.shape == (batch, 3, 2, 4 + num_features)
        expected = numpy_minibatch_std_dev(x, group_size, num_features)
        np.testing.assert_allclose(y, expected, rtol=1e-5, atol=1e-6)


def test_in_fit_with_partial_last_batch():
    x = np.random.normal(size=(20, 4, 4, 2)).astype("float32")
    y = np.random.normal(size=(20, 1)).astype("float32")
    model = keras.Sequential(
        [
            keras.Input((4, 4, 2)),
            MinibatchStdDev(group_size=4),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(1),
        ]
    )
    model.compile(optimizer="sgd", loss="mse")
    # Batches of 8, 8 and 4: the last one is smaller but still divisible.
    history = model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    features = keras.Model(model.inputs, model.layers[0].output)
    np.testing.assert_allclose(
        to_numpy(features.predict(x, batch_size=20, verbose=0)),
        numpy_minibatch_std_dev(x, 4, 1),
        rtol=1e-5,
        atol=1e-6,
    )


def test_config_round_trip_and_invalid_inputs():
    layer = MinibatchStdDev(group_size=2, num_features=2, epsilon=1e-6)
    restored = MinibatchStdDev.from_config(layer.get_config())
    assert (restored.group_size, restored.num_features, restored.epsilon) == (
        2,
        2,
        1e-6,
    )
    x = np.random.normal(size=(6, 3, 2, 4)).astype("float32")
    np.testing.assert_allclose(to_numpy(restored(x)), to_numpy(layer(x)), rtol=1e-6)
    with pytest.raises(ValueError, match="divisible by the group size"):
        MinibatchStdDev(group_size=4)(np.zeros((6, 2, 2, 3), "float32"))
    with pytest.raises(ValueError, match="divisible by `num_features`"):
        MinibatchStdDev(num_features=2)(np.zeros((4, 2, 2, 3), "float32"))
    with pytest.raises(ValueError, match="group_size"):
        MinibatchStdDev(group_size=0)


def test_standard_layer_checks():
    run_layer_checks(
        MinibatchStdDev,
        dict(group_size=2, num_features=1, epsilon=1e-8),
        IMAGES,
        expected_output_shape=(4, 8, 8, 4),
    )
