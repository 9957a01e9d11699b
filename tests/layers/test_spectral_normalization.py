import keras
import numpy as np
import pytest

from keras_gans.layers import SpectralNormalization

from testing import VECTORS
from testing import run_layer_checks
from testing import to_numpy


def top_singular_value(kernel, out_axis=-1):
    kernel = np.moveaxis(np.asarray(kernel, "float64"), out_axis, -1)
    return np.linalg.svd(kernel.reshape(-1, kernel.shape[-1]), compute_uv=False)[0]


def numpy_sigma(kernel, u, out_axis=-1):
    """The wrapper's estimate ||W u^T|| (u of unit norm) for the reshaped W."""
    kernel = np.moveaxis(np.asarray(kernel, "float64"), out_axis, -1)
    matrix = kernel.reshape(-1, kernel.shape[-1])
    u = np.asarray(u, "float64")
    return np.linalg.norm(matrix @ (u / np.linalg.norm(u)).T)


def numpy_conv2d_valid(x, kernel, stride=1):
    kh, kw = kernel.shape[:2]
    out_h = (x.shape[1] - kh) // stride + 1
    out_w = (x.shape[2] - kw) // stride + 1
    out = np.zeros((x.shape[0], out_h, out_w, kernel.shape[-1]))
    for i in range(out_h):
        for j in range(out_w):
            patch = x[:, i * stride : i * stride + kh, j * stride : j * stride + kw]
            out[:, i, j] = np.einsum("bhwc,hwco->bo", patch, kernel)
    return out


def numpy_conv2d_transpose_valid(x, kernel, stride):
    kh, kw = kernel.shape[:2]
    out = np.zeros(
        (
            x.shape[0],
            (x.shape[1] - 1) * stride + kh,
            (x.shape[2] - 1) * stride + kw,
            kernel.shape[2],
        )
    )
    for i in range(x.shape[1]):
        for j in range(x.shape[2]):
            out[:, i * stride : i * stride + kh, j * stride : j * stride + kw] += np.einsum(
                "bc,hwoc->bhwo", x[:, i, j], kernel
            )
    return out


def numpy_reference_output(wrapper, inputs, normalized):
    """The wrapped layer's op, computed in NumPy from the normalized kernel."""
    layer = wrapper.layer
    if isinstance(layer, keras.layers.Embedding):
        return normalized[inputs]
    if isinstance(layer, keras.layers.Conv2DTranspose):
        out = numpy_conv2d_transpose_valid(inputs, normalized, layer.strides[0])
    elif isinstance(layer, keras.layers.Conv2D):
        out = numpy_conv2d_valid(inputs, normalized, layer.strides[0])
    else:
        out = inputs @ normalized
    out = out + to_numpy(layer.bias)
    return np.maximum(out, 0.0) if layer.get_config()["activation"] == "relu" else out


@pytest.mark.parametrize(
    "make_layer, input_shape, out_axis",
    [
        (lambda: keras.layers.Dense(5, bias_initializer="ones"), (3, 7), -1),
        (
            lambda: keras.layers.Conv2D(6, 3, strides=2, activation="relu", bias_initializer="ones"),
            (2, 7, 7, 3),
            -1,
        ),
        (
            lambda: keras.layers.Conv2DTranspose(4, 3, strides=2, bias_initializer="ones"),
            (2, 3, 3, 5),
            -2,
        ),
        (lambda: keras.layers.Embedding(10, 6), (2, 4), -1),
    ],
    ids=["dense", "conv2d", "conv2d_transpose", "embedding"],
)
def test_sigma_and_output_match_numpy(make_layer, input_shape, out_axis):
    layer = SpectralNormalization(make_layer(), power_iterations=100)
    if isinstance(layer.layer, keras.layers.Embedding):
        inputs = np.random.randint(0, 10, size=input_shape).astype("int32")
    else:
        inputs = np.random.normal(size=input_shape).astype("float32")
    layer.build(input_shape)
    u_before = to_numpy(layer.u).copy()
    layer(inputs, training=False)
    np.testing.assert_array_equal(to_numpy(layer.u), u_before)  # no update

    outputs = to_numpy(layer(inputs, training=True))
    assert not np.allclose(to_numpy(layer.u), u_before)
    raw_kernel = to_numpy(layer._raw_kernel())
    expected_sigma = top_singular_value(raw_kernel, out_axis)
    np.testing.assert_allclose(float(to_numpy(layer.spectral_norm())), expected_sigma, rtol=1e-3)
    normalized = to_numpy(layer.normalized_kernel())
    assert normalized.shape == raw_kernel.shape
    np.testing.assert_allclose(top_singular_value(normalized, out_axis), 1.0, rtol=1e-3)
    # The output is the wrapped op with W / sigma, sigma = ||W u|| from the
    # stored u (computed independently in NumPy).
    sigma = numpy_sigma(raw_kernel, to_numpy(layer.u), out_axis)
    expected = numpy_reference_output(layer, inputs, raw_kernel / sigma)
    np.testing.assert_allclose(outputs, expected, rtol=1e-4, atol=1e-5)


