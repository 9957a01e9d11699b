"""SNGAN standard CNN (Miyato et al. 2018, Table 3) and its SAGAN options."""

import keras
import numpy as np
import pytest

from keras_gans.layers import SelfAttention
from keras_gans.layers import SpectralNormalization
from keras_gans.networks.sngan import has_spectral_normalization
from keras_gans.networks.sngan import sngan_base_grid
from keras_gans.networks.sngan import sngan_discriminator
from keras_gans.networks.sngan import sngan_generator


def inner(layer):
    return layer.layer if isinstance(layer, SpectralNormalization) else layer


def convolutions(model, kind):
    return [inner(layer) for layer in model.layers if isinstance(inner(layer), kind)]


def test_base_grid():
    assert sngan_base_grid((32, 32, 3)) == (4, 4, 3)
    assert sngan_base_grid((48, 48, 3)) == (6, 6, 3)
    assert sngan_base_grid((28, 28, 1)) == (7, 7, 2)
    with pytest.raises(ValueError, match="halve the same number"):
        sngan_base_grid((28, 32, 1))
    with pytest.raises(ValueError, match="halve the same number"):
        sngan_base_grid((27, 27, 1))


def test_table_3_discriminator_for_32x32():
    # Table 3 has F = 64 (64, 128, 256, 512 channels); F = 8 keeps the test small.
    d = sngan_discriminator((32, 32, 3), filters=8)
    convs = convolutions(d, keras.layers.Conv2D)
    layout = [(c.filters, c.kernel_size[0], c.strides[0]) for c in convs]
    assert layout == [(8, 3, 1), (8, 4, 2), (16, 3, 1), (16, 4, 2), (32, 3, 1), (32, 4, 2), (64, 3, 1)]
    weighted = [layer for layer in d.layers if hasattr(inner(layer), "kernel")]
    assert weighted and all(isinstance(layer, SpectralNormalization) for layer in weighted)
    slopes = {layer.negative_slope for layer in d.layers if isinstance(layer, keras.layers.LeakyReLU)}
    assert slopes == {0.1}
    channels = [3] + [f for f, _, _ in layout]
    expected = sum(k * k * cin * cout + cout for cin, (cout, k, _) in zip(channels, layout))
    expected += 4 * 4 * 64 + 1  # dense -> 1 on the final 4x4x(8F) maps
    assert sum(int(np.prod(v.shape)) for v in d.trainable_variables) == expected
    assert tuple(d.output_shape) == (None, 1)


def test_table_3_generator_for_32x32_and_48x48():
    # Table 3 (F = 64): 4x4x512 -> 256 -> 128 -> 64 channels; F = 8 keeps the test small.
    g = sngan_generator(128, (32, 32, 3), filters=8)
    dense = convolutions(g, keras.layers.Dense)[0]
    assert dense.units == 4 * 4 * 64
    deconvs = convolutions(g, keras.layers.Conv2DTranspose)
    layout = [(c.filters, c.kernel_size[0], c.strides[0]) for c in deconvs]
    assert layout == [(32, 4, 2), (16, 4, 2), (8, 4, 2)]
    (last,) = convolutions(g, keras.layers.Conv2D)[-1:]
    assert (last.filters, last.kernel_size[0], last.strides[0]) == (3, 3, 1)
    assert len([layer for layer in g.layers if isinstance(layer, keras.layers.BatchNormalization)]) == 4
    assert tuple(g.output_shape) == (None, 32, 32, 3) and not has_spectral_normalization(g)
    out = keras.ops.convert_to_numpy(g(np.random.default_rng(0).normal(size=(2, 128)).astype("float32")))
    assert out.dtype == np.float32 and np.abs(out).max() <= 1.0
    g48 = sngan_generator(128, (48, 48, 3), filters=8)
    assert convolutions(g48, keras.layers.Dense)[0].units == 6 * 6 * 64
    assert tuple(g48.output_shape) == (None, 48, 48, 3)


def test_attention_and_spectral_norm_options():
    g = sngan_generator(16, (28, 28, 1), filters=8, spectral_norm=True, attention_resolution=14)
    d = sngan_discriminator((28, 28, 1), filters=8, attention_resolution=7)
    (g_attention,) = [layer for layer in g.layers if isinstance(layer, SelfAttention)]
    (d_attention,) = [layer for layer in d.layers if isinstance(layer, SelfAttention)]
    assert tuple(g_attention.output.shape[1:3]) == (14, 14) and g_attention.spectral_norm
    assert tuple(d_attention.output.shape[1:3]) == (7, 7) and d_attention.spectral_norm
    weighted = [layer for layer in g.layers if hasattr(inner(layer), "kernel")]
    assert weighted and all(isinstance(layer, SpectralNormalization) for layer in weighted)
    with pytest.raises(ValueError, match=r"choose one of \[7, 14, 28\]"):
        sngan_generator(16, (28, 28, 1), attention_resolution=10)
    with pytest.raises(ValueError, match=r"choose one of \[4, 7, 14, 28\]"):
        sngan_discriminator((28, 28, 1), attention_resolution=3)
    plain = sngan_discriminator((28, 28, 1), filters=8, spectral_norm=False)
    assert not has_spectral_normalization(plain)
    nested = keras.Sequential([keras.Input((28, 28, 1)), d])
    assert has_spectral_normalization(nested)


def test_serialization_round_trip():
    d = sngan_discriminator((28, 28, 1), filters=4, attention_resolution=14)
    clone = keras.Model.from_config(d.get_config())
    clone.set_weights(d.get_weights())
    x = np.random.default_rng(0).uniform(-1, 1, (3, 28, 28, 1)).astype("float32")
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(clone(x)), keras.ops.convert_to_numpy(d(x)), rtol=1e-5, atol=1e-6
    )
