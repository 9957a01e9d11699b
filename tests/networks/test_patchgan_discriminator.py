"""Tests for the PatchGAN discriminator."""

import keras
import numpy as np
import pytest

from keras_gans.networks.patchgan_discriminator import patchgan_discriminator

FILTERS = 2


def expected_receptive_field(num_downsamplings):
    """Side and start offset of a logit's input patch, from the layer list of the paper.

    Convolutions are 4x4 with one pixel of zero padding: `num_downsamplings` with
    stride 2, then two with stride 1. Walking from the logit back to the input, a
    patch of side `r` grows to `s * r + (k - s)`.
    """
    strides = [2] * num_downsamplings + [1, 1]
    side, offset, jump = 1, 0, 1
    for stride in reversed(strides):
        side = stride * side + (4 - stride)
    for stride in strides:
        offset += 1 * jump  # each layer's padding shifts the patch by one of its input pixels
        jump *= stride
    return side, offset, jump


def patch_of_logit(gradient_of, x, output_shape, row, column):
    """Rows and columns of the input pixels that one logit depends on (non-zero gradient)."""
    weights = np.zeros(output_shape, "float32")
    weights[0, row, column, 0] = 1.0
    gradient = gradient_of(x, weights)
    gradient = np.concatenate(gradient, axis=-1) if isinstance(gradient, list) else gradient
    gradient = np.abs(gradient)[0]
    rows, columns = np.nonzero(gradient.sum(axis=-1))
    return rows, columns, gradient


