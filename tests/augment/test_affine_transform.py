import numpy as np
import pytest
from keras import ops
from numpy_augment import centred_grid
from numpy_augment import sample_image

from keras_gans.augment import affine_transform
from keras_gans.backend import input_gradient


def random_affine(rng, batch):
    """(batch, 3, 3) maps with rotation, scaling, shear and shifts of a few pixels."""
    matrices = np.zeros((batch, 3, 3), "float32")
    matrices[:, :2, :2] = np.eye(2) + rng.normal(0.0, 0.4, (batch, 2, 2))
    matrices[:, :2, 2] = rng.normal(0.0, 4.0, (batch, 2))
    matrices[:, 2, 2] = 1.0
    return matrices


def expected(images, matrices, mode):
    out = []
    for image, matrix in zip(images, matrices):
        x, y = centred_grid(*image.shape[:2])
        source_x = matrix[0, 0] * x + matrix[0, 1] * y + matrix[0, 2]
        source_y = matrix[1, 0] * x + matrix[1, 1] * y + matrix[1, 2]
        out.append(sample_image(image, source_x, source_y, mode))
    return np.stack(out)


@pytest.mark.parametrize("padding, scipy_mode", [("reflect", "mirror"), ("zeros", "grid-constant")])
def test_matches_scipy_bilinear_sampling(padding, scipy_mode):
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (6, 13, 10, 3)).astype("float32")
    matrices = random_affine(rng, 6)
    out = ops.convert_to_numpy(affine_transform(images, matrices, padding=padding))
    np.testing.assert_allclose(out, expected(images, matrices, scipy_mode), atol=2e-5)
    if padding == "reflect":  # convex combinations of input pixels
        assert out.min() >= images.min() - 1e-6 and out.max() <= images.max() + 1e-6
    # A (batch, 2, 3) map is the same map.
    np.testing.assert_allclose(
        ops.convert_to_numpy(affine_transform(images, matrices[:, :2], padding=padding)), out
    )


def test_whole_pixel_maps_copy_pixels_exactly():
    rng = np.random.default_rng(1)
    images = rng.uniform(-1, 1, (3, 8, 8, 2)).astype("float32")
    identity = np.tile(np.eye(3, dtype="float32"), (3, 1, 1))
    np.testing.assert_array_equal(ops.convert_to_numpy(affine_transform(images, identity)), images)
    flip = identity.copy()
    flip[:, 0, 0] = -1.0
    np.testing.assert_array_equal(ops.convert_to_numpy(affine_transform(images, flip)), images[:, :, ::-1])
    # Read from 3 pixels to the left: the content moves 3 pixels right; zeros come in.
    shift = identity.copy()
    shift[:, 0, 2] = -3.0
    shifted = ops.convert_to_numpy(affine_transform(images, shift, padding="zeros"))
    np.testing.assert_array_equal(shifted[:, :, 3:], images[:, :, :-3])
    np.testing.assert_array_equal(shifted[:, :, :3], 0.0)


def test_gradient_is_the_adjoint():
    rng = np.random.default_rng(2)
    images = rng.uniform(-1, 1, (2, 9, 7, 3)).astype("float32")
    weights = rng.normal(size=(2, 9, 7, 3)).astype("float32")
    matrices = random_affine(rng, 2)
    gradient = ops.convert_to_numpy(
        input_gradient(
            lambda x: ops.multiply(affine_transform(x, matrices), weights), ops.convert_to_tensor(images)
        )
    )
    # The map is linear: <w, A x> = <A^T w, x> for every x, with A^T w the gradient.
    probe = rng.normal(size=images.shape)
    np.testing.assert_allclose(
        np.sum(weights * expected(probe, matrices, "mirror")), np.sum(gradient * probe), rtol=1e-4
    )
    # The gradient of a flip is the flipped weights.
    flip = np.tile(np.diag([-1.0, 1.0, 1.0]).astype("float32"), (2, 1, 1))
    gradient = input_gradient(
        lambda x: ops.multiply(affine_transform(x, flip), weights), ops.convert_to_tensor(images)
    )
    np.testing.assert_array_equal(ops.convert_to_numpy(gradient), weights[:, :, ::-1])


def test_one_pixel_wide_images_and_errors():
    images = np.arange(5, dtype="float32").reshape(1, 5, 1, 1)
    shift = np.array([[[1.0, 0.0, 0.5], [0.0, 1.0, 0.0], [0, 0, 1]]], "float32")
    # Reflect padding of a one-pixel-wide image repeats its only column.
    np.testing.assert_array_equal(ops.convert_to_numpy(affine_transform(images, shift)), images)
    with pytest.raises(ValueError, match="padding"):
        affine_transform(images, shift, padding="wrap")
    with pytest.raises(ValueError, match="matrices"):
        affine_transform(images, np.eye(3, dtype="float32"))
    with pytest.raises(ValueError, match="images"):
        affine_transform(images[0], shift)
