"""The zoo presets exported to LiteRT and ONNX reproduce the Keras generator.

Acceptance of the export: float32 within 1e-4 of the Keras outputs, float16
within 1e-2, and int8 within 10 % of the float32 model's domain-FID (features
of the project's Fashion-MNIST classifier, `keras_gans.metrics.DomainFeatures`).
The FID check uses 1,000 samples here; docs/serving.md has the 10,000-sample
figure (benchmarks/export.py).
"""

import numpy as np
import pytest
from export_helpers import keras_images
from export_helpers import latent_inputs
from export_helpers import run_exported

from keras_gans import data
from keras_gans import metrics

PRESETS = ("dcgan_fashion_mnist", "cgan_fashion_mnist")
FID_SAMPLES = 1000


@pytest.mark.parametrize("preset", PRESETS)
def test_float_exports_reproduce_the_keras_generator(zoo_models, zoo_exports, preset):
    model = zoo_models[preset]
    inputs = latent_inputs(model, 64, seed=11)
    expected = keras_images(model, inputs)
    assert expected.shape == (64, 28, 28, 1)
    for format in ("tflite", "onnx"):
        float32 = run_exported(zoo_exports[preset][(format, None)], inputs)
        float16 = run_exported(zoo_exports[preset][(format, "float16")], inputs)
        assert float32.dtype == np.float32 and float32.shape == expected.shape
        assert np.abs(float32 - expected).max() <= 1e-4, format
        error16 = np.abs(float16 - expected).max()
        assert error16 <= 1e-2, (format, error16)
        # float16 weights really are rounded: the outputs are not bit-identical.
        assert error16 > 1e-6, (format, error16)


@pytest.mark.parametrize("preset", PRESETS)
def test_int8_exports_keep_the_domain_fid(zoo_models, zoo_exports, preset):
    model = zoo_models[preset]
    inputs = latent_inputs(model, FID_SAMPLES, seed=5)
    extractor = metrics.DomainFeatures()
    real = metrics.extract_features(
        data.load_numpy("fashion_mnist", "test", num_examples=FID_SAMPLES), extractor
    )

    def fid(images):
        return metrics.compare_features(real, metrics.extract_features(images, extractor), ("fid",))["fid"]

    expected = keras_images(model, inputs)
    reference = fid(expected)
    for format in ("tflite", "onnx"):
        images = run_exported(zoo_exports[preset][(format, "int8")], inputs)
        assert images.shape == expected.shape and images.dtype == np.float32
        # Quantized, not a float copy: outputs differ, yet stay close on average.
        mean_error = np.abs(images - expected).mean()
        assert 1e-3 < mean_error < 0.05, (format, mean_error)
        quantized = fid(images)
        assert abs(quantized - reference) <= 0.1 * reference, (format, quantized, reference)


def test_int8_files_are_smaller_than_float16_and_float32(zoo_exports):
    import os

    for preset in PRESETS:
        for format in ("tflite", "onnx"):
            sizes = [os.path.getsize(zoo_exports[preset][(format, q)]) for q in (None, "float16", "int8")]
            assert sizes[0] > 1.8 * sizes[1] and sizes[1] > 1.3 * sizes[2], (preset, format, sizes)


def test_conditional_exports_follow_the_labels(zoo_models, zoo_exports):
    model = zoo_models["cgan_fashion_mnist"]
    inputs = latent_inputs(model, 20, seed=3)
    shifted = dict(inputs, labels=(inputs["labels"] + 3) % model.num_classes)
    for format in ("tflite", "onnx"):
        path = zoo_exports["cgan_fashion_mnist"][(format, None)]
        np.testing.assert_allclose(run_exported(path, shifted), keras_images(model, shifted), atol=1e-4)
        assert np.abs(run_exported(path, shifted) - run_exported(path, inputs)).max() > 0.5
