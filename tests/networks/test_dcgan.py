"""Tests for the DCGAN generator and discriminator builders."""

import keras
import numpy as np
import pytest

from keras_gans.networks import dcgan_base_grid
from keras_gans.networks import dcgan_discriminator
from keras_gans.networks import dcgan_generator

EPSILON = 1e-5
# Tests share a few small configurations: on JAX every new weight shape costs a compilation.
LATENT_DIM = 8
FILTERS = 2
BATCH = 2


# ---------------------------------------------------------------------------
# Independent NumPy reference of the layers the docstrings promise.
# ---------------------------------------------------------------------------


def np_conv2d_same(x, kernel, bias, stride=2):
    """Cross-correlation with TensorFlow-style "same" padding. kernel: (kh, kw, cin, cout)."""
    n, h, w, _ = x.shape
    kh, kw, _, cout = kernel.shape
    out_h, out_w = -(-h // stride), -(-w // stride)
    pad_h = max((out_h - 1) * stride + kh - h, 0)
    pad_w = max((out_w - 1) * stride + kw - w, 0)
    x = np.pad(x, ((0, 0), (pad_h // 2, pad_h - pad_h // 2), (pad_w // 2, pad_w - pad_w // 2), (0, 0)))
    out = np.zeros((n, out_h, out_w, cout))
    for a in range(kh):
        for b in range(kw):
            patch = x[:, a : a + stride * out_h : stride, b : b + stride * out_w : stride, :]
            out += patch @ kernel[a, b]
    return out if bias is None else out + bias


def np_conv2d_transpose_same(x, kernel, bias, stride=2):
    """Transposed convolution, "same" output size. kernel: (kh, kw, cout, cin)."""
    n, h, w, _ = x.shape
    kh, kw, cout, _ = kernel.shape
    full = np.zeros((n, (h - 1) * stride + kh, (w - 1) * stride + kw, cout))
    for a in range(kh):
        for b in range(kw):
            full[:, a : a + stride * h : stride, b : b + stride * w : stride, :] += x @ kernel[a, b].T
    crop_h = (kh - stride) // 2
    crop_w = (kw - stride) // 2
    out = full[:, crop_h : crop_h + stride * h, crop_w : crop_w + stride * w, :]
    return out if bias is None else out + bias


def np_batch_norm_inference(x, gamma, beta, mean, variance):
    return (x - mean) / np.sqrt(variance + EPSILON) * gamma + beta


def np_layer_norm(x, gamma, beta):
    mean = x.mean(axis=(1, 2, 3), keepdims=True)
    variance = x.var(axis=(1, 2, 3), keepdims=True)
    return (x - mean) / np.sqrt(variance + EPSILON) * gamma + beta


def np_leaky_relu(x):
    return np.where(x > 0, x, 0.2 * x)


def randomize_weights(model, rng):
    """Gives every weight (moving statistics included) a random, non-trivial value."""
    for layer in model.layers:
        values = []
        for variable in layer.weights:
            shape = tuple(variable.shape)
            if "variance" in variable.path:
                values.append(rng.uniform(0.5, 2.0, shape))
            elif "gamma" in variable.path:
                values.append(rng.uniform(0.5, 1.5, shape))
            else:
                values.append(rng.normal(0.0, 0.1, shape))
        if values:
            layer.set_weights([v.astype("float32") for v in values])


def weights_of(model, layer_name):
    return [np.asarray(w, dtype="float64") for w in model.get_layer(layer_name).get_weights()]


def layer_types(model):
    return [type(layer).__name__ for layer in model.layers]


def assert_dcgan_initializers(model):
    """Kernels from N(0, 0.02), batch-norm gamma from N(1, 0.02), biases and beta zero."""
    for layer in model.layers:
        if hasattr(layer, "kernel_initializer"):
            initializer = layer.kernel_initializer
            assert isinstance(initializer, keras.initializers.RandomNormal), layer.name
            assert (initializer.mean, initializer.stddev) == (0.0, 0.02), layer.name
        if isinstance(layer, keras.layers.BatchNormalization):
            initializer = layer.gamma_initializer
            assert isinstance(initializer, keras.initializers.RandomNormal), layer.name
            assert (initializer.mean, initializer.stddev) == (1.0, 0.02), layer.name
        for variable in layer.weights:
            if variable.path.endswith(("bias", "beta")):
                assert np.all(keras.ops.convert_to_numpy(variable) == 0), variable.path


def random_latents(rng=None):
    rng = rng or np.random.default_rng(0)
    return rng.normal(size=(BATCH, LATENT_DIM)).astype("float32")


# ---------------------------------------------------------------------------
# Base grid and argument checks.
# ---------------------------------------------------------------------------


def test_base_grid_halves_while_even_and_above_four():
    cases = {
        (28, 28, 1): (7, 7, 2),
        (32, 32, 3): (4, 4, 3),
        (64, 64, 3): (4, 4, 4),
        (128, 128, 1): (4, 4, 5),
        (28, 36, 3): (7, 9, 2),
        (8, 8, 1): (4, 4, 1),
    }
    for image_shape, expected in cases.items():
        assert dcgan_base_grid(image_shape) == expected
        base_h, base_w, steps = expected
        assert (base_h * 2**steps, base_w * 2**steps) == image_shape[:2]


def test_bad_arguments_raise_clear_errors():
    bad_shapes = {
        (30, 30, 1): "multiples of 4",
        (28, 26, 1): "multiples of 4",
        (4, 4, 1): "at least 8",
        (32, 64, 3): "same number of halvings",
        (28, 32, 1): "same number of halvings",
        (28, 28): r"\(height, width, channels\)",
        (28, 28, 0): "positive integers",
        (28.0, 28, 1): "positive integers",
    }
    for image_shape, message in bad_shapes.items():
        with pytest.raises(ValueError, match=message):
            dcgan_generator(latent_dim=4, image_shape=image_shape, filters=2)
        with pytest.raises(ValueError, match=message):
            dcgan_discriminator(image_shape=image_shape, filters=2)
    with pytest.raises(ValueError, match="normalization"):
        dcgan_discriminator((28, 28, 1), normalization="instance")
    with pytest.raises(ValueError, match="filters"):
        dcgan_discriminator((28, 28, 1), filters=0)
    with pytest.raises(ValueError, match="latent_dim"):
        dcgan_generator(latent_dim=-1)
    with pytest.raises(ValueError, match="filters"):
        dcgan_generator(filters=2.5)


# ---------------------------------------------------------------------------
# Shapes, dtypes and the architecture guidelines.
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "image_shape, steps", [((28, 28, 1), 2), ((32, 32, 3), 3), ((64, 64, 1), 4), ((128, 128, 3), 5)]
)
def test_generator_shapes_and_structure(image_shape, steps):
    generator = dcgan_generator(LATENT_DIM, image_shape, filters=FILTERS)
    images = keras.ops.convert_to_numpy(generator(random_latents(), training=False))
    assert images.shape == (BATCH,) + image_shape
    assert images.dtype == np.float32
    assert np.all(np.abs(images) <= 1.0) and np.std(images) > 0

    expected = ["InputLayer", "Dense", "BatchNormalization", "ReLU", "Reshape"]
    expected += ["Conv2DTranspose", "BatchNormalization", "ReLU"] * (steps - 1)
    expected += ["Conv2DTranspose", "Activation"]
    assert layer_types(generator) == expected
    layers = generator.layers
    # No bias before a batch norm; PyTorch's epsilon.
    for layer, following in zip(layers, layers[1:]):
        if isinstance(following, keras.layers.BatchNormalization):
            assert not layer.use_bias
        if isinstance(layer, keras.layers.BatchNormalization):
            assert layer.epsilon == EPSILON
    convs = [layer for layer in layers if isinstance(layer, keras.layers.Conv2DTranspose)]
    assert convs[-1].use_bias
    for conv in convs:
        assert tuple(conv.kernel_size) == (4, 4)
        assert tuple(conv.strides) == (2, 2)
        assert conv.padding == "same"
    # Filters halve at each step; the last hidden block has `filters` channels.
    hidden = [FILTERS * 2**i for i in range(steps - 2, -1, -1)]
    assert [conv.filters for conv in convs] == hidden + [image_shape[-1]]
    base_side = image_shape[0] // 2**steps
    reshape = generator.get_layer("projection_reshape")
    assert tuple(reshape.output.shape) == (None, base_side, base_side, FILTERS * 2 ** (steps - 1))
    tanh = layers[-1]
    assert tanh.activation is keras.activations.tanh
    assert tanh.dtype_policy.name == "float32"
    assert_dcgan_initializers(generator)


@pytest.mark.parametrize(
    "image_shape, normalization",
    [((28, 28, 1), "batch"), ((32, 32, 3), "layer"), ((64, 64, 1), None), ((128, 128, 3), "batch")],
)
def test_discriminator_shapes_and_structure(image_shape, normalization):
    steps = dcgan_base_grid(image_shape)[-1]
    discriminator = dcgan_discriminator(image_shape, filters=FILTERS, normalization=normalization)
    images = np.random.uniform(-1, 1, size=(BATCH,) + image_shape).astype("float32")
    logits = keras.ops.convert_to_numpy(discriminator(images, training=False))
    assert logits.shape == (BATCH, 1)
    assert logits.dtype == np.float32

    norm_type = {"batch": ["BatchNormalization"], "layer": ["LayerNormalization"], None: []}
    expected = ["InputLayer", "Conv2D", "LeakyReLU"]
    expected += (["Conv2D"] + norm_type[normalization] + ["LeakyReLU"]) * (steps - 1)
    expected += ["Flatten", "Dense"]
    assert layer_types(discriminator) == expected
    assert not any("Pooling" in name for name in layer_types(discriminator))

    convs = [layer for layer in discriminator.layers if isinstance(layer, keras.layers.Conv2D)]
    assert [conv.filters for conv in convs] == [FILTERS * 2**i for i in range(steps)]
    for index, conv in enumerate(convs):
        assert tuple(conv.kernel_size) == (4, 4)
        assert tuple(conv.strides) == (2, 2)
        assert conv.padding == "same"
        # A bias only where no normalization follows.
        assert conv.use_bias == (index == 0 or normalization is None)
    base_side = image_shape[0] // 2**steps
    last_block = discriminator.get_layer(f"down_{steps}_lrelu")
    top_filters = FILTERS * 2 ** (steps - 1)
    assert tuple(last_block.output.shape) == (None, base_side, base_side, top_filters)
    for layer in discriminator.layers:
        if isinstance(layer, keras.layers.LeakyReLU):
            assert layer.negative_slope == pytest.approx(0.2)
        if isinstance(layer, (keras.layers.BatchNormalization, keras.layers.LayerNormalization)):
            assert layer.epsilon == EPSILON
    dense = discriminator.layers[-1]
    assert dense.units == 1 and dense.activation is keras.activations.linear
    assert dense.dtype_policy.name == "float32"
    assert_dcgan_initializers(discriminator)


def test_mixed_precision_outputs_are_float32():
    keras.mixed_precision.set_global_policy("mixed_float16")
    generator = dcgan_generator(LATENT_DIM, (28, 28, 1), filters=FILTERS)
    # The hidden layers really compute in float16 ...
    assert generator.get_layer("output_conv").compute_dtype == "float16"
    images = generator(random_latents(), training=True)
    # ... but the images come out in float32,
    assert keras.backend.standardize_dtype(images.dtype) == "float32"
    for normalization in ["batch", "layer"]:
        discriminator = dcgan_discriminator((28, 28, 1), FILTERS, normalization=normalization)
        assert discriminator.get_layer("down_2_conv").compute_dtype == "float16"
        logits = discriminator(images, training=True)
        # ... and so do the logits.
        assert keras.backend.standardize_dtype(logits.dtype) == "float32"
        assert np.all(np.isfinite(keras.ops.convert_to_numpy(logits)))


def test_only_batch_norm_mixes_samples():
    # A WGAN-GP critic must score each sample on its own: batch norm in training mode
    # mixes the samples of a batch, layer norm does not.
    images = np.random.uniform(-1, 1, size=(2 * BATCH, 28, 28, 1)).astype("float32")
    for normalization in ["batch", "layer"]:
        discriminator = dcgan_discriminator((28, 28, 1), FILTERS, normalization=normalization)
        whole = keras.ops.convert_to_numpy(discriminator(images, training=True))
        half = keras.ops.convert_to_numpy(discriminator(images[:BATCH], training=True))
        independent = np.allclose(whole[:BATCH], half, atol=1e-5)
        assert independent == (normalization != "batch"), normalization


def test_initial_weights_follow_guidelines():
    generator = dcgan_generator(latent_dim=100, image_shape=(28, 28, 1), filters=FILTERS)
    projection = keras.ops.convert_to_numpy(generator.get_layer("projection").kernel)
    assert projection.shape == (100, 7 * 7 * 2 * FILTERS)
    # ~20k draws: the sample std is within 0.5% of 0.02 (1 sigma).
    assert abs(projection.mean()) < 1e-3
    assert projection.std() == pytest.approx(0.02, rel=0.025)
    up = keras.ops.convert_to_numpy(generator.get_layer("up_1_conv").kernel)
    assert up.std() == pytest.approx(0.02, rel=0.3)
    gammas = np.concatenate(
        [
            keras.ops.convert_to_numpy(layer.gamma)
            for layer in generator.layers
            if isinstance(layer, keras.layers.BatchNormalization)
        ]
    )
    assert gammas.size == 7 * 7 * 2 * FILTERS + FILTERS
    assert gammas.mean() == pytest.approx(1.0, abs=0.007)
    assert gammas.std() == pytest.approx(0.02, rel=0.25)


# ---------------------------------------------------------------------------
# Forward pass against NumPy.
# ---------------------------------------------------------------------------


def test_generator_matches_numpy_reference():
    rng = np.random.default_rng(0)
    # Non-square with 3 channels: 28 x 20 starts from a 7 x 5 grid.
    generator = dcgan_generator(LATENT_DIM, (28, 20, 3), filters=FILTERS)
    randomize_weights(generator, rng)
    z = random_latents(rng)

    (dense,) = weights_of(generator, "projection")
    x = z.astype("float64") @ dense
    x = np.maximum(np_batch_norm_inference(x, *weights_of(generator, "projection_bn")), 0)
    x = x.reshape(BATCH, 7, 5, 2 * FILTERS)
    (kernel,) = weights_of(generator, "up_1_conv")
    x = np_conv2d_transpose_same(x, kernel, None)
    x = np.maximum(np_batch_norm_inference(x, *weights_of(generator, "up_1_bn")), 0)
    kernel, bias = weights_of(generator, "output_conv")
    expected = np.tanh(np_conv2d_transpose_same(x, kernel, bias))

    actual = keras.ops.convert_to_numpy(generator(z, training=False))
    assert actual.shape == (BATCH, 28, 20, 3)
    np.testing.assert_allclose(actual, expected, atol=2e-5)


def test_discriminator_matches_numpy_reference():
    rng = np.random.default_rng(1)
    images = rng.uniform(-1, 1, size=(BATCH, 28, 20, 3)).astype("float32")
    for normalization in ["batch", "layer", None]:
        discriminator = dcgan_discriminator((28, 20, 3), FILTERS, normalization=normalization)
        randomize_weights(discriminator, rng)
        last_block = discriminator.get_layer("down_2_lrelu")
        assert tuple(last_block.output.shape) == (None, 7, 5, 2 * FILTERS)

        x = images.astype("float64")
        x = np_leaky_relu(np_conv2d_same(x, *weights_of(discriminator, "down_1_conv")))
        if normalization is None:
            x = np_conv2d_same(x, *weights_of(discriminator, "down_2_conv"))
        else:
            (kernel,) = weights_of(discriminator, "down_2_conv")
            x = np_conv2d_same(x, kernel, None)
        if normalization == "batch":
            x = np_batch_norm_inference(x, *weights_of(discriminator, "down_2_bn"))
        elif normalization == "layer":
            x = np_layer_norm(x, *weights_of(discriminator, "down_2_ln"))
        x = np_leaky_relu(x).reshape(BATCH, -1)
        kernel, bias = weights_of(discriminator, "logits")
        expected = x @ kernel + bias

        actual = keras.ops.convert_to_numpy(discriminator(images, training=False))
        np.testing.assert_allclose(actual, expected, atol=2e-5, err_msg=str(normalization))


# ---------------------------------------------------------------------------
# Serialization.
# ---------------------------------------------------------------------------


def test_saved_models_round_trip(tmp_path):
    rng = np.random.default_rng(2)
    generator = dcgan_generator(LATENT_DIM, (28, 20, 3), filters=FILTERS)
    critic = dcgan_discriminator((28, 20, 3), FILTERS, normalization="layer", name="critic")
    randomize_weights(generator, rng)
    randomize_weights(critic, rng)
    z = random_latents(rng)
    images = keras.ops.convert_to_numpy(generator(z, training=False))
    logits = keras.ops.convert_to_numpy(critic(images, training=False))

    generator.save(tmp_path / "generator.keras")
    critic.save(tmp_path / "critic.keras")
    loaded_generator = keras.models.load_model(tmp_path / "generator.keras")
    loaded_critic = keras.models.load_model(tmp_path / "critic.keras")

    assert (loaded_generator.name, loaded_critic.name) == ("generator", "critic")
    assert layer_types(loaded_generator) == layer_types(generator)
    assert layer_types(loaded_critic) == layer_types(critic)
    loaded_images = keras.ops.convert_to_numpy(loaded_generator(z, training=False))
    np.testing.assert_array_equal(loaded_images, images)
    loaded_logits = keras.ops.convert_to_numpy(loaded_critic(images, training=False))
    np.testing.assert_array_equal(loaded_logits, logits)
