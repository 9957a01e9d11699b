"""Shared test helpers and the standard checks of a layer and of a GAN variant.

In the spirit of keras-hub's `TestCase.run_layer_test`: every layer test calls
`run_layer_checks` (config round trip, serialization of every init argument,
save/load, jit, mixed precision), every variant `run_variant_checks` (config
round trip, save/load, one `fit` step, jit, mixed precision). Import with
`from testing import ...` (pytest puts tests/ on the path through its conftest).
"""

import copy
import json
import os
import tempfile

import keras
import numpy as np

__all__ = ["IMAGES", "STYLES", "VECTORS", "run_layer_checks", "run_variant_checks", "to_numpy"]

# Inputs of the standard layer checks: a batch of 4 images 8x8x3, of 4 vectors of 6
# features, and of 4 style vectors of 5 (ModulatedConv2D).
_inputs = np.random.default_rng(20240601)
IMAGES = _inputs.normal(size=(4, 8, 8, 3)).astype("float32")
VECTORS = _inputs.normal(size=(4, 6)).astype("float32")
STYLES = _inputs.normal(size=(4, 5)).astype("float32")


def to_numpy(x):
    """A backend tensor (or anything array-like) as a NumPy array."""
    return keras.ops.convert_to_numpy(x)


def _normalized_argument(key, value):
    """How an init argument is stored in `get_config`, for comparison."""
    if isinstance(value, keras.layers.Layer):
        return keras.saving.serialize_keras_object(value)
    if key.endswith("initializer") and value is not None:
        return keras.initializers.serialize(keras.initializers.get(value))
    if key == "activation" or key.endswith("_activation"):
        return keras.activations.serialize(keras.activations.get(value))
    if isinstance(value, (tuple, list)):
        return [_normalized_argument(key, v) for v in value]
    return value


def _same_argument(key, given, stored):
    given, stored = _normalized_argument(key, given), _normalized_argument(key, stored)
    if isinstance(given, int) and isinstance(stored, list):  # e.g. kernel_size=3 stored as (3, 3)
        return all(s == given for s in stored)
    return given == stored


def _check_init_arguments(layer_or_model, init_kwargs, config):
    cls = type(layer_or_model).__name__
    for key, value in init_kwargs.items():
        assert key in config, f"{cls}.get_config() lacks the init argument {key!r}"
        assert _same_argument(key, value, config[key]), (
            f"{cls}.get_config()[{key!r}] is {config[key]!r}, not the {value!r} it was built with"
        )


def _as_json(value):
    """`value` as JSON gives it back (tuples become lists)."""
    return json.loads(json.dumps(value))


