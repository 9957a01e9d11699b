"""Tests for the CycleGAN ResNet generator."""

import keras
import numpy as np
import pytest

from keras_gans.layers.reflection_padding_2d import ReflectionPadding2D
from keras_gans.networks.resnet_generator import resnet_generator

FILTERS = 2
EPSILON = 1e-5


# Independent NumPy reference of the layers the docstring promises (PyTorch semantics).


def np_conv(x, kernel, bias=None, stride=1):
    """Cross-correlation without padding. kernel: (kh, kw, cin, cout)."""
    n, h, w, _ = x.shape
    kh, kw, _, cout = kernel.shape
    out_h, out_w = (h - kh) // stride + 1, (w - kw) // stride + 1
    out = np.zeros((n, out_h, out_w, cout))
    for a in range(kh):
        for b in range(kw):
            patch = x[:, a : a + stride * out_h : stride, b : b + stride * out_w : stride]
            out += patch @ kernel[a, b]
    return out if bias is None else out + bias


def np_torch_conv_transpose(x, kernel, stride=2, padding=1, output_padding=1):
    """PyTorch's ConvTranspose2d by its definition: out[i*s - p + k] += x[i] * w[k].

    kernel: (kh, kw, cout, cin), the Keras layout.
    """
    n, h, w, _ = x.shape
    kh, kw, cout, _ = kernel.shape
    out_h = (h - 1) * stride - 2 * padding + kh + output_padding
    out_w = (w - 1) * stride - 2 * padding + kw + output_padding
    out = np.zeros((n, out_h, out_w, cout))
    for i in range(h):
        for j in range(w):
            for a in range(kh):
                for b in range(kw):
                    r, c = i * stride - padding + a, j * stride - padding + b
                    if 0 <= r < out_h and 0 <= c < out_w:
                        out[:, r, c] += x[:, i, j] @ kernel[a, b].T
    return out


def np_instance_norm(x):
    mean = x.mean(axis=(1, 2), keepdims=True)
    return (x - mean) / np.sqrt(x.var(axis=(1, 2), keepdims=True) + EPSILON)


def reflect(x, pad):
    return np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0)), mode="reflect")


def weights_of(model, name):
    return [np.asarray(w, "float64") for w in model.get_layer(name).get_weights()]


def randomize_weights(model, rng):
    for layer in model.layers:
        layer.set_weights([rng.normal(0, 0.3, w.shape).astype("float32") for w in layer.get_weights()])


def test_matches_numpy_reference():
    rng = np.random.default_rng(0)
    generator = resnet_generator((8, 12, 2), output_channels=3, filters=FILTERS, num_residual_blocks=1)
    randomize_weights(generator, rng)
    x = rng.uniform(-1, 1, (2, 8, 12, 2)).astype("float32")

    relu = lambda v: np.maximum(v, 0)  # noqa: E731
    h = relu(np_instance_norm(np_conv(reflect(x, 3), *weights_of(generator, "input_conv"))))
    for block in (1, 2):
        padded = np.pad(h, ((0, 0), (1, 1), (1, 1), (0, 0)))
        h = relu(np_instance_norm(np_conv(padded, *weights_of(generator, f"down_{block}_conv"), stride=2)))
    assert h.shape == (2, 2, 3, 4 * FILTERS)
    y = relu(np_instance_norm(np_conv(reflect(h, 1), *weights_of(generator, "residual_1_conv_1"))))
    y = np_instance_norm(np_conv(reflect(y, 1), *weights_of(generator, "residual_1_conv_2")))
    h = h + y
    for block in (1, 2):
        (kernel,) = weights_of(generator, f"up_{block}_conv")
        h = relu(np_instance_norm(np_torch_conv_transpose(h, kernel)))
    assert h.shape == (2, 8, 12, FILTERS)
    expected = np.tanh(np_conv(reflect(h, 3), *weights_of(generator, "output_conv")))

    actual = keras.ops.convert_to_numpy(generator(x, training=False))
    assert actual.shape == (2, 8, 12, 3) and actual.dtype == np.float32
    np.testing.assert_allclose(actual, expected, atol=1e-4)


