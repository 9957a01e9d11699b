"""`evaluate_translation` and the task data of the image-to-image presets' cards."""

import keras
import numpy as np
import pytest

from keras_gans import data
from keras_gans import metrics


def identity_model(shape):
    inputs = keras.Input(shape)
    return keras.Model(inputs, keras.layers.Identity()(inputs))


def nearest_upsampler(scale):
    inputs = keras.Input((None, None, 1))
    return keras.Model(inputs, keras.layers.UpSampling2D(scale)(inputs))


def test_task_data_are_the_fashion_mnist_tasks():
    low, high = metrics.task_data("super_resolution_x2", num_examples=5)
    images = data.load_numpy("fashion_mnist", "test", num_examples=5)
    np.testing.assert_allclose(high, images)
    # 2x2 block means (the task's downsampling), computed here.
    np.testing.assert_allclose(low, images.reshape(5, 14, 2, 14, 2, 1).mean(axis=(2, 4)), atol=1e-6)
    sneakers, boots = metrics.task_data("unpaired:sneaker:ankle_boot", num_examples=3)
    _, labels = data.load_numpy("fashion_mnist", "test", with_labels=True)
    all_images = data.load_numpy("fashion_mnist", "test")
    np.testing.assert_allclose(sneakers, all_images[labels == 7][:3])
    np.testing.assert_allclose(boots, all_images[labels == 9][:3])


def test_an_identity_denoiser_scores_as_its_noisy_input():
    model = identity_model((28, 28, 1))
    evaluation = metrics.evaluate_translation(model, "denoising", num_samples=64, seed=3)
    results, protocol = evaluation["results"], evaluation["protocol"]
    noisy, clean = data.fashion_mnist_pairs("denoising", "test", num_examples=64, seed=3)
    squared = np.mean((noisy.astype("float64") - clean) ** 2, axis=(1, 2, 3))
    # PSNR with a peak-to-peak range of 2 ([-1, 1] images), per image, then the mean.
    assert results["psnr"] == pytest.approx(np.mean(10 * np.log10(4.0 / squared)), abs=1e-3)
    assert results["psnr"] == pytest.approx(results["input_psnr"], abs=1e-6)
    assert results["num_test_images"] == 64 and results["fid"] > 0
    assert protocol == {
        "task": "denoising",
        "dataset": "fashion_mnist",
        "split": "test",
        "num_samples": 64,
        "extractor": "domain",
        "seed": 3,
        "description": protocol["description"],
    }
    assert "seed 3" in protocol["description"]


def test_super_resolution_scores_hold_the_bicubic_baseline():
    evaluation = metrics.evaluate_translation(nearest_upsampler(4), "super_resolution_x4", num_samples=32)
    results = evaluation["results"]
    low, high = data.fashion_mnist_pairs("super_resolution_x4", "test", num_examples=32)
    nearest = low.repeat(4, axis=1).repeat(4, axis=2)
    squared = np.mean((nearest.astype("float64") - high) ** 2, axis=(1, 2, 3))
    assert results["psnr"] == pytest.approx(np.mean(10 * np.log10(4.0 / squared)), abs=1e-3)
    assert results["psnr_over_bicubic_db"] == pytest.approx(results["psnr"] - results["bicubic_psnr"])
    # Bicubic beats pixel repetition on these images.
    assert results["bicubic_psnr"] > results["psnr"]


def test_inpainting_scores_the_completions_only():
    # A "model" that outputs white everywhere: the completions are the input outside the square
    # and white inside, so the error lies in the square alone.
    inputs = keras.Input((28, 28, 2))
    white = keras.layers.Lambda(lambda x: keras.ops.ones_like(x[..., :1]))(inputs)
    model = keras.Model(inputs, white)
    results = metrics.evaluate_translation(model, "inpainting", num_samples=16)["results"]
    masked, images = data.fashion_mnist_pairs("inpainting", "test", num_examples=16, seed=0)
    hole = masked[..., 1:] > 0
    assert results["hole_l1"] == pytest.approx(np.abs(1.0 - images[hole]).mean(), abs=1e-6)
    completed = np.where(hole, 1.0, images)
    squared = np.mean((completed.astype("float64") - images) ** 2, axis=(1, 2, 3))
    assert results["psnr"] == pytest.approx(np.mean(10 * np.log10(4.0 / squared)), abs=1e-3)


def test_bad_tasks_and_models_are_named():
    with pytest.raises(ValueError, match="Unknown task 'colourize'. Known tasks: super_resolution_x4"):
        metrics.evaluate_translation(identity_model((28, 28, 1)), "colourize")
    with pytest.raises(ValueError, match="Unknown Fashion-MNIST class 'boot'"):
        metrics.task_data("unpaired:sneaker:boot")
    with pytest.raises(ValueError, match="two different classes"):
        metrics.task_data("unpaired:sneaker:sneaker")
    with pytest.raises(ValueError, match="needs a model that translates both ways"):
        metrics.evaluate_translation(identity_model((28, 28, 1)), "unpaired:sneaker:ankle_boot")
    with pytest.raises(ValueError, match="num_samples=1"):
        metrics.evaluate_translation(identity_model((28, 28, 1)), "denoising", num_samples=1)