def build_model():
    return keras.Sequential(
        [
            keras.Input((6, 6, 2)),
            SpectralNormalization(keras.layers.Conv2D(3, 3, activation="relu")),
            keras.layers.Flatten(),
            SpectralNormalization(keras.layers.Dense(1)),
        ]
    )


def numpy_forward(model, x):
    conv, dense = model.layers[0], model.layers[2]
    conv_w = to_numpy(conv.layer.kernel)
    conv_w = conv_w / numpy_sigma(conv_w, to_numpy(conv.u))
    h = np.maximum(numpy_conv2d_valid(x, conv_w) + to_numpy(conv.layer.bias), 0.0)
    dense_w = to_numpy(dense.layer.kernel)
    dense_w = dense_w / numpy_sigma(dense_w, to_numpy(dense.u))
    return h.reshape(len(x), -1) @ dense_w + to_numpy(dense.layer.bias)


def make_data():
    x = np.random.normal(size=(64, 6, 6, 2)).astype("float32")
    # Targets far larger than a 1-Lipschitz model can reach: the gradient
    # keeps pushing, and the raw kernel grows under the large learning rate.
    y = 20.0 * np.random.normal(size=(64, 1)).astype("float32")
    return x, y


def test_fit_normalizes_without_overwriting_kernel(tmp_path):
    x, y = make_data()
    model = build_model()
    # The training step is XLA-compiled on TensorFlow and JAX. On torch,
    # `jit_compile=True` means `torch.compile`, which spends about a minute
    # of 2 CPU cores compiling this step: see test_jit_compiled_inference.
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=1.0),
        loss="mse",
        jit_compile=keras.backend.backend() != "torch",
    )
    sn_layers = [model.layers[0], model.layers[2]]
    raw_before = [to_numpy(layer.layer.kernel).copy() for layer in sn_layers]
    u_before = [to_numpy(layer.u).copy() for layer in sn_layers]
    model.fit(x, y, batch_size=16, epochs=4, verbose=0)

    for layer, raw0, u0 in zip(sn_layers, raw_before, u_before):
        raw = to_numpy(layer.layer.kernel)
        assert not np.allclose(raw, raw0)  # the raw kernel was trained
        assert not np.allclose(to_numpy(layer.u), u0)  # u was updated in fit
        normalized = to_numpy(layer.normalized_kernel())
        assert abs(top_singular_value(normalized) - 1.0) < 0.05
        # The raw kernel keeps its own (grown) scale: never overwritten.
        assert top_singular_value(raw) > 1.5

    # Inference uses W / sigma too, and leaves u alone.
    u_after_fit = to_numpy(model.layers[2].u).copy()
    predicted = to_numpy(model.predict(x, verbose=0))
    np.testing.assert_array_equal(to_numpy(model.layers[2].u), u_after_fit)
    np.testing.assert_allclose(predicted, numpy_forward(model, x), rtol=1e-4, atol=1e-4)

    # Save / load round trip: same outputs, same u.
    path = str(tmp_path / "sn_model.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(to_numpy(loaded.predict(x, verbose=0)), predicted, rtol=1e-6, atol=1e-6)
    for original, restored in zip(sn_layers, [loaded.layers[0], loaded.layers[2]]):
        np.testing.assert_array_equal(to_numpy(restored.u), to_numpy(original.u))
        np.testing.assert_array_equal(to_numpy(restored.layer.kernel), to_numpy(original.layer.kernel))


def test_jit_compiled_inference():
    x, _ = make_data()
    model = build_model()
    model.compile(optimizer="sgd", loss="mse", jit_compile=True)
    np.testing.assert_allclose(
        to_numpy(model.predict(x, batch_size=64, verbose=0)),
        numpy_forward(model, x),
        rtol=1e-4,
        atol=1e-4,
    )


def test_mixed_precision():
    keras.mixed_precision.set_global_policy("mixed_float16")
    x, y = make_data()
    model = build_model()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    history = model.fit(x, y, batch_size=32, epochs=2, verbose=0)
    assert np.all(np.isfinite(history.history["loss"]))
    predicted = model.predict(x, verbose=0)
    assert np.all(np.isfinite(to_numpy(predicted)))
    for layer in (model.layers[0], model.layers[2]):
        assert layer.compute_dtype == "float16"
        assert keras.backend.standardize_dtype(layer.u.dtype) == "float32"
        sigma = layer.spectral_norm()
        assert keras.backend.standardize_dtype(sigma.dtype) == "float32"
        assert np.isfinite(to_numpy(sigma))
        np.testing.assert_allclose(
            to_numpy(sigma),
            numpy_sigma(to_numpy(layer.layer.kernel), to_numpy(layer.u)),
            rtol=1e-4,
        )
    # float16 output of the wrapped op vs the float32 NumPy reference.
    np.testing.assert_allclose(
        to_numpy(predicted).astype("float32"),
        numpy_forward(model, x),
        rtol=2e-2,
        atol=2e-2,
    )
    # The wrapper computes in the wrapped layer's dtype (float32 logits).
    logits = SpectralNormalization(keras.layers.Dense(2, dtype="float32"))
    assert keras.backend.standardize_dtype(logits(x[:, 0, 0]).dtype) == "float32"


def test_config_round_trip_and_invalid_arguments():
    layer = SpectralNormalization(keras.layers.Dense(3, activation="tanh"), power_iterations=2, epsilon=1e-6)
    x = np.random.normal(size=(4, 5)).astype("float32")
    y = to_numpy(layer(x))
    config = layer.get_config()
    assert config["power_iterations"] == 2 and config["epsilon"] == 1e-6
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(layer))
    assert isinstance(restored, SpectralNormalization)
    assert restored.power_iterations == 2 and restored.epsilon == 1e-6
    assert restored.layer.get_config()["activation"] == "tanh"
    assert restored.built  # deserialization rebuilds from the build config
    restored.set_weights(layer.get_weights())
    np.testing.assert_allclose(to_numpy(restored(x)), y, rtol=1e-6)
    with pytest.raises(ValueError, match="supports Dense"):
        SpectralNormalization(keras.layers.DepthwiseConv2D(3))
    with pytest.raises(ValueError, match="supports Dense"):
        SpectralNormalization(keras.layers.LayerNormalization())
    with pytest.raises(ValueError, match="power_iterations"):
        SpectralNormalization(keras.layers.Dense(2), power_iterations=0)
    with pytest.raises(ValueError, match="epsilon"):
        SpectralNormalization(keras.layers.Dense(2), epsilon=0.0)


def test_standard_layer_checks():
    run_layer_checks(
        SpectralNormalization,
        dict(layer=keras.layers.Dense(5), power_iterations=2, epsilon=1e-12),
        VECTORS,
        expected_output_shape=(4, 5),
    )
