"""Tests for the pix2pix U-Net generator."""

import keras
import numpy as np
import pytest

from keras_gans.layers.sampling_dropout import SamplingDropout
from keras_gans.networks.unet_generator import unet_generator

# One width for every test: on JAX each new weight shape costs an initializer compilation.
FILTERS = 4


def layer_types(model):
    return [type(layer).__name__ for layer in model.layers]


def randomize_weights(model, rng, others=()):
    """Weights of a larger scale than the N(0, 0.02) start, so that deep paths matter."""
    for layer in model.layers:
        weights = [rng.normal(0, 0.3, w.shape).astype("float32") for w in layer.get_weights()]
        if "norm" in layer.name:  # moving variance must stay positive
            weights = [np.abs(w) + 0.5 for w in weights]
        layer.set_weights(weights)
        for other in others:
            other.get_layer(layer.name).set_weights(weights)


def test_paper_architecture_for_256_px():
    # filters=64 gives C64-C128-C256-C512-C512-C512-C512-C512 and
    # CD512-CD512-CD512-C512-C256-C128-C64; a 16x narrower copy builds faster.
    generator = unet_generator((256, 256, 3), filters=FILTERS)
    encoder = [generator.get_layer(f"encoder_{i}_conv") for i in range(1, 9)]
    decoder = [generator.get_layer(f"decoder_{j}_conv") for j in range(1, 8)]
    assert [conv.filters * 16 for conv in encoder] == [64, 128, 256, 512, 512, 512, 512, 512]
    assert [conv.filters * 16 for conv in decoder] == [512, 512, 512, 512, 256, 128, 64]
    for conv in encoder + decoder + [generator.get_layer("output_conv")]:
        assert tuple(conv.kernel_size) == (4, 4) and tuple(conv.strides) == (2, 2)
    assert tuple(generator.get_layer("encoder_8_lrelu").output.shape) == (None, 1, 1, 8 * FILTERS)
    names = {layer.name for layer in generator.layers}
    # No normalization in the first and the bottleneck encoder blocks.
    assert "encoder_1_norm" not in names and "encoder_8_norm" not in names
    assert all(f"encoder_{i}_norm" in names for i in range(2, 8))
    dropouts = [layer for layer in generator.layers if isinstance(layer, SamplingDropout)]
    assert [layer.name for layer in dropouts] == [f"decoder_{j}_dropout" for j in (1, 2, 3)]
    assert all(layer.rate == 0.5 and layer.at_sampling for layer in dropouts)
    for layer in generator.layers:
        if isinstance(layer, keras.layers.LeakyReLU):
            assert layer.negative_slope == pytest.approx(0.2)
    # Concatenated decoder widths: 1024 after the first six blocks, 128 after the last.
    concat = [generator.get_layer(f"decoder_{j}_concat").output.shape[-1] for j in range(1, 8)]
    assert [width * 16 for width in concat] == [1024, 1024, 1024, 1024, 512, 256, 128]
    assert generator.output.shape[1:] == (256, 256, 3)


@pytest.mark.parametrize(
    "image_shape, output_channels, depth",
    [((28, 28, 2), 1, 5), ((32, 32, 1), None, 5), ((64, 64, 3), None, 6)],
)
def test_shapes_and_range(image_shape, output_channels, depth):
    generator = unet_generator(image_shape, output_channels, filters=FILTERS)
    bottleneck = generator.get_layer(f"encoder_{depth}_lrelu")
    assert tuple(bottleneck.output.shape[1:3]) == (1, 1)
    assert f"encoder_{depth + 1}_conv" not in {layer.name for layer in generator.layers}
    x = np.random.uniform(-1, 1, (2,) + image_shape).astype("float32")
    y = generator.predict(x, verbose=0)
    channels = image_shape[-1] if output_channels is None else output_channels
    assert y.shape == (2,) + image_shape[:2] + (channels,)
    assert y.dtype == np.float32 and np.all(np.abs(y) <= 1) and y.std() > 0


def test_28_px_is_the_32_px_network_on_reflection_padded_images():
    small = unet_generator((28, 28, 1), filters=FILTERS, dropout_at_sampling=False)
    large = unet_generator((32, 32, 1), filters=FILTERS, dropout_at_sampling=False)
    assert tuple(small.get_layer("input_padding").output.shape) == (None, 32, 32, 1)
    rng = np.random.default_rng(0)
    randomize_weights(large, rng, others=[small])
    x = rng.uniform(-1, 1, (2, 28, 28, 1)).astype("float32")
    padded = np.pad(x, ((0, 0), (2, 2), (2, 2), (0, 0)), mode="reflect")
    expected = keras.ops.convert_to_numpy(large(padded, training=False))[:, 2:30, 2:30]
    actual = keras.ops.convert_to_numpy(small(x, training=False))
    np.testing.assert_allclose(actual, expected, atol=1e-5)


