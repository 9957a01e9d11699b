import keras
import numpy as np
import pytest

from keras_gans.layers import InstanceNoise

from testing import VECTORS
from testing import run_layer_checks
from testing import to_numpy


def expected_stddev(step, stddev, decay_steps, final_stddev):
    return stddev + (final_stddev - stddev) * min(step / decay_steps, 1.0)


def test_training_noise_inference_identity_and_decay():
    x = np.full((100, 100), 3.0, "float32")
    layer = InstanceNoise(stddev=0.2, decay_steps=4, final_stddev=0.05, seed=7)
    np.testing.assert_array_equal(to_numpy(layer(x)), x)  # inference: identity
    for step in range(6):
        assert int(to_numpy(layer.step)) == step
        noise = to_numpy(layer(x, training=True)) - x
        std = expected_stddev(step, 0.2, 4, 0.05)
        assert abs(noise.std() - std) < 0.03 * std
        assert abs(noise.mean()) < 0.05 * std
    np.testing.assert_array_equal(to_numpy(layer(x, training=False)), x)
    assert int(to_numpy(layer.step)) == 6  # inference does not advance the step

    # Without decay_steps the standard deviation stays constant.
    layer = InstanceNoise(stddev=0.5)
    for _ in range(2):
        noise = to_numpy(layer(x, training=True)) - x
        assert abs(noise.std() - 0.5) < 0.015
    np.testing.assert_allclose(float(to_numpy(layer.current_stddev())), 0.5)


def test_fit_save_and_invalid_arguments(tmp_path):
    x = np.random.normal(size=(24, 3)).astype("float32")
    y = np.random.normal(size=(24, 1)).astype("float32")
    noise = InstanceNoise(stddev=0.3, decay_steps=10, final_stddev=0.1, name="noise")
    model = keras.Sequential([keras.Input((3,)), noise, keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert int(to_numpy(noise.step)) == 6  # 3 batches x 2 epochs
    np.testing.assert_allclose(
        float(to_numpy(noise.current_stddev())),
        expected_stddev(6, 0.3, 10, 0.1),
        rtol=1e-6,
    )
    predicted = to_numpy(model.predict(x, verbose=0))
    dense = model.layers[1]
    np.testing.assert_allclose(
        predicted,
        x @ to_numpy(dense.kernel) + to_numpy(dense.bias),
        rtol=1e-5,
        atol=1e-6,
    )
    path = str(tmp_path / "noise.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    assert int(to_numpy(loaded.layers[0].step)) == 6
    assert loaded.layers[0].get_config() == noise.get_config()
    with pytest.raises(ValueError, match="non-negative"):
        InstanceNoise(stddev=-0.1)
    with pytest.raises(ValueError, match="decay_steps"):
        InstanceNoise(decay_steps=0)


def test_standard_layer_checks():
    run_layer_checks(
        InstanceNoise,
        dict(stddev=0.2, decay_steps=10, final_stddev=0.05, seed=3),
        VECTORS,
        expected_output_shape=(4, 6),
    )
