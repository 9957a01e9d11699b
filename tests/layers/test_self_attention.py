import numpy as np
import pytest

from keras_gans.layers import SelfAttention
from keras_gans.layers import SpectralNormalization

from testing import IMAGES
from testing import run_layer_checks
from testing import to_numpy


def conv1x1_weights(conv):
    """Effective (kernel, bias) of a 1x1 Conv2D, possibly spectrally normalized."""
    if isinstance(conv, SpectralNormalization):
        return to_numpy(conv.normalized_kernel())[0, 0], to_numpy(conv.layer.bias)
    return to_numpy(conv.kernel)[0, 0], to_numpy(conv.bias)


def numpy_self_attention(layer, x):
    def conv(sub_layer, t):
        kernel, bias = conv1x1_weights(sub_layer)
        return t @ kernel + bias

    batch, height, width, channels = x.shape
    f = conv(layer.f_conv, x).reshape(batch, height * width, -1)
    g = conv(layer.g_conv, x).reshape(batch, height * width, -1)
    h = conv(layer.h_conv, x).reshape(batch, height * width, -1)
    logits = np.einsum("bjk,bik->bji", g, f)  # s_ij = f(x_i) . g(x_j)
    beta = np.exp(logits - logits.max(-1, keepdims=True))
    beta /= beta.sum(-1, keepdims=True)
    attended = np.einsum("bji,bic->bjc", beta, h).reshape(batch, height, width, -1)
    return x + to_numpy(layer.gamma) * conv(layer.v_conv, attended)


@pytest.mark.parametrize("spectral_norm", [False, True])
def test_matches_numpy_and_round_trips(spectral_norm):
    x = np.random.normal(size=(2, 4, 3, 16)).astype("float32")
    layer = SelfAttention(spectral_norm=spectral_norm)
    y0 = to_numpy(layer(x))
    np.testing.assert_allclose(y0, x, atol=1e-6)  # gamma starts at 0
    assert tuple(layer.f_conv.compute_output_shape(x.shape))[-1] == 2  # C // 8
    assert tuple(layer.h_conv.compute_output_shape(x.shape))[-1] == 8  # C // 2
    assert len(layer.trainable_weights) == 9  # 4 kernels, 4 biases, gamma
    assert len(layer.non_trainable_weights) == (4 if spectral_norm else 0)
    if spectral_norm:
        assert isinstance(layer.v_conv, SpectralNormalization)
        u_before = to_numpy(layer.v_conv.u).copy()

    layer.gamma.assign(0.7)
    y = to_numpy(layer(x, training=True))
    if spectral_norm:
        # training=True reached the wrapped convolutions and updated u.
        assert not np.allclose(to_numpy(layer.v_conv.u), u_before)
    np.testing.assert_allclose(y, numpy_self_attention(layer, x), rtol=1e-4, atol=1e-5)
    # Inference uses the same normalized kernels (u left alone).
    np.testing.assert_allclose(to_numpy(layer(x)), y, rtol=1e-5, atol=1e-5)

    config = layer.get_config()
    assert config["spectral_norm"] is spectral_norm
    restored = SelfAttention.from_config(config)
    restored.build(x.shape)
    restored.set_weights(layer.get_weights())
    np.testing.assert_allclose(to_numpy(restored(x)), y, rtol=1e-5, atol=1e-5)


def test_custom_widths_and_invalid_arguments():
    layer = SelfAttention(key_channels=3, value_channels=8, name="attention")
    layer.build((None, 5, 5, 8))
    assert tuple(layer.f_conv.kernel.shape) == (1, 1, 8, 3)
    assert tuple(layer.g_conv.kernel.shape) == (1, 1, 8, 3)
    assert tuple(layer.h_conv.kernel.shape) == (1, 1, 8, 8)
    assert tuple(layer.v_conv.kernel.shape) == (1, 1, 8, 8)
    config = layer.get_config()
    assert (config["key_channels"], config["value_channels"]) == (3, 8)
    with pytest.raises(ValueError, match="height, width, channels"):
        SelfAttention()(np.zeros((2, 8), "float32"))
    with pytest.raises(ValueError, match="key_channels"):
        SelfAttention(key_channels=0)


def test_standard_layer_checks():
    run_layer_checks(
        SelfAttention,
        dict(key_channels=2, value_channels=3, spectral_norm=True, kernel_initializer="glorot_uniform"),
        IMAGES,
        expected_output_shape=(4, 8, 8, 3),
    )
