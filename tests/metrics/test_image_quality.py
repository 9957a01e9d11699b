"""PSNR, SSIM and the bicubic baseline against scikit-image, PIL and TensorFlow."""

import numpy as np
import pytest
import tensorflow as tf
from keras import ops
from PIL import Image
from skimage.metrics import peak_signal_noise_ratio as skimage_psnr
from skimage.metrics import structural_similarity as skimage_ssim

from keras_gans.data import load_numpy
from keras_gans.metrics.bicubic import bicubic_upsample
from keras_gans.metrics.image_quality import peak_signal_noise_ratio
from keras_gans.metrics.image_quality import structural_similarity


@pytest.fixture(scope="module")
def clothes():
    """32 Fashion-MNIST test images in [-1, 1] (real structure for SSIM)."""
    return load_numpy("fashion_mnist", "test", num_examples=32)


def noisy(images, sigma, seed):
    rng = np.random.default_rng(seed)
    return np.clip(images + rng.normal(0, sigma, images.shape), -1, 1).astype("float32")


def reference_ssim(targets, images):
    return np.array(
        [
            skimage_ssim(
                t,
                x,
                data_range=2.0,
                gaussian_weights=True,
                sigma=1.5,
                use_sample_covariance=False,
                channel_axis=-1,
            )
            for t, x in zip(targets.astype("float64"), images.astype("float64"))
        ]
    )


def test_psnr_matches_scikit_image(clothes):
    images = noisy(clothes, 0.2, seed=0)
    psnr = ops.convert_to_numpy(peak_signal_noise_ratio(clothes, images))
    expected = [skimage_psnr(t, x, data_range=2.0) for t, x in zip(clothes, images)]
    assert psnr.shape == (32,)
    np.testing.assert_allclose(psnr, expected, rtol=1e-5)
    # On [0, 1] images with data_range=1 the value is the same.
    unit = ops.convert_to_numpy(peak_signal_noise_ratio((clothes + 1) / 2, (images + 1) / 2, 1.0))
    np.testing.assert_allclose(unit, expected, rtol=1e-4)
    assert np.all(np.isinf(ops.convert_to_numpy(peak_signal_noise_ratio(clothes, clothes))))


def test_ssim_matches_scikit_image_on_clothes(clothes):
    for sigma, seed in [(0.05, 1), (0.3, 2), (1.0, 3)]:
        images = noisy(clothes, sigma, seed)
        ssim = ops.convert_to_numpy(structural_similarity(clothes, images))
        assert ssim.shape == (32,)
        np.testing.assert_allclose(ssim, reference_ssim(clothes, images), atol=2e-5)
    np.testing.assert_allclose(ops.convert_to_numpy(structural_similarity(clothes, clothes)), 1.0, atol=1e-5)


def test_ssim_matches_scikit_image_on_colour_and_unstructured_images():
    rng = np.random.default_rng(4)
    targets = rng.uniform(-1, 1, (3, 32, 20, 3)).astype("float32")
    images = np.clip(0.6 * targets + rng.normal(0, 0.3, targets.shape), -1, 1).astype("float32")
    ssim = ops.convert_to_numpy(structural_similarity(targets, images))
    np.testing.assert_allclose(ssim, reference_ssim(targets, images), atol=2e-5)
    # Less noise, more similar.
    closer = np.clip(0.9 * targets + rng.normal(0, 0.05, targets.shape), -1, 1)
    assert np.all(ops.convert_to_numpy(structural_similarity(targets, closer)) > ssim)


def test_bicubic_matches_pil_and_tensorflow(clothes):
    low = clothes[:, ::4, ::4]  # 7x7
    for scale in (2, 3, 4):
        up = ops.convert_to_numpy(bicubic_upsample(low, scale))
        assert up.shape == (32, 7 * scale, 7 * scale, 1)
        pil = np.stack(
            [
                np.asarray(
                    Image.fromarray(image[..., 0], mode="F").resize((7 * scale, 7 * scale), Image.BICUBIC)
                )
                for image in low
            ]
        )[..., None]
        np.testing.assert_allclose(up, pil, atol=1e-5)
        # TensorFlow tabulates the kernel: close, not equal, except for exact positions.
        tf_up = tf.image.resize(low, (7 * scale, 7 * scale), method="bicubic").numpy()
        np.testing.assert_allclose(up, tf_up, atol=1e-5 if scale in (2, 4) else 2e-3)
    colour = np.random.default_rng(5).uniform(-1, 1, (2, 5, 6, 3)).astype("float32")
    up = ops.convert_to_numpy(bicubic_upsample(colour, 4))
    np.testing.assert_allclose(up, tf.image.resize(colour, (20, 24), method="bicubic").numpy(), atol=1e-5)
    np.testing.assert_array_equal(ops.convert_to_numpy(bicubic_upsample(colour, 1)), colour)
    # Constant images stay constant (the weights of every output pixel sum to 1).
    np.testing.assert_allclose(
        ops.convert_to_numpy(bicubic_upsample(np.full((1, 3, 3, 1), 0.3), 4)), 0.3, atol=1e-6
    )


def test_bicubic_baseline_beats_nearest_neighbour_on_clothes(clothes):
    blocks = clothes.reshape(32, 7, 4, 7, 4, 1).mean(axis=(2, 4))  # area down-sampling
    bicubic = peak_signal_noise_ratio(clothes, bicubic_upsample(blocks, 4))
    nearest = peak_signal_noise_ratio(clothes, np.repeat(np.repeat(blocks, 4, 1), 4, 2))
    assert np.mean(ops.convert_to_numpy(bicubic)) > np.mean(ops.convert_to_numpy(nearest))


def test_bad_input_raises_clear_errors():
    a = np.zeros((2, 28, 28, 1), "float32")
    with pytest.raises(ValueError, match="same shape"):
        peak_signal_noise_ratio(a, a[:, :14])
    with pytest.raises(ValueError, match="same shape"):
        structural_similarity(a[0], a[0])
    with pytest.raises(ValueError, match="at least 11x11"):
        structural_similarity(a[:, :7, :7], a[:, :7, :7])
    with pytest.raises(ValueError, match="data_range"):
        peak_signal_noise_ratio(a, a, data_range=0)
    with pytest.raises(ValueError, match="window_size"):
        structural_similarity(a, a, window_size=10)
    with pytest.raises(ValueError, match="scale"):
        bicubic_upsample(a, 2.5)
    with pytest.raises(ValueError, match="images"):
        bicubic_upsample(a[0], 2)
