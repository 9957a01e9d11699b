import keras
import numpy as np
import pytest
from keras import ops

from keras_gans.backend import input_gradient
from keras_gans.regularizers import LeCamRegularizer
from keras_gans.regularizers import lecam_penalty


def numpy_lecam(real, fake, real_anchor, fake_anchor, one_sided=False):
    real_gap, fake_gap = real - fake_anchor, real_anchor - fake
    if one_sided:
        real_gap, fake_gap = np.maximum(real_gap, 0), np.maximum(fake_gap, 0)
    return np.mean(real_gap**2) + np.mean(fake_gap**2)


@pytest.mark.parametrize("one_sided", [False, True])
def test_penalty_matches_numpy(one_sided):
    rng = np.random.default_rng(0)
    for shape in [(16,), (16, 1), (8, 3)]:
        real, fake = rng.normal(0.5, 1, shape), rng.normal(-0.5, 1, shape)
        got = lecam_penalty(real.astype("float32"), fake.astype("float32"), 0.3, -0.2, one_sided=one_sided)
        np.testing.assert_allclose(
            float(ops.convert_to_numpy(got)), numpy_lecam(real, fake, 0.3, -0.2, one_sided), rtol=1e-5
        )
    # The one-sided form ignores outputs on the right side of the anchors.
    got = lecam_penalty(np.array([-1.0, 0.0]), np.array([2.0]), 1.0, 0.5, one_sided=True)
    assert float(ops.convert_to_numpy(got)) == 0.0


def test_regularizer_follows_bias_corrected_moving_averages():
    rng = np.random.default_rng(1)
    lecam = LeCamRegularizer(decay=0.9)
    real_ema = fake_ema = 0.0
    for t in range(1, 8):
        real, fake = rng.normal(t * 0.3, 1, (32, 1)), rng.normal(-t * 0.2, 1, (32, 1))
        real_ema = 0.9 * real_ema + 0.1 * real.mean()
        fake_ema = 0.9 * fake_ema + 0.1 * fake.mean()
        real_anchor, fake_anchor = real_ema / (1 - 0.9**t), fake_ema / (1 - 0.9**t)
        got = lecam(real.astype("float32"), fake.astype("float32"))
        np.testing.assert_allclose(
            float(ops.convert_to_numpy(got)), numpy_lecam(real, fake, real_anchor, fake_anchor), rtol=1e-5
        )
        anchors = [float(ops.convert_to_numpy(a)) for a in lecam.anchors()]
        np.testing.assert_allclose(anchors, [real_anchor, fake_anchor], rtol=1e-5, atol=1e-6)
    assert int(ops.convert_to_numpy(lecam.update_count)) == 7
    # The first update's anchors are that batch's means (no pull towards the initial 0).
    first = LeCamRegularizer()
    first(np.full((4, 1), 2.0, "float32"), np.full((4, 1), -3.0, "float32"))
    np.testing.assert_allclose(
        [float(ops.convert_to_numpy(a)) for a in first.anchors()], [2.0, -3.0], rtol=1e-5
    )


def test_anchors_get_no_gradient():
    rng = np.random.default_rng(2)
    real = rng.normal(size=(8, 1)).astype("float32")
    fake = rng.normal(size=(8, 1)).astype("float32")
    lecam = LeCamRegularizer()
    # Fresh state: after the update a_R = mean(real) and a_F = mean(fake); only the
    # real term depends on `real` once the anchors are constants.
    gradient = ops.convert_to_numpy(input_gradient(lambda r: lecam(r, fake), ops.convert_to_tensor(real)))
    np.testing.assert_allclose(gradient, 2 * (real - fake.mean()) / 8, rtol=1e-4, atol=1e-6)


@keras.saving.register_keras_serializable(package="keras_gans_tests")
class OwnsLeCam(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1)
        self.lecam = LeCamRegularizer(decay=0.95, one_sided=True)

    def call(self, x):
        return self.dense(x)


def test_state_is_saved_with_the_model(tmp_path):
    model = OwnsLeCam()
    model(np.zeros((1, 2), "float32"))
    for value in (1.0, 2.0, 4.0):
        model.lecam(np.full((4, 1), value, "float32"), np.full((4, 1), -value, "float32"))
    path = str(tmp_path / "lecam.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    for a, b in zip(model.lecam.variables, loaded.lecam.variables):
        np.testing.assert_array_equal(ops.convert_to_numpy(a), ops.convert_to_numpy(b))
    assert loaded.lecam.get_config()["one_sided"] and loaded.lecam.decay == 0.95
    real, fake = np.ones((4, 1), "float32"), np.zeros((4, 1), "float32")
    np.testing.assert_allclose(
        ops.convert_to_numpy(model.lecam(real, fake)), ops.convert_to_numpy(loaded.lecam(real, fake))
    )
    with pytest.raises(ValueError, match="decay"):
        LeCamRegularizer(decay=1.0)


def test_update_runs_inside_a_compiled_call():
    from compiled_calls import CompiledCall

    lecam = LeCamRegularizer(decay=0.5)
    compiled = CompiledCall(lecam)
    real, fake = ops.ones((4, 1)), ops.zeros((4, 1))
    penalties = [float(ops.convert_to_numpy(compiled(real * k, fake))) for k in (1.0, 3.0)]
    # Anchors after the second update: a_R = (0.5 * 0.5 * 1 + 0.5 * 3) / 0.75 = 7 / 3, a_F = 0.
    np.testing.assert_allclose(penalties, [1.0 + 1.0, 9.0 + (7 / 3) ** 2], rtol=1e-5)
    assert compiled.traces == 1 and int(ops.convert_to_numpy(lecam.update_count)) == 2


def test_float32_state_under_mixed_precision():
    keras.mixed_precision.set_global_policy("mixed_float16")
    lecam = LeCamRegularizer(decay=0.5)
    penalty = lecam(ops.cast(ops.full((4, 1), 2.0), "float16"), ops.zeros((4, 1)))
    assert keras.backend.standardize_dtype(penalty.dtype) == "float32"
    np.testing.assert_allclose(float(ops.convert_to_numpy(penalty)), 4.0 + 4.0, rtol=1e-6)
    assert lecam.real_ema.dtype == "float32"


def test_penalty_then_update_equals_a_call():
    rng = np.random.default_rng(5)
    called, split = LeCamRegularizer(decay=0.8), LeCamRegularizer(decay=0.8)
    for _ in range(3):
        real = rng.normal(1, 1, (8, 1)).astype("float32")
        fake = rng.normal(-1, 1, (8, 1)).astype("float32")
        want = float(ops.convert_to_numpy(called(real, fake)))
        got = float(ops.convert_to_numpy(split.penalty(real, fake)))
        assert (
            int(ops.convert_to_numpy(split.update_count))
            == int(ops.convert_to_numpy(called.update_count)) - 1
        )
        split.update(real, fake)
        assert got == pytest.approx(want, rel=1e-6)
    for a, b in zip(called.variables, split.variables):
        np.testing.assert_allclose(ops.convert_to_numpy(a), ops.convert_to_numpy(b), rtol=1e-6)