def _config_difference(a, b, path="config"):
    """The first path where two JSON-like configs differ, or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            found = _config_difference(a.get(key), b.get(key), f"{path}[{key!r}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {a!r} != {b!r}"


def _assert_same_config(actual, expected, what):
    difference = _config_difference(_as_json(actual), _as_json(expected))
    assert difference is None, f"{what}: {difference}"


def _assert_close(actual, expected, rtol, atol, what):
    np.testing.assert_allclose(
        np.asarray(actual, np.float64), np.asarray(expected, np.float64), rtol=rtol, atol=atol, err_msg=what
    )


def _inputs_like(input_data, batch_size=None):
    if isinstance(input_data, (tuple, list)):
        return [keras.Input(np.shape(x)[1:], batch_size=batch_size) for x in input_data]
    return keras.Input(np.shape(input_data)[1:], batch_size=batch_size)


def run_layer_checks(
    layer_cls,
    init_kwargs,
    input_data,
    expected_output_shape=None,
    call_kwargs=None,
    prepare=None,
    rtol=1e-5,
    atol=1e-6,
    mixed_precision_rtol=2e-2,
    mixed_precision_atol=2e-2,
):
    """The standard checks of a layer, on every backend.

    1. Built from `init_kwargs` and called (inference) on `input_data`: the
       output has `expected_output_shape` (when given) and is finite.
    2. Every init argument is kept by `get_config` (`_normalized_argument`).
    3. Config round trip: `from_config(get_config())` has the same config, also
       through JSON (`serialize_keras_object`), and, with the weights copied,
       the same outputs.
    4. Save/load: a functional model around the layer, saved as `.keras` and
       loaded, gives the same outputs.
    5. jit: the model compiled with `jit_compile=True` (XLA on TensorFlow,
       `jax.jit` on JAX; torch has no XLA and runs its own compiled-predict
       path) predicts the same outputs.
    6. Mixed precision: built under `mixed_float16`, its variables stay float32
       and its outputs (weights copied) match the float32 ones within float16
       tolerance.

    Args:
        layer_cls: the layer class.
        init_kwargs: constructor arguments.
        input_data: a NumPy array (or list of arrays) to call the layer on.
        expected_output_shape: optional expected output shape.
        call_kwargs: extra call arguments (inference calls).
        prepare: optional `fn(layer)` run after the layer is built and before
            outputs are compared (e.g. to set a reference batch).
        rtol, atol: tolerances of the float32 comparisons.
        mixed_precision_rtol, mixed_precision_atol: tolerances under mixed_float16.

    Returns:
        The built layer.
    """
    call_kwargs = dict(call_kwargs or {})
    layer = layer_cls(**init_kwargs)
    outputs = layer(input_data, **call_kwargs)
    if prepare is not None:
        prepare(layer)
    outputs = to_numpy(layer(input_data, **call_kwargs))
    if expected_output_shape is not None:
        assert tuple(outputs.shape) == tuple(expected_output_shape), (outputs.shape, expected_output_shape)
    assert np.all(np.isfinite(outputs)), f"{layer_cls.__name__} gave non-finite outputs"

    # Serialization of every init argument, config and JSON round trips.
    config = layer.get_config()
    _check_init_arguments(layer, init_kwargs, config)
    # A copy: Keras' own Wrapper.from_config pops "layer" from the dict it is given.
    rebuilt = layer_cls.from_config(copy.deepcopy(config))
    _assert_same_config(rebuilt.get_config(), config, "from_config")
    serialized = keras.saving.serialize_keras_object(layer)
    from_json = keras.saving.deserialize_keras_object(json.loads(json.dumps(serialized)))
    assert type(from_json) is layer_cls
    _assert_same_config(from_json.get_config(), config, "through JSON")
    rebuilt(input_data, **call_kwargs)
    rebuilt.set_weights(layer.get_weights())
    _assert_close(to_numpy(rebuilt(input_data, **call_kwargs)), outputs, rtol, atol, "from_config")

    # Save and load inside a model.
    inputs = _inputs_like(
        input_data, batch_size=len(np.asarray(input_data[0] if isinstance(input_data, list) else input_data))
    )
    model = keras.Model(inputs, layer(inputs, **call_kwargs))
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        model.save(path)
        loaded = keras.models.load_model(path)
    loaded_layer = [lay for lay in loaded.layers if isinstance(lay, layer_cls)]
    assert len(loaded_layer) == 1
    _assert_same_config(loaded_layer[0].get_config(), config, "saved and loaded")
    _assert_close(to_numpy(loaded(input_data)), outputs, rtol, atol, "saved and loaded")

    # jit.
    model.compile(jit_compile=keras.backend.backend() != "torch")
    _assert_close(model.predict(input_data, batch_size=len(outputs), verbose=0), outputs, rtol, atol, "jit")

    # Mixed precision.
    mixed_config = dict(copy.deepcopy(config), dtype=keras.DTypePolicy("mixed_float16"))
    mixed = layer_cls.from_config(mixed_config)
    mixed(input_data, **call_kwargs)
    mixed.set_weights(layer.get_weights())
    for variable in mixed.weights:
        if "float" in str(variable.dtype):
            assert variable.dtype == "float32", (variable.path, variable.dtype)
    mixed_outputs = mixed(input_data, **call_kwargs)
    assert keras.backend.standardize_dtype(mixed_outputs.dtype) in ("float16", "float32"), mixed_outputs.dtype
    _assert_close(
        to_numpy(mixed_outputs), outputs, mixed_precision_rtol, mixed_precision_atol, "mixed_float16"
    )
    return layer


def _copy_weights(source, target):
    target.set_weights(source.get_weights())


def _fit_one_step(model, data, batch_size):
    x, y = data if isinstance(data, tuple) else (data, None)
    args = (x,) if y is None else (x, y)
    history = model.fit(*args, batch_size=batch_size, epochs=1, steps_per_epoch=1, shuffle=False, verbose=0)
    return {k: float(v[-1]) for k, v in history.history.items()}


def run_variant_checks(build, data, batch_size=None, generate_kwargs=None, rtol=1e-5, atol=1e-5):
    """The standard checks of a GAN variant, on every backend.

    1. One `fit` step (after `compile()`): finite logged losses, and the
       generator's weights changed.
    2. Config round trip: `from_config(get_config())` (also through JSON) has
       the same config and, with the weights copied, generates the same samples
       from the same latents.
    3. Save/load: `model.save` + `keras.models.load_model` keep the config,
       the weights (same samples) and the optimizer step; fit continues.
    4. jit: compiled with `jit_compile=True` (TensorFlow/JAX), one fit step
       gives finite losses (already check 1 where compile's `"auto"` chose jit).
    5. Mixed precision: built under `mixed_float16`, one fit step gives finite
       losses and float32 samples.

    Args:
        build: `fn() -> uncompiled model` (called again for the jit and the
            mixed-precision checks).
        data: training samples, or `(samples, labels)`.
        batch_size: batch of one update (None: all of `data`).
        generate_kwargs: extra arguments of the samples compared (e.g. labels).
        rtol, atol: tolerances of the sample comparisons.

    Returns:
        The model trained one step.
    """
    generate_kwargs = dict(generate_kwargs or {})
    samples = data[0] if isinstance(data, tuple) else data
    batch_size = batch_size or len(samples)
    model = build()
    model.compile()
    before = [to_numpy(w).copy() for w in model.generator.trainable_weights]
    logs = _fit_one_step(model, data, batch_size)
    assert logs and all(np.isfinite(v) for v in logs.values()), logs
    after = [to_numpy(w) for w in model.generator.trainable_weights]
    assert any(np.abs(a - b).max() > 0 for a, b in zip(after, before)), (
        "one fit step left the generator unchanged"
    )

    def sample(m):
        z = np.random.default_rng(0).standard_normal((4, m.latent_dim)).astype("float32")
        labels = generate_kwargs.get("labels")
        inputs = m.generator_inputs(keras.ops.convert_to_tensor(z), None if labels is None else labels[:4])
        return to_numpy(m.generator(inputs, training=False))

    reference = sample(model)
    config = model.get_config()
    rebuilt = type(model).from_config(copy.deepcopy(config))
    _assert_same_config(rebuilt.get_config(), config, "from_config")
    from_json = keras.saving.deserialize_keras_object(
        json.loads(json.dumps(keras.saving.serialize_keras_object(model)))
    )
    assert type(from_json) is type(model)
    _copy_weights(model.generator, rebuilt.generator)
    _assert_close(sample(rebuilt), reference, rtol, atol, "from_config")

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "gan.keras")
        model.save(path)
        loaded = keras.models.load_model(path)
    assert type(loaded) is type(model)
    _assert_same_config(loaded.get_config(), config, "saved and loaded")
    _assert_close(sample(loaded), reference, rtol, atol, "saved and loaded")
    assert int(to_numpy(loaded.optimizer.iterations)) == int(to_numpy(model.optimizer.iterations)) > 0
    logs = _fit_one_step(loaded, data, batch_size)
    assert all(np.isfinite(v) for v in logs.values()), logs

    # compile()'s default jit_compile="auto" compiled check 1 with XLA on TensorFlow
    # (when the model supports it) and with jax.jit on JAX: check 4 covers the rest.
    if keras.backend.backend() != "torch" and not model.jit_compile:
        jitted = build()
        jitted.compile(jit_compile=True)
        logs = _fit_one_step(jitted, data, batch_size)
        assert all(np.isfinite(v) for v in logs.values()), ("jit", logs)

    previous = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        mixed = build()
        mixed.compile()
        logs = _fit_one_step(mixed, data, batch_size)
        assert all(np.isfinite(v) for v in logs.values()), ("mixed_float16", logs)
        assert sample(mixed).dtype == np.float32
    finally:
        keras.mixed_precision.set_global_policy(previous)
    return model
