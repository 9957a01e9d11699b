"""ModulatedConv2D against a per-sample NumPy modulation/demodulation, and NoiseInjection."""

import keras
import numpy as np
import pytest
from keras import ops

from keras_gans.layers import ModulatedConv2D
from keras_gans.layers import NoiseInjection

from testing import IMAGES
from testing import STYLES
from testing import run_layer_checks


def _conv_same(x, kernel):
    """Reference 'same' convolution of one image (H, W, C_in) with (k, k, C_in, C_out)."""
    k = kernel.shape[0]
    pad = k // 2
    padded = np.pad(x, ((pad, pad), (pad, pad), (0, 0)))
    height, width, _ = x.shape
    out = np.zeros((height, width, kernel.shape[-1]))
    for i in range(height):
        for j in range(width):
            out[i, j] = np.tensordot(padded[i : i + k, j : j + k], kernel, axes=3)
    return out


def _reference(layer, x, w):
    # Equalized learning rate, from the papers rather than the layer: the
    # convolution's He constant is 1 / sqrt(k * k * C_in); the style affine is
    # an equalized dense layer of gain 1 on w: 1 / sqrt(w_dim).
    k, in_channels = layer.kernel.shape[0], layer.kernel.shape[2]
    kernel = ops.convert_to_numpy(layer.kernel).astype(np.float64) / np.sqrt(k * k * in_channels)
    affine_kernel = ops.convert_to_numpy(layer.affine.kernel).astype(np.float64) / np.sqrt(w.shape[-1])
    s = w.astype(np.float64) @ affine_kernel + ops.convert_to_numpy(layer.affine.bias)
    if layer.upsample:
        x = x.repeat(2, axis=1).repeat(2, axis=2)
    outputs = []
    for b in range(len(x)):
        modulated = kernel * s[b][None, None, :, None]  # W'_b = W * s_b (input channels)
        if layer.demodulate:
            modulated = modulated / np.sqrt(
                np.sum(modulated**2, axis=(0, 1, 2), keepdims=True) + layer.epsilon
            )
        outputs.append(_conv_same(x[b].astype(np.float64), modulated))
    out = np.stack(outputs)
    if layer.use_bias:
        out = out + ops.convert_to_numpy(layer.bias)
    return out


@pytest.mark.parametrize(
    "demodulate,upsample,kernel_size", [(True, False, 3), (False, False, 1), (True, True, 3)]
)
def test_matches_numpy_per_sample_kernels(demodulate, upsample, kernel_size):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 4, 4, 3)).astype("float32")
    w = rng.normal(size=(2, 5)).astype("float32")
    layer = ModulatedConv2D(4, kernel_size, demodulate=demodulate, upsample=upsample)
    layer.build([x.shape, w.shape])
    layer.bias.assign(rng.normal(size=(4,)).astype("float32"))
    layer.affine.bias.assign(rng.uniform(0.5, 1.5, size=(3,)).astype("float32"))
    out = ops.convert_to_numpy(layer([x, w]))
    assert out.shape == layer.compute_output_shape([x.shape, w.shape])
    np.testing.assert_allclose(out, _reference(layer, x, w), rtol=1e-4, atol=1e-4)


def test_demodulation_gives_unit_output_scale():
    # With unit-variance inputs, demodulated outputs have roughly unit variance
    # whatever the style magnitude.
    rng = np.random.default_rng(1)
    x = rng.normal(size=(2, 16, 16, 32)).astype("float32")
    layer = ModulatedConv2D(32, 3, use_bias=False)
    small = ops.convert_to_numpy(layer([x, 0.01 * rng.normal(size=(2, 8)).astype("float32")]))
    large = ops.convert_to_numpy(layer([x, 50.0 * rng.normal(size=(2, 8)).astype("float32")]))
    for out in (small, large):
        assert 0.5 < out.std() < 1.5


def test_config_round_trip():
    layer = ModulatedConv2D(4, 1, demodulate=False, upsample=True, activation="relu", name="m")
    clone = ModulatedConv2D.from_config(layer.get_config())
    assert (clone.filters, clone.kernel_size, clone.demodulate, clone.upsample) == (4, 1, False, True)
    noise = NoiseInjection.from_config(NoiseInjection(seed=3).get_config())
    assert noise.seed == 3


def test_noise_injection_modes():
    x = np.zeros((2, 4, 4, 3), "float32")
    layer = NoiseInjection(seed=0)
    layer.build(x.shape)
    layer.scale.assign(np.array([1.0, 2.0, 0.0], "float32"))
    const = ops.convert_to_numpy(layer(x))  # inference: the stored noise image
    np.testing.assert_allclose(const, ops.convert_to_numpy(layer(x, noise_mode="const")))
    np.testing.assert_allclose(const[..., 1], 2 * const[..., 0], rtol=1e-6)
    assert np.all(const[..., 2] == 0)
    np.testing.assert_allclose(const[0], const[1])  # one image for the batch
    random = ops.convert_to_numpy(layer(x, training=True))
    assert not np.allclose(random[0], random[1])  # per-sample noise
    assert np.all(ops.convert_to_numpy(layer(x, noise_mode="none")) == 0)
    with pytest.raises(ValueError, match="noise_mode"):
        layer(x, noise_mode="fixed")
    assert keras.saving.get_registered_object("keras_gans>NoiseInjection") is NoiseInjection


def test_standard_layer_checks():
    run_layer_checks(
        ModulatedConv2D,
        dict(
            filters=4,
            kernel_size=3,
            demodulate=True,
            upsample=True,
            use_bias=True,
            activation="linear",
            epsilon=1e-8,
        ),
        [IMAGES, STYLES],
        expected_output_shape=(4, 16, 16, 4),
    )


def test_standard_layer_checks_of_noise_injection():
    run_layer_checks(NoiseInjection, dict(seed=5), IMAGES, expected_output_shape=(4, 8, 8, 3))
