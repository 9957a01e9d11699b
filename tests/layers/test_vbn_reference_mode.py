"""Virtual batch normalization in the paper's mode: the reference batch is
forwarded through the current network at every call."""

import keras
import numpy as np
from keras import ops

from keras_gans import layers
from keras_gans import models


def vbn_numpy(x, reference, gamma, beta, epsilon=1e-5):
    """Salimans et al. 3.4 on (batch, C) inputs: each example mixes the
    reference statistics (weight n / (n + 1)) with its own (1 / (n + 1))."""
    n = len(reference)
    mean = (n * reference.mean(0) + x) / (n + 1)
    mean_square = (n * (reference**2).mean(0) + x**2) / (n + 1)
    return gamma * (x - mean) / np.sqrt(mean_square - mean**2 + epsilon) + beta


def body(reference_size):
    inputs = keras.Input((3,))
    hidden = keras.layers.Dense(4, name="dense")(inputs)
    normalized = layers.VirtualBatchNormalization(reference_size=reference_size, name="vbn")(hidden)
    return keras.Model(inputs, normalized)


def test_reference_statistics_follow_the_current_weights():
    rng = np.random.default_rng(0)
    reference = rng.normal(size=(16, 3)).astype("float32")
    x = rng.normal(size=(5, 3)).astype("float32")
    network = body(16)
    model = layers.ReferenceBatchModel(network, reference)
    for scale in (1.0, 3.0):  # change the weights: the reference statistics must follow
        kernel = rng.normal(size=(3, 4)).astype("float32") * scale
        bias = rng.normal(size=4).astype("float32")
        network.get_layer("dense").set_weights([kernel, bias])
        got = ops.convert_to_numpy(model(x))
        expected = vbn_numpy(
            (x @ kernel + bias).astype("float64"), (reference @ kernel + bias).astype("float64"), 1.0, 0.0
        )
        np.testing.assert_allclose(got, expected, rtol=1e-4, atol=1e-5)
        assert got.shape == (5, 4)


def test_an_example_does_not_depend_on_the_rest_of_its_batch():
    rng = np.random.default_rng(1)
    model = layers.ReferenceBatchModel(body(8), rng.normal(size=(8, 3)).astype("float32"))
    x = rng.normal(size=(6, 3)).astype("float32")
    alone = ops.convert_to_numpy(model(x[:1]))
    together = ops.convert_to_numpy(model(x))[:1]
    np.testing.assert_allclose(alone, together, rtol=1e-5, atol=1e-6)


def test_a_gan_trains_saves_and_reloads_with_a_reference_batch_generator(tmp_path):
    rng = np.random.default_rng(2)
    inputs = keras.Input((3,))
    hidden = layers.VirtualBatchNormalization(reference_size=16)(keras.layers.Dense(8)(inputs))
    generator = layers.ReferenceBatchModel(
        keras.Model(inputs, keras.layers.Dense(2)(keras.layers.ReLU()(hidden))),
        rng.normal(size=(16, 3)).astype("float32"),
    )
    discriminator = keras.Sequential(
        [keras.Input((2,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(1)]
    )
    gan = models.GAN(generator, discriminator, latent_dim=3, seed=0)
    gan.compile()
    history = gan.fit(rng.normal(size=(64, 2)).astype("float32"), batch_size=16, epochs=1, verbose=0)
    assert all(np.isfinite(v).all() for v in history.history.values())
    path = str(tmp_path / "vbn.keras")
    gan.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.generate(4, seed=0), gan.generate(4, seed=0), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(
        ops.convert_to_numpy(loaded.generator.reference), ops.convert_to_numpy(generator.reference)
    )
