import keras
import numpy as np
import numpy_augment
import pytest
from compiled_calls import CompiledCall
from keras import ops

from keras_gans.augment import ADA_TRANSFORMS
from keras_gans.augment import AdaptiveAugment
from keras_gans.backend import input_gradient

GEOMETRIC = ("xflip", "rotate90", "xint", "scale", "rotate", "aniso", "xfrac")
# One image shape for most tests: on JAX every new shape compiles every op again.
SHAPE = (32, 10, 10, 3)


def random_images(seed, channels=3):
    return np.random.default_rng(seed).uniform(-1, 1, SHAPE[:3] + (channels,)).astype("float32")


def numpy_parameters(params):
    return {key: ops.convert_to_numpy(value) for key, value in params.items()}


def augment_at_p1(transforms, images, seed=0):
    augment = AdaptiveAugment(transforms, seed=seed)
    params = augment.sample_parameters(images.shape, 1.0)
    return ops.convert_to_numpy(augment.transform(images, params)), numpy_parameters(params)


def test_blit_transforms_equal_numpy_flip_rot90_and_reflect_shift():
    images = random_images(0)
    out, params = augment_at_p1(["xflip"], images)
    assert set(np.unique(params["xflip"])) == {0.0, 1.0}
    for b in range(len(images)):
        want = np.flip(images[b], axis=1) if params["xflip"][b] else images[b]
        np.testing.assert_array_equal(out[b], want)

    out, params = augment_at_p1(["rotate90"], images)
    assert set(np.unique(params["rotate90"])) == {0.0, 1.0, 2.0, 3.0}
    for b in range(len(images)):
        np.testing.assert_array_equal(out[b], np.rot90(images[b], int(params["rotate90"][b]), axes=(0, 1)))

    out, params = augment_at_p1(["xint"], images)
    shifts = params["xint"]
    assert np.all(shifts == np.round(shifts)) and np.abs(shifts).max() == 1  # round(10 * 0.125)
    padded = np.pad(images, ((0, 0), (2, 2), (2, 2), (0, 0)), mode="reflect")
    for b in range(len(images)):
        dx, dy = (int(v) for v in shifts[b])  # content moves right / down
        np.testing.assert_array_equal(out[b], padded[b, 2 - dy : 12 - dy, 2 - dx : 12 - dx])


@pytest.mark.parametrize("transform", ["scale", "rotate", "aniso", "xfrac"])
def test_general_geometric_transforms_match_scipy(transform):
    images = random_images(1)
    out, params = augment_at_p1([transform], images)
    for b in range(len(images)):
        want = numpy_augment.ada(images[b], numpy_augment.per_image(params, b))
        np.testing.assert_allclose(out[b], want, atol=3e-5)
    assert out.min() >= images.min() - 1e-6 and out.max() <= images.max() + 1e-6


def test_rotation_by_a_quarter_turn_is_rot90():
    images = random_images(2, channels=1)
    augment = AdaptiveAugment(["rotate"])
    half = len(images) // 2
    params = {  # a quarter turn before, or a half turn (clockwise) after
        "rotate_pre": np.repeat([np.pi / 2, 0.0], half),
        "rotate_post": np.repeat([0.0, -np.pi], half),
    }
    out = ops.convert_to_numpy(augment.transform(images, params))
    np.testing.assert_allclose(out[:half], np.rot90(images[:half], 1, axes=(1, 2)), atol=1e-5)
    np.testing.assert_allclose(out[half:], np.rot90(images[half:], 2, axes=(1, 2)), atol=1e-5)


@pytest.mark.parametrize("transform", ["brightness", "contrast", "lumaflip", "hue", "saturation"])
@pytest.mark.parametrize("channels", [1, 3])
def test_color_transforms_match_numpy(transform, channels):
    images = random_images(3, channels)
    out, params = augment_at_p1([transform], images)
    for b in range(len(images)):
        want = numpy_augment.ada(images[b], numpy_augment.per_image(params, b))
        np.testing.assert_allclose(out[b], want, atol=2e-5)
    if channels == 1 and transform in ("hue", "saturation"):
        np.testing.assert_allclose(out, images, atol=1e-5)  # grey stays grey


def test_full_pipeline_matches_numpy_and_may_leave_the_range():
    images = random_images(4)
    out, params = augment_at_p1(ADA_TRANSFORMS, images, seed=7)
    assert set(params) == set(ADA_TRANSFORMS) - {"rotate"} | {"rotate_pre", "rotate_post"}
    for b in range(len(images)):
        want = numpy_augment.ada(images[b], numpy_augment.per_image(params, b))
        np.testing.assert_allclose(out[b], want, atol=1e-4)
    assert out.min() < -1.0 and out.max() > 1.0  # colour transforms are not clipped
    geometric, _ = augment_at_p1(GEOMETRIC, images, seed=7)
    assert geometric.min() >= -1.0 and geometric.max() <= 1.0