def test_dropout_is_the_noise_at_sampling():
    x = np.random.uniform(-1, 1, (2, 32, 32, 1)).astype("float32")
    noisy = unet_generator((32, 32, 1), filters=FILTERS, seed=1)
    plain = unet_generator((32, 32, 1), filters=FILTERS, dropout_at_sampling=False)
    randomize_weights(noisy, np.random.default_rng(1), others=[plain])
    first, second = (keras.ops.convert_to_numpy(noisy(x, training=False)) for _ in range(2))
    assert np.mean(np.abs(first - second)) > 0.01
    first, second = (keras.ops.convert_to_numpy(plain(x, training=False)) for _ in range(2))
    np.testing.assert_array_equal(first, second)
    assert np.any(keras.ops.convert_to_numpy(plain(x, training=True)) != first)
    none = unet_generator((32, 32, 1), filters=FILTERS, dropout_rate=0.0)
    assert not any(isinstance(layer, keras.layers.Dropout) for layer in none.layers)
    two = unet_generator((32, 32, 1), filters=FILTERS, num_dropout_blocks=2, dropout_rate=0.2)
    rates = [layer.rate for layer in two.layers if isinstance(layer, keras.layers.Dropout)]
    assert rates == [0.2, 0.2]


def test_skip_connections_join_mirrored_levels_and_carry_the_gradient(input_gradient):
    generator = unet_generator((32, 32, 1), filters=FILTERS, normalization=None, dropout_at_sampling=False)
    depth = 5
    for block in range(1, depth):
        concat = generator.get_layer(f"decoder_{block}_concat")
        skip = generator.get_layer(f"encoder_{depth - block}_lrelu").output
        assert concat.input[1] is skip
        assert concat.input[0] is generator.get_layer(f"decoder_{block}_relu").output

    gradient_of = input_gradient(generator)
    x = np.random.uniform(-1, 1, (1, 32, 32, 1)).astype("float32")
    weights = np.zeros((1, 32, 32, 1), "float32")
    weights[0, 16, 16, 0] = 1.0  # the gradient of one output pixel
    # Intact network: the path through the 1x1 bottleneck reaches every input pixel.
    gradient = np.abs(gradient_of(x, weights))[0, :, :, 0]
    assert gradient[0, 0] > 0 and gradient[31, 31] > 0 and np.mean(gradient > 0) > 0.9
    # Cut every path below the first encoder block: only its skip connection is left,
    # so the output pixel still depends on the input, but only on a small window.
    second = generator.get_layer("encoder_2_conv")
    second.set_weights([np.zeros_like(w) for w in second.get_weights()])
    gradient = np.abs(gradient_of(x, weights))[0, :, :, 0]
    rows, columns = np.nonzero(gradient)
    assert len(rows) > 0
    assert rows.min() >= 12 and rows.max() <= 20 and columns.min() >= 12 and columns.max() <= 20
    # ... and without that skip (its kernel rows in the output convolution zeroed) none.
    output_conv = generator.get_layer("output_conv")
    kernel, bias = output_conv.get_weights()
    kernel[..., FILTERS:] = 0.0  # Conv2DTranspose kernels are (h, w, out, in)
    output_conv.set_weights([kernel, bias])
    np.testing.assert_array_equal(gradient_of(x, weights), 0.0)


def test_saved_model_round_trip(tmp_path):
    generator = unet_generator((28, 28, 2), 1, filters=FILTERS, dropout_at_sampling=False)
    x = np.random.uniform(-1, 1, (2, 28, 28, 2)).astype("float32")
    y = keras.ops.convert_to_numpy(generator(x, training=False))
    generator.save(tmp_path / "unet.keras")
    restored = keras.models.load_model(tmp_path / "unet.keras")
    assert layer_types(restored) == layer_types(generator)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(restored(x, training=False)), y)
    sampling = unet_generator((32, 32, 1), filters=FILTERS)
    sampling.save(tmp_path / "sampling.keras")
    restored = keras.models.load_model(tmp_path / "sampling.keras")
    assert restored.get_layer("decoder_1_dropout").at_sampling


def test_mixed_precision_output_is_float32():
    keras.mixed_precision.set_global_policy("mixed_float16")
    generator = unet_generator((32, 32, 1), filters=FILTERS)
    assert generator.get_layer("decoder_1_conv").compute_dtype == "float16"
    # The last layer computes in float32 (a float16 call would cost JAX compilations).
    assert generator.get_layer("output_tanh").compute_dtype == "float32"
    assert keras.backend.standardize_dtype(generator.output.dtype) == "float32"


def test_bad_arguments_raise_clear_errors():
    cases = [
        (dict(image_shape=(28, 28)), "image_shape"),
        (dict(image_shape=(32, 32, 1), num_downsamplings=6), "num_downsamplings"),
        (dict(image_shape=(32, 32, 1), num_downsamplings=1), "num_downsamplings"),
        (dict(image_shape=(32, 32, 1), dropout_rate=1.0), "dropout_rate"),
        (dict(image_shape=(32, 32, 1), normalization="layer"), "normalization"),
        (dict(image_shape=(32, 32, 1), output_channels=0), "output_channels"),
        (dict(image_shape=(32, 32, 1), num_dropout_blocks=-1), "num_dropout_blocks"),
        (dict(image_shape=(32, 32, 1), dropout_at_sampling="no"), "dropout_at_sampling"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValueError, match=message):
            unet_generator(filters=FILTERS, **kwargs)
