"""Tests for the MLP generator and discriminator builders."""

import keras
import numpy as np
import pytest

from keras_gans.networks import mlp_discriminator
from keras_gans.networks import mlp_generator


def np_dense_stack(x, model, activation):
    """NumPy forward pass through the hidden Dense layers, then the linear output layer."""
    x = x.astype("float64")
    for layer in model.layers[1:]:
        kernel, bias = (np.asarray(w, dtype="float64") for w in layer.get_weights())
        x = x @ kernel + bias
        if layer.name.startswith("hidden_"):
            x = activation(x)
    return x


def np_relu(x):
    return np.maximum(x, 0)


def np_leaky_relu(x):
    return np.where(x > 0, x, 0.2 * x)


def test_generator_matches_numpy_reference():
    generator = mlp_generator(latent_dim=3, output_dim=2, hidden_units=(5, 5))
    assert [layer.name for layer in generator.layers] == ["z", "hidden_1", "hidden_2", "output"]
    assert [layer.units for layer in generator.layers[1:]] == [5, 5, 2]
    z = np.random.normal(size=(4, 3)).astype("float32")
    actual = keras.ops.convert_to_numpy(generator(z))
    assert actual.shape == (4, 2) and actual.dtype == np.float32
    np.testing.assert_allclose(actual, np_dense_stack(z, generator, np_relu), atol=1e-5)
    # The output is linear: samples are not squashed into a bounded range.
    assert generator.layers[-1].activation is keras.activations.linear


def test_discriminator_matches_numpy_reference():
    discriminator = mlp_discriminator(input_dim=2, hidden_units=(5, 5, 5))
    layer_names = [layer.name for layer in discriminator.layers]
    assert layer_names == ["samples", "hidden_1", "hidden_2", "hidden_3", "logits"]
    points = np.random.normal(size=(4, 2)).astype("float32") * 3
    actual = keras.ops.convert_to_numpy(discriminator(points))
    assert actual.shape == (4, 1) and actual.dtype == np.float32
    # The default "leaky_relu" has a negative slope of 0.2.
    expected = np_dense_stack(points, discriminator, np_leaky_relu)
    np.testing.assert_allclose(actual, expected, atol=1e-5)


def test_custom_activation_and_no_hidden_layers():
    generator = mlp_generator(latent_dim=3, output_dim=2, hidden_units=(5,), activation="tanh")
    z = np.random.normal(size=(4, 3)).astype("float32")
    actual = keras.ops.convert_to_numpy(generator(z))
    np.testing.assert_allclose(actual, np_dense_stack(z, generator, np.tanh), atol=1e-5)

    linear = mlp_discriminator(input_dim=3, hidden_units=())
    assert [layer.name for layer in linear.layers] == ["samples", "logits"]
    kernel, bias = linear.layers[-1].get_weights()
    np.testing.assert_allclose(keras.ops.convert_to_numpy(linear(z)), z @ kernel + bias, atol=1e-5)


def test_mixed_precision_outputs_are_float32():
    keras.mixed_precision.set_global_policy("mixed_float16")
    generator = mlp_generator(latent_dim=3, output_dim=2, hidden_units=(5, 5))
    discriminator = mlp_discriminator(input_dim=2, hidden_units=(5, 5, 5))
    assert generator.get_layer("hidden_1").compute_dtype == "float16"
    assert discriminator.get_layer("hidden_1").compute_dtype == "float16"
    samples = generator(np.random.normal(size=(4, 3)).astype("float32"))
    logits = discriminator(samples)
    assert keras.backend.standardize_dtype(samples.dtype) == "float32"
    assert keras.backend.standardize_dtype(logits.dtype) == "float32"
    assert tuple(logits.shape) == (4, 1)


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="latent_dim"):
        mlp_generator(latent_dim=0, output_dim=2)
    with pytest.raises(ValueError, match="output_dim"):
        mlp_generator(latent_dim=2, output_dim="2")
    with pytest.raises(ValueError, match="input_dim"):
        mlp_discriminator(input_dim=2.0)
    with pytest.raises(ValueError, match="hidden_units"):
        mlp_generator(latent_dim=2, output_dim=2, hidden_units=(4, -1))
    with pytest.raises(ValueError, match="hidden_units"):
        mlp_discriminator(input_dim=2, hidden_units=16)
    with pytest.raises(ValueError, match="bogus"):
        mlp_discriminator(input_dim=2, activation="bogus")


def test_saved_models_round_trip(tmp_path):
    generator = mlp_generator(latent_dim=3, output_dim=2, hidden_units=(5, 5), name="g")
    discriminator = mlp_discriminator(input_dim=2, hidden_units=(5, 5, 5), name="d")
    z = np.random.normal(size=(4, 3)).astype("float32")
    samples = keras.ops.convert_to_numpy(generator(z))
    logits = keras.ops.convert_to_numpy(discriminator(samples))

    generator.save(tmp_path / "g.keras")
    discriminator.save(tmp_path / "d.keras")
    loaded_generator = keras.models.load_model(tmp_path / "g.keras")
    loaded_discriminator = keras.models.load_model(tmp_path / "d.keras")

    assert (loaded_generator.name, loaded_discriminator.name) == ("g", "d")
    loaded_samples = keras.ops.convert_to_numpy(loaded_generator(z))
    np.testing.assert_array_equal(loaded_samples, samples)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(loaded_discriminator(samples)), logits)
