import keras
import numpy as np
import numpy_augment
import pytest
from compiled_calls import CompiledCall
from keras import ops

from keras_gans.augment import DiffAugment
from keras_gans.backend import input_gradient

# One image shape for most tests: on JAX every new shape compiles every op again.
SHAPE = (16, 12, 10, 3)
CUTOUT_SIZE = (6, 5)  # half of 12 x 10


def random_images(seed, channels=3):
    return np.random.default_rng(seed).uniform(-1, 1, SHAPE[:3] + (channels,)).astype("float32")


def numpy_parameters(params):
    return {key: ops.convert_to_numpy(value) for key, value in params.items()}


@pytest.mark.parametrize("policy", ["color", "translation", "cutout", "color,translation,cutout"])
@pytest.mark.parametrize("channels", [1, 3])
def test_each_policy_matches_numpy(policy, channels):
    images = random_images(0, channels)
    augment = DiffAugment(policy, seed=3)
    params = augment.sample_parameters(images.shape)
    out = ops.convert_to_numpy(augment.transform(images, params))
    params = numpy_parameters(params)
    for b in range(len(images)):
        want = numpy_augment.diff_augment(
            images[b], numpy_augment.per_image(params, b), policy.split(","), CUTOUT_SIZE
        )
        np.testing.assert_allclose(out[b], want, atol=2e-5)
    if "color" not in policy:  # zeros in, or pixels moved: the range is kept
        assert out.min() >= -1.0 and out.max() <= 1.0


def test_parameter_distributions():
    augment = DiffAugment(seed=1)
    params = numpy_parameters(augment.sample_parameters((4000, 32, 24, 3)))
    for name, low, high in [("brightness", -0.5, 0.5), ("saturation", 0.0, 2.0), ("contrast", 0.5, 1.5)]:
        values = params[name]
        assert values.min() >= low and values.max() < high
        assert abs(values.mean() - (low + high) / 2) < 0.03  # uniform: std of the mean ~0.005-0.009
        assert abs(values.std() - (high - low) / np.sqrt(12)) < 0.02
    # Shifts: every integer in [-round(size / 8), round(size / 8)], uniformly (4 for 32, 3 for 24).
    for axis, largest in [(0, 3), (1, 4)]:
        shifts = params["translation"][:, axis]
        values, counts = np.unique(shifts, return_counts=True)
        np.testing.assert_array_equal(values, np.arange(-largest, largest + 1))
        assert counts.min() > 0.7 * counts.mean()
    # Cutout centres: 0..24 (even side 12: 25 positions) and 0..32 (side 16: 33 positions).
    for axis, positions in [(0, 25), (1, 33)]:
        values = np.unique(params["cutout"][:, axis])
        np.testing.assert_array_equal(values, np.arange(positions))


def test_call_draws_new_parameters_reproducibly():
    images = random_images(2)
    first, second = DiffAugment(seed=5), DiffAugment(seed=5)
    out = ops.convert_to_numpy(first(images))
    # Same seed: the call is transform(sample_parameters(...)) of the same stream.
    params = second.sample_parameters(images.shape)
    np.testing.assert_allclose(out, ops.convert_to_numpy(second.transform(images, params)), atol=1e-6)
    # The next call draws new parameters.
    assert np.abs(ops.convert_to_numpy(first(images)) - out).max() > 0.1
    assert np.abs(out - images).max() > 0.1


def test_color_can_leave_the_image_range():
    images = np.full(SHAPE, 0.9, "float32")
    augment = DiffAugment("color")
    n = SHAPE[0]
    params = {"brightness": np.full(n, 0.5), "saturation": np.ones(n), "contrast": np.ones(n)}
    np.testing.assert_allclose(ops.convert_to_numpy(augment.transform(images, params)), 1.4, rtol=1e-6)


def test_gradients_flow_to_the_images():
    rng = np.random.default_rng(3)
    images = random_images(3)
    weights = rng.normal(size=images.shape).astype("float32")
    augment = DiffAugment(seed=0)
    params = augment.sample_parameters(images.shape)
    gradient = ops.convert_to_numpy(
        input_gradient(
            lambda x: ops.multiply(augment.transform(x, params), weights), ops.convert_to_tensor(images)
        )
    )
    assert np.abs(gradient).max() > 0.1
    # The augmentation is affine in the images: the derivative along any
    # direction d is f(x + d) - f(x), computed here in NumPy.
    params = numpy_parameters(params)

    def objective(x):
        return sum(
            np.sum(
                weights[b]
                * numpy_augment.diff_augment(
                    x[b], numpy_augment.per_image(params, b), ["color", "translation", "cutout"], CUTOUT_SIZE
                )
            )
            for b in range(len(x))
        )

    direction = rng.normal(size=images.shape)
    np.testing.assert_allclose(
        objective(images + direction) - objective(images), np.sum(gradient * direction), rtol=1e-4
    )


def test_compiled_call_and_config():
    images = ops.convert_to_tensor(random_images(4))
    augment = DiffAugment("translation,cutout", seed=0)
    compiled = CompiledCall(augment)
    first, second = ops.convert_to_numpy(compiled(images)), ops.convert_to_numpy(compiled(images))
    assert np.abs(first - second).max() > 0.1  # the seed state advances inside the compiled call
    assert compiled.traces == 1
    restored = DiffAugment.from_config(augment.get_config())
    assert restored.policies == ("translation", "cutout") and restored.seed == 0
    assert keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(augment)).policy == (
        "translation,cutout"
    )
    with pytest.raises(ValueError, match="Unknown DiffAugment policy 'colour'"):
        DiffAugment("colour,cutout")
    with pytest.raises(ValueError, match="translation_ratio"):
        DiffAugment(translation_ratio=2.0)
    with pytest.raises(ValueError, match="images.shape"):
        augment(np.zeros((8, 8, 3), "float32"))


def test_mixed_precision_keeps_the_images_dtype():
    images = random_images(5)
    want = ops.convert_to_numpy(DiffAugment(seed=9)(images))
    keras.mixed_precision.set_global_policy("mixed_float16")
    out = DiffAugment(seed=9)(images)  # float32 images stay float32 under a mixed policy
    assert keras.backend.standardize_dtype(out.dtype) == "float32"
    np.testing.assert_allclose(ops.convert_to_numpy(out), want, atol=1e-6)
    half = DiffAugment(seed=9)(ops.cast(images, "float16"))
    assert keras.backend.standardize_dtype(half.dtype) == "float16"
    np.testing.assert_allclose(ops.convert_to_numpy(half), want, atol=2e-2)
