"""Tests for the SRGAN generator (sub-pixel up-sampling) and discriminator."""

import keras
import numpy as np
import pytest

from keras_gans.layers.depth_to_space import DepthToSpace
from keras_gans.networks.srgan_discriminator import srgan_discriminator
from keras_gans.networks.srgan_generator import srgan_generator

FILTERS = 4
BLOCKS = 2


def numpy_depth_to_space(x, r):
    """(h, w, (i*r + j)*C + c) -> (r*h + i, r*w + j, c), by reshape and transpose."""
    n, height, width, depth = x.shape
    channels = depth // (r * r)
    x = x.reshape(n, height, width, r, r, channels).transpose(0, 1, 3, 2, 4, 5)
    return x.reshape(n, height * r, width * r, channels)


def test_numpy_depth_to_space_reference_by_index():
    x = np.random.normal(size=(1, 2, 3, 8))
    y = numpy_depth_to_space(x, 2)
    for h, w, i, j, c in np.ndindex(2, 3, 2, 2, 2):
        assert y[0, 2 * h + i, 2 * w + j, c] == x[0, h, w, (i * 2 + j) * 2 + c]


def test_sub_pixel_upsampling_is_depth_to_space_of_the_convolution():
    generator = srgan_generator((7, 7, 1), scale=4, filters=FILTERS, num_residual_blocks=BLOCKS)
    probes = []
    for block in (1, 2):
        probes += [
            generator.get_layer(f"upsample_{block}_conv").output,
            generator.get_layer(f"upsample_{block}_depth_to_space").output,
        ]
    probe = keras.Model(generator.input, probes)
    x = np.random.uniform(-1, 1, (2, 7, 7, 1)).astype("float32")
    conv_1, shuffled_1, conv_2, shuffled_2 = probe.predict(x, verbose=0)
    assert conv_1.shape == (2, 7, 7, 4 * FILTERS) and shuffled_1.shape == (2, 14, 14, FILTERS)
    assert conv_2.shape == (2, 14, 14, 4 * FILTERS) and shuffled_2.shape == (2, 28, 28, FILTERS)
    np.testing.assert_array_equal(shuffled_1, numpy_depth_to_space(conv_1, 2))
    np.testing.assert_array_equal(shuffled_2, numpy_depth_to_space(conv_2, 2))


@pytest.mark.parametrize("scale, blocks", [(2, 1), (4, 2), (8, 3)])
def test_scales_and_shapes(scale, blocks):
    generator = srgan_generator((None, None, 1), scale=scale, filters=FILTERS, num_residual_blocks=BLOCKS)
    shuffles = [layer for layer in generator.layers if isinstance(layer, DepthToSpace)]
    assert len(shuffles) == blocks and all(layer.block_size == 2 for layer in shuffles)
    for shape in [(2, 7, 7, 1), (1, 5, 3, 1)]:
        y = generator.predict(np.random.uniform(-1, 1, shape), verbose=0)
        assert y.shape == (shape[0], shape[1] * scale, shape[2] * scale, 1)
        assert y.dtype == np.float32 and np.all(np.abs(y) <= 1)


def test_scale_it_cannot_produce_raises():
    for scale in [3, 6, 1, 0, -2, 2.0, True, "4"]:
        with pytest.raises(ValueError, match=r"power of two.*Received: scale="):
            srgan_generator((7, 7, 1), scale=scale)


def test_generator_layout_of_figure_4():
    generator = srgan_generator((None, None, 3), scale=4, filters=FILTERS, num_residual_blocks=3)
    assert tuple(generator.get_layer("input_conv").kernel_size) == (9, 9)
    assert tuple(generator.get_layer("output_conv").kernel_size) == (9, 9)
    prelus = [layer for layer in generator.layers if isinstance(layer, keras.layers.PReLU)]
    assert len(prelus) == 1 + 3 + 2  # input, one per residual block, one per up-sampling
    assert all(tuple(layer.shared_axes) == (1, 2) for layer in prelus)
    alphas = np.concatenate([keras.ops.convert_to_numpy(layer.alpha).ravel() for layer in prelus])
    np.testing.assert_array_equal(alphas, 0.25)
    for block in (1, 2, 3):
        add = generator.get_layer(f"residual_{block}_add")
        before = generator.get_layer("input_prelu" if block == 1 else f"residual_{block - 1}_add")
        assert add.input[0] is before.output
    long_skip = generator.get_layer("trunk_add")
    assert long_skip.input[0] is generator.get_layer("input_prelu").output
    assert long_skip.input[1] is generator.get_layer("trunk_norm").output
    norms = [layer for layer in generator.layers if isinstance(layer, keras.layers.BatchNormalization)]
    assert len(norms) == 2 * 3 + 1
    assert generator.get_layer("output_tanh").dtype_policy.name == "float32"


def test_generator_saved_model_round_trip(tmp_path):
    generator = srgan_generator((None, None, 1), scale=2, filters=FILTERS, num_residual_blocks=BLOCKS)
    x = np.random.uniform(-1, 1, (2, 7, 7, 1)).astype("float32")
    y = generator.predict(x, verbose=0)
    generator.save(tmp_path / "srgan_generator.keras")
    restored = keras.models.load_model(tmp_path / "srgan_generator.keras")
    np.testing.assert_array_equal(restored.predict(x, verbose=0), y)
    assert restored.get_layer("upsample_1_depth_to_space").block_size == 2


def test_discriminator_layout_and_round_trip(tmp_path):
    discriminator = srgan_discriminator((28, 28, 1), filters=FILTERS, dense_units=16)
    convs = [layer for layer in discriminator.layers if isinstance(layer, keras.layers.Conv2D)]
    # k3n64s1, k3n64s2, k3n128s1, k3n128s2, k3n256s1, k3n256s2, k3n512s1, k3n512s2 (F = 64).
    assert [conv.filters for conv in convs] == [FILTERS * m for m in (1, 1, 2, 2, 4, 4, 8, 8)]
    assert [conv.strides[0] for conv in convs] == [1, 2, 1, 2, 1, 2, 1, 2]
    assert all(tuple(conv.kernel_size) == (3, 3) for conv in convs)
    norms = [layer.name for layer in discriminator.layers if "norm" in layer.name]
    assert norms == [f"block_{i}_norm" for i in range(2, 9)]
    assert tuple(discriminator.get_layer("block_8_lrelu").output.shape) == (None, 2, 2, 8 * FILTERS)
    assert discriminator.get_layer("dense").units == 16
    x = np.random.uniform(-1, 1, (3, 28, 28, 1)).astype("float32")
    logits = discriminator.predict(x, verbose=0)
    assert logits.shape == (3, 1) and logits.dtype == np.float32
    discriminator.save(tmp_path / "srgan_discriminator.keras")
    restored = keras.models.load_model(tmp_path / "srgan_discriminator.keras")
    np.testing.assert_array_equal(restored.predict(x, verbose=0), logits)
    with pytest.raises(ValueError, match="image_shape"):
        srgan_discriminator((None, None, 1))
    with pytest.raises(ValueError, match="dense_units"):
        srgan_discriminator((28, 28, 1), dense_units=0)