def test_paper_layout_and_parameter_count():
    blocks = 9
    generator = resnet_generator((None, None, 3), filters=FILTERS, num_residual_blocks=blocks)
    conv_types = (keras.layers.Conv2D, keras.layers.Conv2DTranspose)
    convs = [layer for layer in generator.layers if isinstance(layer, conv_types)]
    # c7s1-64, d128, d256, R256 x 9 (two convolutions each), u128, u64, c7s1-3 (F = 64).
    expected_filters = [1, 2, 4] + [4] * (2 * blocks) + [2, 1]
    assert [conv.filters for conv in convs] == [FILTERS * m for m in expected_filters] + [3]
    assert [tuple(conv.kernel_size) for conv in convs] == (
        [(7, 7)] + [(3, 3)] * (2 + 2 * blocks + 2) + [(7, 7)]
    )
    transposed = [type(conv).__name__ == "Conv2DTranspose" for conv in convs]
    assert transposed == [False] * (3 + 2 * blocks) + [True, True, False]
    pads = [layer.padding for layer in generator.layers if isinstance(layer, ReflectionPadding2D)]
    assert pads == [((3, 3), (3, 3))] + [((1, 1), (1, 1))] * (2 * blocks) + [((3, 3), (3, 3))]
    norms = [layer for layer in generator.layers if "norm" in layer.name]
    assert len(norms) == 3 + 2 * blocks + 2
    assert all(isinstance(n, keras.layers.GroupNormalization) and not n.scale for n in norms)
    for block in range(1, blocks + 1):
        add = generator.get_layer(f"residual_{block}_add")
        before = generator.get_layer("down_2_relu" if block == 1 else f"residual_{block - 1}_add")
        assert add.input[0] is before.output
    f = FILTERS
    expected = 49 * 3 * f + 9 * f * 2 * f + 9 * 2 * f * 4 * f + blocks * 2 * 9 * (4 * f) ** 2
    expected += 9 * 4 * f * 2 * f + 9 * 2 * f * f + 49 * f * 3 + 3
    assert generator.count_params() == expected


def test_fully_convolutional_shapes_and_range():
    generator = resnet_generator((None, None, 1), filters=FILTERS, num_residual_blocks=2)
    for shape in [(2, 28, 28, 1), (1, 32, 20, 1)]:
        y = keras.ops.convert_to_numpy(generator.predict(np.random.uniform(-1, 1, shape), verbose=0))
        assert y.shape == shape and np.all(np.abs(y) <= 1) and y.std() > 0
    batch_norm = resnet_generator((28, 28, 1), filters=FILTERS, num_residual_blocks=0, normalization="batch")
    assert sum(isinstance(layer, keras.layers.BatchNormalization) for layer in batch_norm.layers) == 5


def test_saved_model_round_trip_and_mixed_precision(tmp_path):
    generator = resnet_generator((28, 28, 1), filters=FILTERS, num_residual_blocks=2)
    x = np.random.uniform(-1, 1, (2, 28, 28, 1)).astype("float32")
    y = keras.ops.convert_to_numpy(generator(x))
    generator.save(tmp_path / "resnet.keras")
    restored = keras.models.load_model(tmp_path / "resnet.keras")
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(restored(x)), y)
    keras.mixed_precision.set_global_policy("mixed_float16")
    half = resnet_generator((28, 28, 1), filters=FILTERS, num_residual_blocks=1)
    assert half.get_layer("residual_1_conv_1").compute_dtype == "float16"
    assert half.get_layer("output_tanh").compute_dtype == "float32"
    assert keras.backend.standardize_dtype(half.output.dtype) == "float32"


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ValueError, match="multiple of 4"):
        resnet_generator((30, 28, 1))
    with pytest.raises(ValueError, match="image_shape"):
        resnet_generator((28, 28, None))
    with pytest.raises(ValueError, match="num_residual_blocks"):
        resnet_generator((28, 28, 1), num_residual_blocks=-1)
    with pytest.raises(ValueError, match="normalization"):
        resnet_generator((28, 28, 1), normalization="group")
    with pytest.raises(ValueError, match="output_channels"):
        resnet_generator((28, 28, 1), output_channels=0)