@pytest.mark.parametrize(
    "image_shape, num_downsamplings, side, output_side",
    [((256, 256, 3), 3, 70, 30), ((28, 28, 1), 1, 16, 12), ((64, 64, 1), 2, 34, 14)],
)
def test_receptive_field_and_output_map(image_shape, num_downsamplings, side, output_side, input_gradient):
    assert expected_receptive_field(num_downsamplings)[0] == side  # the paper's 70x70 (L=3)
    discriminator = patchgan_discriminator(image_shape, filters=FILTERS, num_downsamplings=num_downsamplings)
    x = np.random.uniform(-1, 1, (1,) + image_shape).astype("float32")
    logits = keras.ops.convert_to_numpy(discriminator(x, training=False))
    assert logits.shape == (1, output_side, output_side, 1) and logits.dtype == np.float32
    _, offset, jump = expected_receptive_field(num_downsamplings)
    gradient_of = input_gradient(discriminator)
    for row, column in [(output_side // 2, output_side // 2), (output_side // 2 + 1, 2)]:
        rows, columns, _ = patch_of_logit(gradient_of, x, logits.shape, row, column)
        start_row, start_column = row * jump - offset, column * jump - offset
        # Clipped by the image border where the patch leaves the image.
        assert rows.min() == max(start_row, 0) and rows.max() == start_row + side - 1
        assert columns.min() == max(start_column, 0)
        assert columns.max() == min(start_column + side - 1, image_shape[1] - 1)
    center = output_side // 2
    rows, columns, _ = patch_of_logit(gradient_of, x, logits.shape, center, center)
    assert rows.max() - rows.min() + 1 == side and columns.max() - columns.min() + 1 == side


def test_conditional_discriminator_judges_pairs(input_gradient):
    discriminator = patchgan_discriminator(
        (28, 28, 1), condition_shape=(28, 28, 2), filters=FILTERS, num_downsamplings=1
    )
    assert [tuple(t.shape) for t in discriminator.inputs] == [(None, 28, 28, 2), (None, 28, 28, 1)]
    assert discriminator.get_layer("block_1_conv").kernel.shape == (4, 4, 3, FILTERS)
    conditions = np.random.uniform(-1, 1, (1, 28, 28, 2)).astype("float32")
    images = np.random.uniform(-1, 1, (1, 28, 28, 1)).astype("float32")
    rows, columns, gradient = patch_of_logit(
        input_gradient(discriminator), [conditions, images], (1, 12, 12, 1), 6, 6
    )
    # Both the conditions and the images inside the 16x16 patch move the logit.
    assert (rows.min(), rows.max(), columns.min(), columns.max()) == (7, 22, 7, 22)
    patch = gradient[7:23, 7:23]
    assert np.all(patch[..., :2].sum(axis=-1) > 0) and np.all(patch[..., 2] > 0)
    logits = keras.ops.convert_to_numpy(discriminator([conditions, images]))
    other = keras.ops.convert_to_numpy(discriminator([conditions[:, ::-1], images]))
    assert logits.shape == (1, 12, 12, 1) and np.any(logits != other)


def test_layers_and_parameters_of_the_70x70_discriminator():
    # pix2pix's D on (input, output) pairs of 3-channel 256 px images.
    discriminator = patchgan_discriminator((256, 256, 3), condition_shape=(256, 256, 3), filters=FILTERS)
    convs = [layer for layer in discriminator.layers if isinstance(layer, keras.layers.Conv2D)]
    assert [conv.filters for conv in convs] == [FILTERS * m for m in (1, 2, 4, 8)] + [1]
    assert [conv.strides[0] for conv in convs] == [2, 2, 2, 1, 1]
    assert [conv.use_bias for conv in convs] == [True, False, False, False, True]
    assert all(tuple(conv.kernel_size) == (4, 4) and conv.padding == "valid" for conv in convs)
    norms = [type(layer).__name__ for layer in discriminator.layers if "norm" in layer.name]
    assert norms == ["BatchNormalization"] * 3

    def trainable_parameters(f):
        channels = [6, f, 2 * f, 4 * f, 8 * f, 1]
        convolutions = sum(16 * a * b for a, b in zip(channels, channels[1:])) + f + 1
        return convolutions + 2 * (2 * f + 4 * f + 8 * f)  # batch-norm scale and offset

    assert sum(int(np.prod(w.shape)) for w in discriminator.trainable_weights) == (
        trainable_parameters(FILTERS)
    )
    # With filters=64: the parameters of the reference PyTorch NLayerDiscriminator(6, 64, 3).
    assert trainable_parameters(64) == 2_768_705


def test_normalization_options():
    instance = patchgan_discriminator(
        (32, 32, 3), filters=FILTERS, num_downsamplings=1, normalization="instance"
    )
    norms = [layer for layer in instance.layers if "norm" in layer.name]
    assert len(norms) == 1 and isinstance(norms[0], keras.layers.GroupNormalization)
    # groups=-1 becomes one group per channel when built.
    assert norms[0].groups == 2 * FILTERS and not norms[0].scale and not norms[0].center
    # Instance normalization: each logit map is independent of the other images.
    x = np.random.uniform(-1, 1, (3, 32, 32, 3)).astype("float32")
    whole = keras.ops.convert_to_numpy(instance(x, training=True))
    single = keras.ops.convert_to_numpy(instance(x[:1], training=True))
    np.testing.assert_allclose(whole[:1], single, atol=1e-5)
    assert whole.shape == (3, 14, 14, 1)
    plain = patchgan_discriminator((32, 32, 3), filters=FILTERS, normalization=None, num_downsamplings=1)
    assert not any("norm" in layer.name for layer in plain.layers)
    assert all(layer.use_bias for layer in plain.layers if isinstance(layer, keras.layers.Conv2D))


def test_saved_model_round_trip(tmp_path):
    discriminator = patchgan_discriminator(
        (28, 28, 1), condition_shape=(28, 28, 1), filters=FILTERS, num_downsamplings=1
    )
    pair = [np.random.uniform(-1, 1, (2, 28, 28, 1)).astype("float32") for _ in range(2)]
    logits = keras.ops.convert_to_numpy(discriminator(pair, training=False))
    discriminator.save(tmp_path / "patchgan.keras")
    restored = keras.models.load_model(tmp_path / "patchgan.keras")
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(restored(pair, training=False)), logits)


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="same height and width"):
        patchgan_discriminator((28, 28, 1), condition_shape=(7, 7, 1))
    with pytest.raises(ValueError, match="too small"):
        patchgan_discriminator((28, 28, 1), num_downsamplings=4)
    with pytest.raises(ValueError, match="num_downsamplings"):
        patchgan_discriminator((28, 28, 1), num_downsamplings=0)
    with pytest.raises(ValueError, match="normalization"):
        patchgan_discriminator((28, 28, 1), normalization="layer")
    with pytest.raises(ValueError, match="image_shape"):
        patchgan_discriminator((28, 28))
