import keras
import numpy as np
import pytest

from keras_gans.layers import VirtualBatchNormalization

from testing import IMAGES
from testing import run_layer_checks
from testing import to_numpy


def numpy_vbn(x, reference, gamma, beta, epsilon):
    """Per example: statistics of the reference batch plus that example."""
    x = x.astype("float64")
    reference = reference.astype("float64")
    n = len(reference)
    out = np.empty_like(x)
    for i, example in enumerate(x):
        # The reference's values and the example's values, weighted n : 1.
        ref_values = reference.reshape(-1, x.shape[-1])
        own_values = example.reshape(-1, x.shape[-1])
        mean = (n * ref_values.mean(0) + own_values.mean(0)) / (n + 1)
        mean_square = (n * (ref_values**2).mean(0) + (own_values**2).mean(0)) / (n + 1)
        variance = mean_square - mean**2
        out[i] = gamma * (example - mean) / np.sqrt(variance + epsilon) + beta
    return out


def test_matches_numpy():
    for shape in [(6,), (3, 2, 4)]:
        reference = (2.0 + 3.0 * np.random.normal(size=(10,) + shape)).astype("float32")
        x = np.random.normal(size=(4,) + shape).astype("float32")
        layer = VirtualBatchNormalization(epsilon=1e-3)
        layer.set_reference(reference)
        assert float(to_numpy(layer.stored_reference_size)) == 10.0
        gamma = np.random.uniform(0.5, 2.0, size=shape[-1]).astype("float32")
        beta = np.random.normal(size=shape[-1]).astype("float32")
        layer.gamma.assign(gamma)
        layer.beta.assign(beta)
        y = to_numpy(layer(x))
        expected = numpy_vbn(x, reference, gamma, beta, 1e-3)
        np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-4)
        # An example's output does not depend on the rest of its minibatch.
        np.testing.assert_allclose(to_numpy(layer(x[:1])), y[:1], rtol=1e-5, atol=1e-5)

    # Before any reference is set, each example uses its own statistics.
    x = np.random.normal(size=(2, 3, 3, 4)).astype("float32")
    y = to_numpy(VirtualBatchNormalization()(x))
    mean = x.mean(axis=(1, 2), keepdims=True)
    expected = (x - mean) / np.sqrt(x.var(axis=(1, 2), keepdims=True) + 1e-5)
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-4)


def test_fit_save_config_and_invalid_reference(tmp_path):
    reference = np.random.normal(size=(16, 5)).astype("float32") * 3.0
    x = np.random.normal(size=(32, 5)).astype("float32")
    y = np.random.normal(size=(32, 1)).astype("float32")
    vbn = VirtualBatchNormalization(name="vbn")
    model = keras.Sequential([keras.Input((5,)), vbn, keras.layers.Dense(1)])
    vbn.set_reference(reference)
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse")
    model.fit(x, y, batch_size=8, epochs=2, verbose=0)
    assert not np.allclose(to_numpy(vbn.gamma), 1.0)  # trained
    np.testing.assert_allclose(to_numpy(vbn.reference_mean), reference.mean(0), rtol=1e-5)
    path = str(tmp_path / "vbn.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(
        to_numpy(loaded.layers[0].reference_mean_square),
        (reference**2).mean(0),
        rtol=1e-5,
    )
    np.testing.assert_allclose(
        to_numpy(loaded.predict(x, verbose=0)),
        to_numpy(model.predict(x, verbose=0)),
        rtol=1e-5,
    )
    config = vbn.get_config()
    restored = VirtualBatchNormalization.from_config(config)
    assert restored.epsilon == 1e-5 and restored.name == "vbn"
    with pytest.raises(ValueError, match="reference batch"):
        vbn.set_reference(np.zeros((3, 4), "float32"))
    with pytest.raises(ValueError, match="epsilon"):
        VirtualBatchNormalization(epsilon=0.0)


def test_standard_layer_checks():
    run_layer_checks(
        VirtualBatchNormalization,
        dict(epsilon=1e-5, gamma_initializer="ones", beta_initializer="zeros"),
        IMAGES,
        expected_output_shape=(4, 8, 8, 3),
        prepare=lambda layer: layer.set_reference(
            np.random.default_rng(1).normal(size=(16, 8, 8, 3)).astype("float32")
        ),
    )
