import math

import keras
import numpy as np
import pytest

from keras_gans.layers import EqualizedDense

from testing import VECTORS
from testing import run_layer_checks
from testing import to_numpy


def test_runtime_scale_matches_numpy():
    x = np.random.normal(size=(4, 50)).astype("float32")
    layer = EqualizedDense(300, bias_initializer="ones", activation="relu")
    y = to_numpy(layer(x))
    kernel = to_numpy(layer.kernel)
    # Stored weights are N(0, 1); the He scale is applied at runtime.
    assert abs(kernel.std() - 1.0) < 0.05 and abs(kernel.mean()) < 0.05
    expected = np.maximum(x @ (kernel * math.sqrt(2.0) / math.sqrt(50)) + 1.0, 0.0)
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-5)

    # lr_multiplier: N(0, 1 / lr_multiplier ** 2) init, scaled kernel and bias.
    x = np.random.normal(size=(3, 2, 40)).astype("float32")
    layer = EqualizedDense(200, gain=1.0, lr_multiplier=0.01, bias_initializer="ones")
    y = to_numpy(layer(x))
    kernel = to_numpy(layer.kernel)
    assert abs(kernel.std() - 100.0) < 5.0
    expected = x @ (kernel * 0.01 / math.sqrt(40)) + 0.01
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-4)
    assert y.shape == (3, 2, 200)


def test_fit_save_and_config(tmp_path):
    x = np.random.normal(size=(32, 8)).astype("float32")
    y = x[:, :1] * 2.0
    model = keras.Sequential(
        [
            keras.Input((8,)),
            EqualizedDense(16, activation="leaky_relu"),
            EqualizedDense(1, gain=1.0),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss="mse")
    history = model.fit(x, y, batch_size=8, epochs=5, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    config = model.layers[0].get_config()
    assert config["units"] == 16 and config["gain"] == math.sqrt(2.0)
    restored = EqualizedDense.from_config(config)
    assert restored.lr_multiplier == 1.0 and restored.activation is not None
    path = str(tmp_path / "equalized.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(
        to_numpy(loaded.predict(x, verbose=0)),
        to_numpy(model.predict(x, verbose=0)),
        rtol=1e-6,
    )
    with pytest.raises(ValueError, match="units"):
        EqualizedDense(0)
    with pytest.raises(ValueError, match="lr_multiplier"):
        EqualizedDense(2, lr_multiplier=0.0)


def test_standard_layer_checks():
    run_layer_checks(
        EqualizedDense,
        dict(
            units=7,
            gain=1.0,
            lr_multiplier=0.1,
            use_bias=True,
            bias_initializer="zeros",
            activation="leaky_relu",
        ),
        VECTORS,
        expected_output_shape=(4, 7),
    )
