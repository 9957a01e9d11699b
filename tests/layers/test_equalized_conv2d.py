import math

import numpy as np
import pytest

from keras_gans.layers import EqualizedConv2D

from testing import IMAGES
from testing import run_layer_checks
from testing import to_numpy


def numpy_conv2d(x, kernel, stride, padding):
    kh, kw = kernel.shape[:2]
    if padding == "same":
        pad_h = max((math.ceil(x.shape[1] / stride) - 1) * stride + kh - x.shape[1], 0)
        pad_w = max((math.ceil(x.shape[2] / stride) - 1) * stride + kw - x.shape[2], 0)
        x = np.pad(
            x,
            (
                (0, 0),
                (pad_h // 2, pad_h - pad_h // 2),
                (pad_w // 2, pad_w - pad_w // 2),
                (0, 0),
            ),
        )
    out_h = (x.shape[1] - kh) // stride + 1
    out_w = (x.shape[2] - kw) // stride + 1
    out = np.zeros((x.shape[0], out_h, out_w, kernel.shape[-1]))
    for i in range(out_h):
        for j in range(out_w):
            patch = x[:, i * stride : i * stride + kh, j * stride : j * stride + kw]
            out[:, i, j] = np.einsum("bhwc,hwco->bo", patch, kernel)
    return out


def test_runtime_scale_matches_numpy():
    x = np.random.normal(size=(2, 6, 5, 3)).astype("float32")
    for strides, padding in [(1, "same"), (2, "valid")]:
        layer = EqualizedConv2D(4, 3, strides=strides, padding=padding, bias_initializer="ones")
        y = to_numpy(layer(x))
        kernel = to_numpy(layer.kernel)
        scale = math.sqrt(2.0) / math.sqrt(3 * 3 * 3)  # gain / sqrt(kh * kw * C_in)
        expected = numpy_conv2d(x, kernel * scale, strides, padding) + 1.0
        assert y.shape == expected.shape == tuple(layer.compute_output_shape(x.shape))
        np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-5)


def test_initialisation_lr_multiplier_config_and_invalid_arguments():
    layer = EqualizedConv2D(64, (3, 2), gain=1.0, lr_multiplier=0.5, bias_initializer="ones")
    x = np.random.normal(size=(1, 4, 4, 16)).astype("float32")
    y = to_numpy(layer(x))
    kernel = to_numpy(layer.kernel)
    assert kernel.shape == (3, 2, 16, 64)
    assert abs(kernel.std() - 2.0) < 0.1  # N(0, 1 / lr_multiplier ** 2)
    expected = numpy_conv2d(x, kernel * 0.5 / math.sqrt(3 * 2 * 16), 1, "same") + 0.5
    np.testing.assert_allclose(y, expected, rtol=1e-4, atol=1e-4)
    config = layer.get_config()
    restored = EqualizedConv2D.from_config(config)
    assert restored.kernel_size == (3, 2) and restored.lr_multiplier == 0.5
    restored(x)
    restored.set_weights(layer.get_weights())
    np.testing.assert_allclose(to_numpy(restored(x)), y, rtol=1e-6)
    with pytest.raises(ValueError, match="padding"):
        EqualizedConv2D(2, 3, padding="full")
    with pytest.raises(ValueError, match="kernel_size"):
        EqualizedConv2D(2, (3, 3, 3))
    with pytest.raises(ValueError, match="4D inputs"):
        EqualizedConv2D(2, 3)(np.zeros((2, 3), "float32"))


def test_standard_layer_checks():
    run_layer_checks(
        EqualizedConv2D,
        dict(
            filters=5,
            kernel_size=3,
            strides=1,
            padding="same",
            gain=1.0,
            lr_multiplier=0.5,
            use_bias=True,
            bias_initializer="ones",
            activation="relu",
        ),
        IMAGES,
        expected_output_shape=(4, 8, 8, 5),
    )
