import keras
import numpy as np
import pytest
from compiled_calls import CompiledCall
from keras import ops

from keras_gans.augment import AdaptiveAugmentController
from keras_gans.augment import adjust_augment_probability


def numpy_controller(logit_batches, target=0.6, ada_kimg=500, interval=4, p=0.0):
    """The controller of Karras et al. (2020), Section 3, in plain Python."""
    history, signs, images = [], [], 0
    for step, logits in enumerate(logit_batches, start=1):
        signs.extend(np.sign(logits.reshape(len(logits), -1)).mean(axis=1))
        images += len(logits)
        if step % interval == 0:
            r_t = np.mean(signs)
            p = min(max(p + np.sign(r_t - target) * images / (ada_kimg * 1000), 0.0), 1.0)
            signs, images = [], 0
        history.append(p)
    return history


def test_adjustment_formula():
    cases = [  # p, r_t, images, target, ada_kimg
        (0.1, 0.9, 256, 0.6, 500),
        (0.1, 0.2, 256, 0.6, 500),
        (0.3, 0.6, 256, 0.6, 500),  # r_t on target: no change
        (0.999, 1.0, 64_000, 0.6, 500),  # clipped at 1
        (0.001, -1.0, 64_000, 0.6, 500),  # clipped at 0
        (0.5, 0.5, 1000, 0.4, 10),
    ]
    for p, r_t, images, target, ada_kimg in cases:
        want = float(np.clip(p + np.sign(r_t - target) * images / (ada_kimg * 1000.0), 0, 1))
        got = float(ops.convert_to_numpy(adjust_augment_probability(p, r_t, images, target, ada_kimg)))
        assert got == pytest.approx(want, abs=1e-7)
    # Tensors in, tensor out.
    got = adjust_augment_probability(
        ops.convert_to_tensor(0.2), ops.convert_to_tensor(0.7), ops.convert_to_tensor(500.0)
    )
    assert float(ops.convert_to_numpy(got)) == pytest.approx(0.201)
    with pytest.raises(ValueError, match="ada_kimg"):
        adjust_augment_probability(0.1, 0.9, 64, ada_kimg=0)


def test_controller_follows_the_reference_loop():
    rng = np.random.default_rng(0)
    # Overfitting first (mostly positive real logits), then not; 2 outputs per image in part.
    batches = [rng.normal(1.0, 1.0, (32, 1)) for _ in range(12)]
    batches += [rng.normal(-0.5, 1.0, (32, 2)) for _ in range(9)]
    controller = AdaptiveAugmentController(ada_kimg=0.5, interval=3)
    want = numpy_controller(batches, ada_kimg=0.5, interval=3)
    got = [float(ops.convert_to_numpy(controller(b.astype("float32")))) for b in batches]
    np.testing.assert_allclose(got, want, atol=1e-6)
    assert max(got) > 0.3 and got[-1] < max(got)  # p rose, then fell
    assert float(ops.convert_to_numpy(controller.probability)) == pytest.approx(want[-1], abs=1e-6)
    assert int(ops.convert_to_numpy(controller.call_count)) == 21


def test_update_runs_inside_a_compiled_call():
    controller = AdaptiveAugmentController(ada_kimg=0.1, interval=2)
    compiled = CompiledCall(controller)
    logits = ops.ones((50, 1))
    values = [float(ops.convert_to_numpy(compiled(logits))) for _ in range(4)]
    np.testing.assert_allclose(values, [0.0, 1.0, 1.0, 1.0])  # 100 images / 100 = +1, clipped
    values = [float(ops.convert_to_numpy(compiled(-logits))) for _ in range(2)]
    np.testing.assert_allclose(values, [1.0, 0.0])
    assert compiled.traces == 1
    assert float(ops.convert_to_numpy(controller.real_sign_mean)) == -1.0


@keras.saving.register_keras_serializable(package="keras_gans_tests")
class OwnsController(keras.Model):
    """A model that owns a controller, as a GAN does."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1)
        self.controller = AdaptiveAugmentController(ada_kimg=1, interval=4, name="ada")

    def call(self, x):
        return self.dense(x)


def test_saved_and_loaded_with_a_model_resumes_exactly(tmp_path):
    rng = np.random.default_rng(1)
    batches = [rng.normal(1.5, 1.0, (16, 1)).astype("float32") for _ in range(14)]
    model = OwnsController()
    model(np.zeros((1, 3), "float32"))
    for logits in batches[:6]:  # one adjustment, then half an interval
        model.controller(logits)
    state = [ops.convert_to_numpy(v) for v in model.controller.variables]
    assert ops.convert_to_numpy(model.controller.image_count) == 32  # mid-interval

    path = str(tmp_path / "owner.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    for variable, value in zip(loaded.controller.variables, state):
        np.testing.assert_array_equal(ops.convert_to_numpy(variable), value)
    # Weights-only checkpoints carry the state too.
    model.save_weights(str(tmp_path / "owner.weights.h5"))
    fresh = OwnsController()
    fresh(np.zeros((1, 3), "float32"))
    fresh.load_weights(str(tmp_path / "owner.weights.h5"))

    want = numpy_controller(batches, ada_kimg=1, interval=4)
    for step, logits in enumerate(batches[6:], start=6):
        for owner in (model, loaded, fresh):
            p = float(ops.convert_to_numpy(owner.controller(logits)))
            assert p == pytest.approx(want[step], abs=1e-6)
    assert want[-1] > 0.0
    config = loaded.controller.get_config()
    assert (config["ada_kimg"], config["interval"], config["target"]) == (1.0, 4, 0.6)


def test_invalid_arguments():
    with pytest.raises(ValueError, match="interval"):
        AdaptiveAugmentController(interval=0)
    with pytest.raises(ValueError, match="initial_probability"):
        AdaptiveAugmentController(initial_probability=1.5)
    assert (
        float(ops.convert_to_numpy(AdaptiveAugmentController(initial_probability=0.25).probability)) == 0.25
    )


def test_float32_state_under_mixed_precision():
    keras.mixed_precision.set_global_policy("mixed_float16")
    controller = AdaptiveAugmentController(ada_kimg=0.008, interval=2)
    logits = ops.cast(ops.ones((4, 1)), "float16")
    values = [float(ops.convert_to_numpy(controller(logits))) for _ in range(4)]
    np.testing.assert_allclose(values, [0.0, 1.0, 1.0, 1.0])  # 8 images / 8 = +1, clipped
    dtypes = {v.name: v.dtype for v in controller.variables}
    assert dtypes.pop("call_count") == "int32" and set(dtypes.values()) == {"float32"}