def test_probability_per_transform_and_parameter_distributions():
    augment = AdaptiveAugment(seed=5)
    n = 20000
    params = numpy_parameters(augment.sample_parameters((n, 32, 32, 3), 0.4))
    identity = {"scale": 1.0, "aniso": 1.0, "contrast": 1.0, "saturation": 1.0}
    tolerance = 4 * np.sqrt(0.4 * 0.6 / n)  # four standard deviations of a fraction
    for name in ["xint", "scale", "aniso", "xfrac", "brightness", "contrast", "hue", "saturation"]:
        values = params[name].reshape(n, -1)
        applied = np.any(values != identity.get(name, 0.0), axis=1)
        assert abs(applied.mean() - 0.4) < tolerance + 0.01, name  # + xint's rounding to 0
    for name in ["xflip", "lumaflip"]:  # applied with 0.4, then flips half the time
        assert abs(params[name].mean() - 0.2) < tolerance
    # Some rotation with probability p: pre and post each with 1 - sqrt(1 - p).
    rotated = (params["rotate_pre"] != 0) | (params["rotate_post"] != 0)
    assert abs(rotated.mean() - 0.4) < tolerance
    assert abs((params["rotate_pre"] != 0).mean() - (1 - np.sqrt(0.6))) < tolerance
    turns = params["rotate90"][params["rotate90"] != 0]
    np.testing.assert_allclose(np.bincount(turns.astype(int))[1:] / len(turns), 1 / 3, atol=0.03)

    params = numpy_parameters(augment.sample_parameters((n, 32, 32, 3), 1.0))
    for name, std in [("scale", 0.2), ("aniso", 0.2), ("contrast", 0.5), ("saturation", 1.0)]:
        np.testing.assert_allclose(np.log2(params[name]).std(), std, rtol=0.03)
        assert abs(np.log2(params[name]).mean()) < 0.03 * std
    np.testing.assert_allclose(params["brightness"].std(), 0.2, rtol=0.03)
    np.testing.assert_allclose(params["xfrac"].std(axis=0), [4.0, 4.0], rtol=0.03)  # 0.125 * 32
    np.testing.assert_array_equal(np.unique(params["xint"]), np.arange(-4, 5))
    for name in ["rotate_pre", "hue"]:
        values = params[name][params[name] != 0]
        assert values.min() >= -np.pi and values.max() <= np.pi
        np.testing.assert_allclose(values.std(), np.pi / np.sqrt(3), rtol=0.03)

    params = numpy_parameters(augment.sample_parameters((64, 32, 32, 3), 0.0))
    for name, values in params.items():
        np.testing.assert_array_equal(values, identity.get(name, 0.0))


def test_p_zero_is_the_identity_and_p_changes_inside_a_compiled_call():
    images = random_images(6)
    augment = AdaptiveAugment(seed=0)
    compiled = CompiledCall(augment)
    images_tensor = ops.convert_to_tensor(images)
    out = compiled(images_tensor, p=ops.convert_to_tensor(0.0))
    np.testing.assert_allclose(ops.convert_to_numpy(out), images, atol=1e-6)
    out = compiled(images_tensor, p=ops.convert_to_tensor(1.0))
    assert np.abs(ops.convert_to_numpy(out) - images).max() > 0.5
    out = compiled(images_tensor, p=ops.convert_to_tensor(0.0))
    np.testing.assert_allclose(ops.convert_to_numpy(out), images, atol=1e-6)
    assert compiled.traces == 1  # p is an input of the compiled function, not a constant


def test_gradients_flow_to_the_images():
    rng = np.random.default_rng(7)
    images = random_images(7)
    weights = rng.normal(size=images.shape).astype("float32")
    augment = AdaptiveAugment(seed=1)
    params = augment.sample_parameters(images.shape, 1.0)
    gradient = ops.convert_to_numpy(
        input_gradient(
            lambda x: ops.multiply(augment.transform(x, params), weights), ops.convert_to_tensor(images)
        )
    )
    params = numpy_parameters(params)

    def objective(x):
        return sum(
            np.sum(weights[b] * numpy_augment.ada(x[b], numpy_augment.per_image(params, b)))
            for b in range(len(x))
        )

    # Affine in the images: the derivative along d is f(x + d) - f(x).
    direction = rng.normal(size=images.shape)
    np.testing.assert_allclose(
        objective(images + direction) - objective(images), np.sum(gradient * direction), rtol=1e-4
    )


def test_config_and_errors():
    augment = AdaptiveAugment(["hue", "xflip"], seed=3)
    assert augment.transforms == ("xflip", "hue")  # always in the pipeline's order
    restored = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(augment))
    assert restored.transforms == ("xflip", "hue") and restored.seed == 3
    assert AdaptiveAugment("xflip, rotate90").transforms == ("xflip", "rotate90")
    with pytest.raises(ValueError, match="Unknown ADA transform 'flip'"):
        AdaptiveAugment(["flip"])
    with pytest.raises(ValueError, match="1 or 3 channels"):
        augment(np.zeros((2, 8, 8, 4), "float32"), p=0.5)
    # Geometric transforms work for any number of channels.
    images = np.random.default_rng(8).uniform(-1, 1, SHAPE[:3] + (4,)).astype("float32")
    flips = np.ones(SHAPE[0])
    out = AdaptiveAugment(["xflip"]).transform(images, {"xflip": flips})
    np.testing.assert_array_equal(ops.convert_to_numpy(out), images[:, :, ::-1])


def test_mixed_precision_keeps_the_images_dtype():
    images = random_images(9)
    want = ops.convert_to_numpy(AdaptiveAugment(seed=4)(images, p=0.7))
    keras.mixed_precision.set_global_policy("mixed_float16")
    out = AdaptiveAugment(seed=4)(images, p=0.7)
    assert keras.backend.standardize_dtype(out.dtype) == "float32"
    np.testing.assert_allclose(ops.convert_to_numpy(out), want, atol=1e-5)
    half = AdaptiveAugment(seed=4)(ops.cast(images, "float16"), p=0.7)
    assert keras.backend.standardize_dtype(half.dtype) == "float16"
    np.testing.assert_allclose(ops.convert_to_numpy(half), want, atol=5e-2)
