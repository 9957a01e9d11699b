"""The standard checks of an image-to-image variant (the translators' `run_variant_checks`).

`run_variant_checks` of tests/testing.py samples from latent noise; a
translator maps images to images, so its checks translate instead:

1. One `fit` step after `compile()`: finite logs, the generator (all of its
   networks) changed.
2. Config round trip (also through JSON): same config and, with the weights
   copied, the same translations.
3. Save/load (`.keras`): config, weights (same translations), optimizer step
   and every random stream kept; one more step on the original and on the
   loaded model gives the same weights (the run resumes exactly).
4. jit (TensorFlow and JAX): one fit step with `jit_compile=True`.
5. mixed_float16: one fit step with finite logs, float32 translations.
"""

import copy
import json
import os
import tempfile

import keras
import numpy as np

from testing import to_numpy


def _fit_step(model, x, y, batch_size):
    history = model.fit(x, y, batch_size=batch_size, epochs=1, steps_per_epoch=1, shuffle=False, verbose=0)
    return {k: float(v[-1]) for k, v in history.history.items()}


def _assert_same_config(a, b, what):
    assert json.loads(json.dumps(a)) == json.loads(json.dumps(b)), what


def _deterministic(model, images, direction):
    """Translations with every SamplingDropout's randomness fixed (same seed state)."""
    kwargs = {} if direction is None else {"direction": direction}
    return model.translate(images, **kwargs)


def _weights(network):
    return [to_numpy(w).copy() for w in network.weights]


def _trainable(network):
    return [to_numpy(w).copy() for w in network.trainable_weights]


def _member(model, name):
    if name in ("generator", "discriminator"):
        return getattr(model, name)
    pair = model.generator if hasattr(model.generator, name) else model.discriminator
    return getattr(pair, name)


def run_translator_checks(build, x, y, probe, batch_size, direction=None, generators=("generator",)):
    """The checks above. `build() -> uncompiled model`; `(x, y)` the fit data; `probe`
    images to translate (the model's generator must be deterministic in inference);
    `generators`: the networks that must all change in one step (e.g. the members
    `a_to_b`, `b_to_a`, `d_a`, `d_b` of CycleGAN's pairs)."""
    model = build()
    model.compile()
    members = {name: _member(model, name) for name in ("discriminator",) + tuple(generators)}
    before = {name: _trainable(network) for name, network in members.items()}
    logs = _fit_step(model, x, y, batch_size)
    assert logs and all(np.isfinite(v) for v in logs.values()), logs
    for name, network in members.items():  # every network (each member of a pair) was updated
        after = _trainable(network)
        assert any(np.abs(a - b).max() > 0 for a, b in zip(after, before[name])), f"{name} unchanged"
    reference = _deterministic(model, probe, direction)

    config = model.get_config()
    rebuilt = type(model).from_config(copy.deepcopy(config))
    _assert_same_config(rebuilt.get_config(), config, "from_config")
    from_json = keras.saving.deserialize_keras_object(
        json.loads(json.dumps(keras.saving.serialize_keras_object(model)))
    )
    assert type(from_json) is type(model)
    rebuilt.generator.set_weights(model.generator.get_weights())
    np.testing.assert_allclose(_deterministic(rebuilt, probe, direction), reference, rtol=1e-5, atol=1e-5)

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.keras")
        model.save(path)
        loaded = keras.models.load_model(path)
    assert type(loaded) is type(model)
    _assert_same_config(loaded.get_config(), config, "saved and loaded")
    np.testing.assert_allclose(_deterministic(loaded, probe, direction), reference, rtol=1e-5, atol=1e-5)
    assert int(to_numpy(loaded.optimizer.iterations)) == int(to_numpy(model.optimizer.iterations)) == 1
    # Resuming: the next step of the loaded model is the original's next step.
    _fit_step(model, x, y, batch_size)
    _fit_step(loaded, x, y, batch_size)
    for a, b in zip(
        model.generator.weights + model.discriminator.weights,
        loaded.generator.weights + loaded.discriminator.weights,
    ):
        np.testing.assert_allclose(to_numpy(b), to_numpy(a), rtol=1e-4, atol=1e-5, err_msg=a.path)

    if keras.backend.backend() != "torch":
        jitted = build()
        jitted.compile(jit_compile=True)
        logs = _fit_step(jitted, x, y, batch_size)
        assert all(np.isfinite(v) for v in logs.values()), ("jit", logs)

    previous = keras.mixed_precision.global_policy()
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        mixed = build()
        mixed.compile()
        logs = _fit_step(mixed, x, y, batch_size)
        assert all(np.isfinite(v) for v in logs.values()), ("mixed_float16", logs)
        assert _deterministic(mixed, probe, direction).dtype == np.float32
    finally:
        keras.mixed_precision.set_global_policy(previous)
    return model
