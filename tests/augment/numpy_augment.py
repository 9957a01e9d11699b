"""Independent NumPy/SciPy versions of the augmentations, written from the papers' definitions.

Positions are pixel centres relative to the image centre, x to the right and
y down; rotations are counter-clockwise as displayed. Geometric transforms are
written as functions on coordinate arrays (no matrices) and sampled with
`scipy.ndimage.map_coordinates`.
"""

import numpy as np
from scipy import ndimage
from scipy.spatial.transform import Rotation

GREY_AXIS = np.ones(3) / np.sqrt(3.0)


def centred_grid(height, width):
    y, x = np.meshgrid(np.arange(height, dtype=np.float64), np.arange(width, dtype=np.float64), indexing="ij")
    return x - (width - 1) / 2.0, y - (height - 1) / 2.0


def sample_image(image, x, y, mode):
    """Bilinear samples of an HWC image at centred positions (x, y); mode: scipy's."""
    height, width = image.shape[:2]
    rows, cols = y + (height - 1) / 2.0, x + (width - 1) / 2.0
    channels = [
        ndimage.map_coordinates(image[..., c].astype(np.float64), [rows, cols], order=1, mode=mode, cval=0.0)
        for c in range(image.shape[-1])
    ]
    return np.stack(channels, axis=-1)


def unrotate(x, y, theta):
    """Where a point at (x, y) was before a counter-clockwise rotation by theta."""
    up = -y  # y up, the usual orientation for counter-clockwise
    source_x = np.cos(theta) * x + np.sin(theta) * up
    source_up = -np.sin(theta) * x + np.cos(theta) * up
    return source_x, -source_up


def ada_source_positions(height, width, params):
    """Undo, last first, xfrac, post-rotation, aniso, pre-rotation, scale, xint, rotate90, xflip."""
    x, y = centred_grid(height, width)
    if "xfrac" in params:
        x, y = x - params["xfrac"][0], y - params["xfrac"][1]
    if "rotate_post" in params:
        x, y = unrotate(x, y, params["rotate_post"])
    if "aniso" in params:
        x, y = x / params["aniso"], y * params["aniso"]
    if "rotate_pre" in params:
        x, y = unrotate(x, y, params["rotate_pre"])
    if "scale" in params:
        x, y = x / params["scale"], y / params["scale"]
    if "xint" in params:
        x, y = x - params["xint"][0], y - params["xint"][1]
    if "rotate90" in params:
        x, y = unrotate(x, y, params["rotate90"] * np.pi / 2)
    if "xflip" in params and params["xflip"] == 1:
        x = -x
    return x, y


def ada_color(image, params):
    """brightness, contrast, lumaflip, hue, saturation on an HWC image (RGB or grey)."""
    grey = image.shape[-1] == 1
    rgb = np.repeat(image, 3, axis=-1) if grey else image.astype(np.float64)
    if "brightness" in params:
        rgb = rgb + params["brightness"]
    if "contrast" in params:
        rgb = rgb * params["contrast"]
    if "lumaflip" in params and params["lumaflip"] == 1:
        rgb = rgb - 2.0 * (rgb @ GREY_AXIS)[..., None] * GREY_AXIS
    if "hue" in params:
        rotation = Rotation.from_rotvec(params["hue"] * GREY_AXIS)
        rgb = rotation.apply(rgb.reshape(-1, 3)).reshape(rgb.shape)
    if "saturation" in params:
        grey_part = rgb.mean(axis=-1, keepdims=True)
        rgb = grey_part + params["saturation"] * (rgb - grey_part)
    return rgb.mean(axis=-1, keepdims=True) if grey else rgb


def ada(image, params):
    """The ADA pipeline on one HWC image with per-image scalar parameters."""
    geometric = {"xflip", "rotate90", "xint", "scale", "rotate_pre", "aniso", "rotate_post", "xfrac"}
    if geometric & set(params):
        x, y = ada_source_positions(image.shape[0], image.shape[1], params)
        image = sample_image(image, x, y, mode="mirror")
    return ada_color(image, params)


def diff_augment(image, params, policies, cutout_size):
    """DiffAugment on one HWC image."""
    image = image.astype(np.float64)
    height, width = image.shape[:2]
    for policy in policies:
        if policy == "color":
            image = image + params["brightness"]
            channel_mean = image.mean(axis=-1, keepdims=True)
            image = channel_mean + params["saturation"] * (image - channel_mean)
            image_mean = image.mean()
            image = image_mean + params["contrast"] * (image - image_mean)
        elif policy == "translation":
            dx, dy = (int(v) for v in params["translation"])
            shifted = np.zeros_like(image)
            for row in range(height):
                for col in range(width):
                    if 0 <= row - dy < height and 0 <= col - dx < width:
                        shifted[row, col] = image[row - dy, col - dx]
            image = shifted
        else:
            cx, cy = (int(v) for v in params["cutout"])
            top, left = cy - cutout_size[0] // 2, cx - cutout_size[1] // 2
            image = image.copy()
            image[
                max(top, 0) : max(top + cutout_size[0], 0), max(left, 0) : max(left + cutout_size[1], 0)
            ] = 0.0
    return image


def per_image(params, b):
    """The parameters of image b, as Python scalars / small arrays."""
    out = {}
    for key, value in params.items():
        value = np.asarray(value)[b]
        out[key] = value if value.ndim else float(value)
    return out
