"""Colour images cut into patches, from a user's array or a scikit-image sample image."""

import numbers

import numpy as np

# RGB photographs shipped inside the scikit-image package (no download).
SCIKIT_IMAGE_COLOUR_IMAGES = ("astronaut", "chelsea", "coffee", "rocket", "immunohistochemistry")
SPLITS = ("train", "test")


def image_patches(image, patch_size, stride=None):
    """Cuts one image into square patches, scaled to [-1, 1].

    Patches are taken on a grid with step `stride` (non-overlapping by default),
    left to right and top to bottom; a border narrower than a patch is left out.

    Args:
        image: `(height, width, channels)` or `(height, width)` array, uint8 in
            [0, 255] or float in [-1, 1].
        patch_size: int, side of a patch.
        stride: int, step between patches; defaults to `patch_size`.

    Returns:
        float32 patches `(n, patch_size, patch_size, channels)` in [-1, 1].

    Example:

    ```python
    patches = keras_gans.data.image_patches(photo, 32, stride=16)
    ```
    """
    image = np.asarray(image)
    if image.ndim == 2:
        image = image[..., None]
    if image.ndim != 3:
        raise ValueError(
            f"`image` must be (height, width, channels) or (height, width). "
            f"Received: image.shape={image.shape}"
        )
    if image.dtype == np.uint8:
        image = image.astype("float32") / 127.5 - 1.0
    elif np.issubdtype(image.dtype, np.floating):
        if image.min() < -1 - 1e-6 or image.max() > 1 + 1e-6:
            raise ValueError(
                "A float `image` must be scaled to [-1, 1] (or pass uint8). Received: values "
                f"from {float(image.min()):.3g} to {float(image.max()):.3g}"
            )
        image = image.astype("float32")
    else:
        raise ValueError(f"`image` must be uint8 or float. Received: dtype={image.dtype}")
    for name, value in (("patch_size", patch_size), ("stride", stride)):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1
        ):
            raise ValueError(f"`{name}` must be a positive integer. Received: {name}={value!r}")
    stride = patch_size if stride is None else stride
    height, width, _ = image.shape
    if patch_size > min(height, width):
        raise ValueError(
            f"`patch_size` must fit in the image ({height}x{width}). Received: patch_size={patch_size}"
        )
    patches = [
        image[top : top + patch_size, left : left + patch_size]
        for top in range(0, height - patch_size + 1, stride)
        for left in range(0, width - patch_size + 1, stride)
    ]
    return np.stack(patches)


def scikit_image_patches(name="astronaut", patch_size=32, stride=None, split="train", test_fraction=0.25):
    """Patches of an RGB photograph that scikit-image ships (`skimage.data`), for colour tasks.

    The image's columns are split in two: patches of the `"train"` split come from the
    left `1 - test_fraction` of the width, those of `"test"` from the rest, so no test
    pixel is seen in training. Needs `scikit-image` (`pip install scikit-image`).

    Args:
        name: one of `SCIKIT_IMAGE_COLOUR_IMAGES` (`"astronaut"` is 512x512).
        patch_size: int, side of a patch.
        stride: int, step between patches; defaults to `patch_size`.
        split: `"train"` or `"test"`.
        test_fraction: float in (0, 1), the share of the width kept for testing.

    Returns:
        float32 patches `(n, patch_size, patch_size, 3)` in [-1, 1].

    Example:

    ```python
    patches = keras_gans.data.scikit_image_patches("astronaut", 32, stride=16)
    low, high = keras_gans.data.super_resolution_pairs(patches, 4)  # colour x4
    ```
    """
    if name not in SCIKIT_IMAGE_COLOUR_IMAGES:
        raise ValueError(
            f"Unknown scikit-image colour image {name!r}. Known images: "
            f"{', '.join(SCIKIT_IMAGE_COLOUR_IMAGES)}. Received: name={name!r}"
        )
    if split not in SPLITS:
        raise ValueError(f"`split` must be 'train' or 'test'. Received: split={split!r}")
    if not 0 < test_fraction < 1:
        raise ValueError(f"`test_fraction` must be in (0, 1). Received: test_fraction={test_fraction!r}")
    try:
        import skimage.data
    except ImportError as error:
        raise ImportError("scikit_image_patches needs scikit-image: `pip install scikit-image`.") from error
    image = getattr(skimage.data, name)()
    boundary = int(round(image.shape[1] * (1 - test_fraction)))
    part = image[:, :boundary] if split == "train" else image[:, boundary:]
    return image_patches(part, patch_size, stride)
