"""Every kind of generator exports to every format: StyleGAN (modulated
convolution, truncation), ProGAN (mid fade-in, EMA), ACGAN (labels, uint8) and
a 2D point generator. Models are trained a step under the running backend so
that EMA copies and running means differ from their initial values."""

import keras
import numpy as np
import pytest
import tensorflow as tf
from export_helpers import run_litert
from export_helpers import run_onnx

from keras_gans import export
from keras_gans import models
from keras_gans import networks
from keras_gans import presets

FORMATS = (("saved_model", "saved_model"), ("tflite", "gan.tflite"), ("onnx", "gan.onnx"))


def _export_all(model, folder, **kwargs):
    entries = [{"path": str(folder / name), "format": format} for format, name in FORMATS]
    paths = export.export_generators(model, entries, **kwargs)
    return dict(zip([format for format, _ in FORMATS], paths))


def _run_saved_model(path, inputs):
    signature = tf.saved_model.load(path).signatures["serving_default"]
    return signature(**{k: tf.constant(v) for k, v in inputs.items()})["images"].numpy()


def _images(path, format, inputs):
    return {"saved_model": _run_saved_model, "tflite": run_litert, "onnx": run_onnx}[format](path, inputs)


def _reference(model, inputs, **generator_kwargs):
    z = keras.ops.convert_to_tensor(inputs["z"])
    labels = inputs.get("labels")
    if labels is not None:
        labels = keras.ops.convert_to_tensor(labels)
    generator_inputs = model.generator_inputs(z, labels)
    images = model.sampling_generator()(generator_inputs, training=False, **generator_kwargs)
    return keras.ops.convert_to_numpy(images)


def _images_data(n, size, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, size, size, 1)).astype("float32")


@pytest.mark.slow
def test_stylegan_exports_modulated_convolutions_and_truncation(tmp_path):
    gan = models.StyleGAN(image_shape=(16, 16, 1), latent_dim=8, filters=8, mapping_layers=2, seed=0)
    gan.compile()
    gan.fit(_images_data(16, 16), batch_size=8, epochs=1, verbose=0)
    generator = gan.sampling_generator()
    assert generator is not gan.generator  # the EMA copy
    assert np.abs(keras.ops.convert_to_numpy(generator.w_avg)).max() > 0
    paths = _export_all(gan, tmp_path, generator_kwargs={"truncation_psi": 0.7})
    inputs = {"z": presets.latent_noise(5, 8, seed=1)}
    expected = _reference(gan, inputs, truncation_psi=0.7)
    untruncated = _reference(gan, inputs)
    assert np.abs(expected - untruncated).max() > 1e-3  # truncation is visible
    for format, path in paths.items():
        np.testing.assert_allclose(_images(path, format, inputs), expected, atol=1e-4, err_msg=format)


@pytest.mark.slow
def test_progan_exports_its_current_growth_stage(tmp_path):
    gan = models.ProGAN(
        image_shape=(16, 16, 1),
        latent_dim=8,
        filters=8,
        fade_in_images=64,
        stabilize_images=64,
        ema_decay=0.5,
        seed=0,
    )
    gan.compile()
    gan.fit(_images_data(16, 16), batch_size=8, epochs=1, verbose=0)
    gan.set_images_seen(64 + 32)  # level 1, half-way through its fade-in
    assert (gan.level, gan.alpha) == (1, 0.5)
    inputs = {"z": presets.latent_noise(4, 8, seed=2)}
    expected = _reference(gan, inputs)
    assert np.abs(expected - keras.ops.convert_to_numpy(gan.generator(inputs["z"]))).max() > 1e-4
    entries = [
        {"path": str(tmp_path / "saved_model")},
        {"path": str(tmp_path / "gan.onnx"), "format": "onnx"},
    ]
    saved_model, onnx_path = export.export_generators(gan, entries)
    np.testing.assert_allclose(_run_saved_model(saved_model, inputs), expected, atol=1e-4)
    np.testing.assert_allclose(run_onnx(onnx_path, inputs), expected, atol=1e-4)
    # LiteRT: the nearest upsampling keeps static heights (a broadcast, not a
    # repeat), so the converter legalizes the convolutions after it.
    litert_path = export.export_generator(gan, tmp_path / "gan.tflite", format="tflite")
    np.testing.assert_allclose(run_litert(litert_path, inputs), expected, atol=1e-4)


def test_acgan_exports_labels_and_uint8_images(tmp_path):
    gan = models.ACGAN(num_classes=3, image_shape=(16, 16, 1), latent_dim=8, seed=0)
    gan.compile()
    labels = np.random.default_rng(0).integers(0, 3, 16).astype("int32")
    gan.fit(_images_data(16, 16), labels, batch_size=8, epochs=1, verbose=0)
    paths = _export_all(gan, tmp_path, uint8=True)
    inputs = {"z": presets.latent_noise(6, 8, seed=3), "labels": np.array([0, 1, 2, 2, 1, 0], "int32")}
    expected = np.round(np.clip((_reference(gan, inputs).astype(np.float64) + 1) * 127.5, 0, 255))
    for format, path in paths.items():
        images = _images(path, format, inputs)
        assert images.dtype == np.uint8 and images.shape == (6, 16, 16, 1), format
        # Values within float error of a .5 boundary may round either way.
        assert np.abs(images.astype(int) - expected).max() <= 1, format
        assert np.mean(images == expected) > 0.99, format


def test_point_generators_export_too(tmp_path):
    gan = models.GAN(networks.mlp_generator(2, 2), networks.mlp_discriminator(2), latent_dim=2, seed=0)
    gan.compile()
    points = np.random.default_rng(0).normal(size=(64, 2)).astype("float32")
    gan.fit(points, batch_size=32, epochs=1, verbose=0)
    paths = _export_all(gan, tmp_path)
    inputs = {"z": presets.latent_noise(50, 2, seed=4)}
    expected = _reference(gan, inputs)
    for format, path in paths.items():
        images = _images(path, format, inputs)
        assert images.shape == (50, 2)
        np.testing.assert_allclose(images, expected, atol=1e-4, err_msg=format)


@pytest.mark.parametrize("format", ["tflite", "onnx"])
def test_out_of_range_labels_fail_in_the_file_runtimes(zoo_exports, format):
    path = zoo_exports["cgan_fashion_mnist"][(format, None)]
    run = run_litert if format == "tflite" else run_onnx
    z = presets.latent_noise(2, 64, seed=0)
    assert run(path, {"z": z, "labels": np.array([0, 9], "int32")}).shape == (2, 28, 28, 1)
    expected_error = {"tflite": "gather index out of bounds", "onnx": "indices element out of data bounds"}
    for labels in ([10, 0], [0, -1], [-11, 0], [25, 3]):
        with pytest.raises(Exception, match=expected_error[format]):
            run(path, {"z": z, "labels": np.array(labels, "int32")})
    with pytest.raises(Exception, match="(?i)type"):  # float labels: refused by the int32 input
        run(path, {"z": z, "labels": np.array([0.0, 1.0], "float32")})
