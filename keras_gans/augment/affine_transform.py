from keras import ops

PADDING_MODES = ("reflect", "zeros")


def affine_transform(images, matrices, padding="reflect"):
    """Resamples each image through its own affine map, with bilinear interpolation.

    Positions are in pixels relative to the image centre
    `((width - 1) / 2, (height - 1) / 2)`, with x to the right and y down.
    `matrices[b]` maps the position `(x, y, 1)` of an output pixel of image
    `b` to the position it is read from in the input, so it is the *inverse*
    of the transform that the image undergoes (to shift the content right by
    `t` pixels, read from `x - t`). Between pixel centres the value is
    interpolated bilinearly; outside the image it comes from the padding:

    - `"reflect"`: the image mirrored at its edge pixels, without repeating
      them (`numpy.pad(mode="reflect")`, `scipy.ndimage` `mode="mirror"`), the
      padding of Karras et al. (2020). Every output is a convex combination
      of input pixels, so the output stays within the input's range.
    - `"zeros"`: zeros outside (mid-grey for images in [-1, 1]).

    A map with whole-number entries (flips, quarter turns, whole-pixel
    shifts) reads exact pixel positions and copies pixels exactly. The
    output is linear in `images`, so gradients flow to the images (and
    to the matrices).

    Args:
        images: a `(batch, height, width, channels)` tensor.
        matrices: a `(batch, 3, 3)` or `(batch, 2, 3)` tensor of affine maps
            (a 3x3 map's last row is ignored).
        padding: `"reflect"` (default) or `"zeros"`.

    Returns:
        A tensor with the shape and dtype of `images`.

    Example:

    ```python
    import numpy as np
    from keras_gans.augment import affine_transform

    images = np.random.uniform(-1, 1, (2, 32, 32, 3)).astype("float32")
    flip = np.array([[-1, 0, 0], [0, 1, 0], [0, 0, 1]], "float32")
    flipped = affine_transform(images, np.stack([flip, flip]))  # images[:, :, ::-1]
    ```
    """
    if padding not in PADDING_MODES:
        raise ValueError(f"`padding` must be one of {PADDING_MODES}. Received: padding={padding!r}")
    images = ops.convert_to_tensor(images)
    if len(images.shape) != 4:
        raise ValueError(
            "`images` must be a (batch, height, width, channels) tensor. "
            f"Received: images.shape={tuple(images.shape)}"
        )
    matrices = ops.cast(ops.convert_to_tensor(matrices), "float32")
    if len(matrices.shape) != 3 or tuple(matrices.shape[1:]) not in ((3, 3), (2, 3)):
        raise ValueError(
            "`matrices` must have shape (batch, 3, 3) or (batch, 2, 3). "
            f"Received: matrices.shape={tuple(matrices.shape)}"
        )
    height, width = int(images.shape[1]), int(images.shape[2])
    center_x, center_y = (width - 1) / 2.0, (height - 1) / 2.0
    rows, cols = ops.meshgrid(
        ops.arange(height, dtype="float32") - center_y,
        ops.arange(width, dtype="float32") - center_x,
        indexing="ij",
    )
    positions = ops.stack(
        [ops.reshape(cols, (-1,)), ops.reshape(rows, (-1,)), ops.ones((height * width,))],
        axis=0,
    )  # (3, height * width): (x, y, 1) of every output pixel.
    source = ops.einsum("bij,jn->bin", matrices[:, :2, :], positions)
    x = source[:, 0, :] + center_x
    y = source[:, 1, :] + center_y
    sampled = _bilinear_sample(images, x, y, padding)
    return ops.reshape(sampled, ops.shape(images))


def _bilinear_sample(images, x, y, padding="reflect"):
    """Bilinear samples of `images` at pixel positions `(x, y)`.

    Args:
        images: a `(batch, height, width, channels)` tensor.
        x, y: `(batch, n)` float32 column and row positions (0 is the first
            pixel's centre).
        padding: `"reflect"` or `"zeros"` (see `affine_transform`).

    Returns:
        A `(batch, n, channels)` tensor in the dtype of `images`.
    """
    height, width = int(images.shape[1]), int(images.shape[2])
    x0, y0 = ops.floor(x), ops.floor(y)
    wx1, wy1 = x - x0, y - y0
    x0, y0 = ops.cast(x0, "int32"), ops.cast(y0, "int32")
    output = None
    for row, row_weight in ((y0, 1.0 - wy1), (y0 + 1, wy1)):
        for col, col_weight in ((x0, 1.0 - wx1), (x0 + 1, wx1)):
            weight = row_weight * col_weight
            row_index, row_valid = _padded_index(row, height, padding)
            col_index, col_valid = _padded_index(col, width, padding)
            if padding == "zeros":
                weight = weight * ops.cast(row_valid & col_valid, "float32")
            values = _gather_pixels(images, row_index, col_index)
            term = ops.cast(weight, images.dtype)[..., None] * values
            output = term if output is None else output + term
    return output


def _gather_pixels(images, rows, cols):
    """The pixels `images[b, rows[b, i], cols[b, i]]`, as a `(batch, n, channels)` tensor."""
    height, width, channels = (int(d) for d in images.shape[1:])
    batch = ops.shape(images)[0]
    flat = ops.reshape(images, (-1, channels))
    offsets = ops.arange(batch, dtype="int32")[:, None] * (height * width)
    indices = offsets + rows * width + cols
    pixels = ops.take(flat, ops.reshape(indices, (-1,)), axis=0)
    return ops.reshape(pixels, (batch, -1, channels))


def _padded_index(index, size, padding):
    """(index into the image, whether the position is inside it)."""
    valid = (index >= 0) & (index < size)
    if padding == "zeros" or size == 1:
        return ops.clip(index, 0, size - 1), valid
    period = 2 * (size - 1)
    index = ops.mod(index, period)  # in [0, period) for a positive period
    return ops.where(index > size - 1, period - index, index), valid
