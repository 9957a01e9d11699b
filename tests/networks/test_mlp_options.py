"""The MLP builders' options for the guides' tips: spectral norm, minibatch discrimination, VBN."""

import json

import keras
import numpy as np
import pytest

from keras_gans.layers import MinibatchDiscrimination
from keras_gans.layers import SpectralNormalization
from keras_gans.layers.reference_batch_model import ReferenceBatchModel
from keras_gans.networks import mlp_discriminator
from keras_gans.networks import mlp_generator


def np_leaky_relu(x):
    return np.where(x > 0, x, 0.2 * x)


def test_defaults_build_the_original_layout():
    # The options are off by default: same layers, same config as before they existed.
    discriminator = mlp_discriminator(input_dim=2, hidden_units=(5, 5))
    assert [layer.name for layer in discriminator.layers] == ["samples", "hidden_1", "hidden_2", "logits"]
    assert all(type(layer) is keras.layers.Dense for layer in discriminator.layers[1:])
    generator = mlp_generator(latent_dim=3, output_dim=2, hidden_units=(5,))
    assert not isinstance(generator, ReferenceBatchModel)
    assert [layer.name for layer in generator.layers] == ["z", "hidden_1", "output"]
    config = json.dumps(discriminator.get_config())
    assert "SpectralNormalization" not in config and "Activation" not in config


def test_spectrally_normalized_discriminator_matches_numpy():
    discriminator = mlp_discriminator(input_dim=2, hidden_units=(6, 5), spectral_normalization=True)
    names = [layer.name for layer in discriminator.layers]
    assert names == ["samples", "hidden_1", "activation_1", "hidden_2", "activation_2", "logits"]
    wrapped = [layer for layer in discriminator.layers if isinstance(layer, SpectralNormalization)]
    assert len(wrapped) == 3
    points = np.random.default_rng(0).normal(size=(8, 2)).astype("float32")
    for _ in range(60):  # power iterations converge to the top singular value
        discriminator(points, training=True)
    x = points.astype("float64")
    for index, layer in enumerate(wrapped):
        kernel = np.asarray(keras.ops.convert_to_numpy(layer.layer.kernel), "float64")
        bias = np.asarray(keras.ops.convert_to_numpy(layer.layer.bias), "float64")
        sigma = np.linalg.svd(kernel, compute_uv=False)[0]
        x = x @ (kernel / sigma) + bias
        if index < len(wrapped) - 1:
            x = np_leaky_relu(x)
    actual = keras.ops.convert_to_numpy(discriminator(points, training=False))
    assert actual.dtype == np.float32
    np.testing.assert_allclose(actual, x, rtol=1e-4, atol=1e-5)


def test_minibatch_discrimination_makes_logits_depend_on_the_batch():
    discriminator = mlp_discriminator(input_dim=2, hidden_units=(8,), minibatch_discrimination=(4, 3))
    layer = discriminator.get_layer("minibatch_discrimination")
    assert isinstance(layer, MinibatchDiscrimination)
    assert (layer.num_kernels, layer.kernel_dim) == (4, 3)
    assert discriminator.get_layer("logits").kernel.shape == (8 + 4, 1)
    points = np.random.default_rng(1).normal(size=(6, 2)).astype("float32")
    alone = keras.ops.convert_to_numpy(discriminator(points[:3]))
    together = keras.ops.convert_to_numpy(discriminator(points))[:3]
    assert not np.allclose(alone, together)  # the other samples change a sample's logit
    plain = mlp_discriminator(input_dim=2, hidden_units=(8,))
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(plain(points[:3])),
        keras.ops.convert_to_numpy(plain(points))[:3],
        rtol=1e-6,
    )
    with pytest.raises(ValueError, match="minibatch_discrimination"):
        mlp_discriminator(input_dim=2, minibatch_discrimination=(4,))


def np_vbn_forward(z, reference, body, n):
    """NumPy forward of the VBN generator on [reference; z] (the paper's mode)."""
    x = np.concatenate([reference, z]).astype("float64")
    for index in range(1, 3):
        dense = body.get_layer(f"hidden_{index}")
        kernel, bias = (np.asarray(w, "float64") for w in dense.get_weights())
        h = x @ kernel + bias
        gamma, beta = (np.asarray(w, "float64") for w in body.get_layer(f"vbn_{index}").get_weights()[:2])
        ref_mean, ref_square = h[:n].mean(0), np.square(h[:n]).mean(0)
        mean = (h + n * ref_mean) / (n + 1)
        square = (np.square(h) + n * ref_square) / (n + 1)
        x = np.maximum(gamma * (h - mean) / np.sqrt(square - mean**2 + 1e-5) + beta, 0.0)
    kernel, bias = (np.asarray(w, "float64") for w in body.get_layer("output").get_weights())
    return (x @ kernel + bias)[n:]


def test_virtual_batch_normalized_generator_matches_numpy():
    n = 16
    generator = mlp_generator(
        latent_dim=3, output_dim=2, hidden_units=(7, 5), virtual_batch_normalization=n, reference_seed=4
    )
    assert isinstance(generator, ReferenceBatchModel)
    reference = keras.ops.convert_to_numpy(generator.reference)
    np.testing.assert_allclose(reference, np.random.default_rng(4).standard_normal((n, 3)), rtol=1e-6)
    z = np.random.default_rng(2).normal(size=(5, 3)).astype("float32")
    actual = keras.ops.convert_to_numpy(generator(z))
    np.testing.assert_allclose(
        actual, np_vbn_forward(z, reference, generator.network, n), rtol=1e-4, atol=1e-5
    )
    # An example's output does not depend on the rest of its batch.
    np.testing.assert_allclose(keras.ops.convert_to_numpy(generator(z[:2])), actual[:2], rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="virtual_batch_normalization"):
        mlp_generator(latent_dim=3, output_dim=2, virtual_batch_normalization=0)


def test_leaky_relu_generator():
    generator = mlp_generator(latent_dim=3, output_dim=2, hidden_units=(5,), activation="leaky_relu")
    z = np.random.default_rng(3).normal(size=(4, 3)).astype("float32")
    kernel, bias = generator.get_layer("hidden_1").get_weights()
    out_kernel, out_bias = generator.get_layer("output").get_weights()
    expected = np_leaky_relu(z @ kernel + bias) @ out_kernel + out_bias
    np.testing.assert_allclose(keras.ops.convert_to_numpy(generator(z)), expected, rtol=1e-5, atol=1e-6)
