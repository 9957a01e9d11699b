import math

import keras
from keras import ops

from keras_gans.augment.affine_transform import affine_transform

# The 'bgc' pipeline of Karras et al. (2020), in the order it is applied:
# pixel blitting, general geometric transforms, colour transforms.
BLIT_TRANSFORMS = ("xflip", "rotate90", "xint")
GEOMETRIC_TRANSFORMS = ("scale", "rotate", "aniso", "xfrac")
COLOR_TRANSFORMS = ("brightness", "contrast", "lumaflip", "hue", "saturation")
ADA_TRANSFORMS = BLIT_TRANSFORMS + GEOMETRIC_TRANSFORMS + COLOR_TRANSFORMS

# Distributions of Appendix C of the paper.
XINT_MAX = 0.125  # integer translation: U(-0.125, 0.125) of the image size
SCALE_STD = 0.2  # isotropic scaling: 2^N(0, 0.2^2), i.e. lognormal(0, (0.2 ln 2)^2)
ANISO_STD = 0.2  # anisotropic scaling: 2^N(0, 0.2^2)
XFRAC_STD = 0.125  # fractional translation: N(0, 0.125^2) of the image size
BRIGHTNESS_STD = 0.2  # brightness: N(0, 0.2^2)
CONTRAST_STD = 0.5  # contrast: 2^N(0, 0.5^2)
SATURATION_STD = 1.0  # saturation: 2^N(0, 1)
# The axis (1, 1, 1) / sqrt(3) of RGB space that luma flip and hue rotation use.
_GREY_AXIS = (1.0 / math.sqrt(3.0),) * 3


@keras.saving.register_keras_serializable(package="keras_gans")
class AdaptiveAugment(keras.layers.Layer):
    """The ADA augmentation pipeline: each transform applied with probability p.

    The 'bgc' pipeline of Karras et al. (2020), Appendix C. For every image
    and every transform a coin with probability `p` decides whether the
    transform is applied (for `"rotate"`, a pre- and a post-rotation each
    with probability `1 - sqrt(1 - p)`, so that some rotation happens with
    probability `p`); its parameter is drawn as in the paper:

    | transform | effect | parameter |
    | --- | --- | --- |
    | `xflip` | mirror left-right | flip if `i = 1`, `i ~ U{0, 1}` |
    | `rotate90` | `i` quarter turns counter-clockwise (`numpy.rot90`) | `i ~ U{0, 1, 2, 3}` |
    | `xint` | shift by whole pixels | `round(t * size)`, `t ~ U(-0.125, 0.125)` per axis |
    | `scale` | zoom about the centre | `s ~ 2^N(0, 0.2^2)` |
    | `rotate` | rotate counter-clockwise about the centre | `theta ~ U(-pi, pi)` |
    | `aniso` | stretch x by `s`, y by `1 / s` | `s ~ 2^N(0, 0.2^2)` |
    | `xfrac` | shift by fractional pixels | `t * size`, `t ~ N(0, 0.125^2)` per axis |
    | `brightness` | `x + b` | `b ~ N(0, 0.2^2)` |
    | `contrast` | `c x` (around 0, the grey level of [-1, 1] images) | `c ~ 2^N(0, 0.5^2)` |
    | `lumaflip` | negate the component along the grey axis (1, 1, 1) | if `i = 1`, `i ~ U{0, 1}` |
    | `hue` | rotate colours about the grey axis | `theta ~ U(-pi, pi)` |
    | `saturation` | scale the component off the grey axis | `s ~ 2^N(0, 1)` |

    The geometric transforms (the first seven) are composed into one affine
    map per image, applied in one bilinear resampling with reflect padding
    (as the paper does; the paper additionally resamples at twice the
    resolution through a wavelet low-pass filter, which this implementation
    leaves out). Whole-pixel maps (flips, quarter turns, integer shifts, when
    no other geometric transform is drawn for the image) copy pixels exactly.
    The colour transforms are composed into one affine colour map per
    image, applied to RGB values; a one-channel image is treated as the
    grey colour `(x, x, x)` and the mean of the mapped channels is kept (so
    hue and saturation leave it unchanged).

    Range: the geometric transforms keep every value within the input's
    range (the output is a convex combination of input pixels). The colour
    transforms can leave [-1, 1] and are not clipped (as in the paper):
    brightness shifts, contrast and saturation scale, luma flip negates (it
    maps [-1, 1] grey levels onto [-1, 1]) and hue rotation turns colours in
    RGB space, which can move them out of the RGB cube.

    Everything is written in `keras.ops` and is differentiable with respect
    to the images. `p` is a call argument, a tensor or float, so it can
    change from step to step inside a compiled training step (an
    `AdaptiveAugmentController` adapts it). To reproduce a draw,
    `sample_parameters(image_shape, p)` returns the parameters and
    `transform(images, parameters)` applies them.

    Args:
        transforms: the transforms to use, a subset of `ADA_TRANSFORMS`
            (always applied in the order of that tuple). Defaults to all
            twelve ('bgc').
        seed: int or `None`, seed of the layer's random stream.
        **kwargs: base layer keyword arguments (`name`, ...).

    Example:

    ```python
    import numpy as np
    from keras_gans.augment import AdaptiveAugment

    augment = AdaptiveAugment(seed=0)
    images = np.random.uniform(-1, 1, (8, 32, 32, 3)).astype("float32")
    augmented = augment(images, p=0.3)  # each transform with probability 0.3
    ```

    Reference:
        - [Karras et al., 2020](https://arxiv.org/abs/2006.06676),
          "Training Generative Adversarial Networks with Limited Data",
          Appendix C.
    """

    def __init__(self, transforms=ADA_TRANSFORMS, seed=None, **kwargs):
        # Images keep their dtype (no cast to a mixed policy's float16).
        kwargs.setdefault("autocast", False)
        super().__init__(**kwargs)
        if isinstance(transforms, str):
            transforms = [name.strip() for name in transforms.split(",") if name.strip()]
        unknown = [name for name in transforms if name not in ADA_TRANSFORMS]
        if unknown:
            raise ValueError(
                f"Unknown ADA transform {unknown[0]!r}; known transforms: "
                f"{', '.join(ADA_TRANSFORMS)}. Received: transforms={transforms!r}"
            )
        self.transforms = tuple(name for name in ADA_TRANSFORMS if name in transforms)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.built = True  # no weights that depend on the input shape

    def sample_parameters(self, image_shape, p):
        """Draws the parameters of every enabled transform for each image.

        Args:
            image_shape: `(batch, height, width, channels)` of the images.
            p: probability of applying each transform, a scalar tensor or float.

        Returns:
            A dict of float32 tensors, identity values where a transform is
            not applied: `"xflip"`, `"lumaflip"`: `(batch,)` 0 or 1;
            `"rotate90"`: `(batch,)` quarter turns 0-3; `"xint"`, `"xfrac"`:
            `(batch, 2)` shifts `(dx, dy)` in pixels (content moves
            right/down when positive); `"scale"`, `"aniso"`, `"contrast"`,
            `"saturation"`: `(batch,)` factors (1 = identity);
            `"rotate_pre"`, `"rotate_post"`, `"hue"`: `(batch,)` angles in
            radians; `"brightness"`: `(batch,)` offsets.
        """
        batch = image_shape[0]
        height, width = float(image_shape[1]), float(image_shape[2])
        p = ops.clip(ops.cast(p, "float32"), 0.0, 1.0)
        size = ops.convert_to_tensor([width, height], "float32")
        parameters = {}
        for name in self.transforms:
            if name in ("xflip", "lumaflip"):
                value = ops.floor(self._uniform((batch,)) * 2.0)
                parameters[name] = self._where_applied(p, value, 0.0, batch)
            elif name == "rotate90":
                value = ops.minimum(ops.floor(self._uniform((batch,)) * 4.0), 3.0)
                parameters[name] = self._where_applied(p, value, 0.0, batch)
            elif name == "xint":
                t = (self._uniform((batch, 2)) * 2.0 - 1.0) * XINT_MAX
                value = ops.round(t * size)
                parameters[name] = self._where_applied(p, value, 0.0, batch)
            elif name in ("scale", "aniso"):
                std = SCALE_STD if name == "scale" else ANISO_STD
                value = ops.exp2(self._normal((batch,)) * std)
                parameters[name] = self._where_applied(p, value, 1.0, batch)
            elif name == "rotate":
                p_rotate = 1.0 - ops.sqrt(1.0 - p)
                for key in ("rotate_pre", "rotate_post"):
                    value = (self._uniform((batch,)) * 2.0 - 1.0) * math.pi
                    parameters[key] = self._where_applied(p_rotate, value, 0.0, batch)
            elif name == "xfrac":
                value = self._normal((batch, 2)) * XFRAC_STD * size
                parameters[name] = self._where_applied(p, value, 0.0, batch)
            elif name == "brightness":
                value = self._normal((batch,)) * BRIGHTNESS_STD
                parameters[name] = self._where_applied(p, value, 0.0, batch)
            elif name == "contrast":
                value = ops.exp2(self._normal((batch,)) * CONTRAST_STD)
                parameters[name] = self._where_applied(p, value, 1.0, batch)
            elif name == "hue":
                value = (self._uniform((batch,)) * 2.0 - 1.0) * math.pi
                parameters[name] = self._where_applied(p, value, 0.0, batch)
            else:  # saturation
                value = ops.exp2(self._normal((batch,)) * SATURATION_STD)
                parameters[name] = self._where_applied(p, value, 1.0, batch)
        return parameters

    def transform(self, images, parameters):
        """Applies the transforms with the given `parameters` (see `sample_parameters`)."""
        images = ops.convert_to_tensor(images)
        if any(name in self.transforms for name in BLIT_TRANSFORMS + GEOMETRIC_TRANSFORMS):
            images = affine_transform(images, _geometric_matrices(parameters), padding="reflect")
        if any(name in self.transforms for name in COLOR_TRANSFORMS):
            images = _apply_color_matrices(images, _color_matrices(parameters))
        return images

    def call(self, images, p):
        images = ops.convert_to_tensor(images)
        if len(images.shape) != 4:
            raise ValueError(
                "AdaptiveAugment expects (batch, height, width, channels) images. "
                f"Received: images.shape={tuple(images.shape)}"
            )
        if any(name in self.transforms for name in COLOR_TRANSFORMS) and images.shape[-1] not in (1, 3):
            raise ValueError(
                "The colour transforms of AdaptiveAugment need 1 or 3 channels. "
                f"Received: images.shape={tuple(images.shape)}, transforms={self.transforms}"
            )
        image_shape = (ops.shape(images)[0],) + tuple(images.shape[1:])
        return self.transform(images, self.sample_parameters(image_shape, p))

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update({"transforms": list(self.transforms), "seed": self.seed})
        return config

    def _uniform(self, shape):
        return keras.random.uniform(shape, dtype="float32", seed=self.seed_generator)

    def _normal(self, shape):
        return keras.random.normal(shape, dtype="float32", seed=self.seed_generator)

    def _where_applied(self, p, value, identity, batch):
        """`value` for the images whose coin (probability `p`) comes up, else `identity`."""
        applied = self._uniform((batch,)) < p
        if len(value.shape) == 2:
            applied = applied[:, None]
        return ops.where(applied, value, identity)


def _stack_matrices(rows):
    """A `(batch, n, n)` tensor from nested rows of `(batch,)` tensors and floats."""
    reference = next(entry for row in rows for entry in row if not isinstance(entry, (int, float)))
    ones = ops.ones_like(reference)
    entries = [entry * ones if isinstance(entry, (int, float)) else entry for row in rows for entry in row]
    return ops.reshape(ops.stack(entries, axis=-1), (-1, len(rows), len(rows)))


def _translation(dx, dy):
    return _stack_matrices([[1.0, 0.0, dx], [0.0, 1.0, dy], [0.0, 0.0, 1.0]])


def _scaling(sx, sy):
    return _stack_matrices([[sx, 0.0, 0.0], [0.0, sy, 0.0], [0.0, 0.0, 1.0]])


def _rotation(theta):
    """Counter-clockwise as displayed (x right, y down)."""
    cos, sin = ops.cos(theta), ops.sin(theta)
    return _stack_matrices([[cos, sin, 0.0], [-sin, cos, 0.0], [0.0, 0.0, 1.0]])


def _quarter_turns(turns):
    """Counter-clockwise rotation by `turns` quarter turns, with exact entries."""
    cos = ops.cast(ops.equal(turns, 0.0), "float32") - ops.cast(ops.equal(turns, 2.0), "float32")
    sin = ops.cast(ops.equal(turns, 1.0), "float32") - ops.cast(ops.equal(turns, 3.0), "float32")
    return _stack_matrices([[cos, sin, 0.0], [-sin, cos, 0.0], [0.0, 0.0, 1.0]])


def _reciprocal(factor):
    # Exactly 1 for the identity factor 1 (TensorFlow graphs compute 1 / 1 as 1 - 6e-8).
    return ops.where(ops.equal(factor, 1.0), 1.0, 1.0 / factor)


def _geometric_matrices(parameters):
    """The `(batch, 3, 3)` maps from output to input positions of the geometric transforms.

    The transforms happen in the order xflip, rotate90, xint, scale, pre-rotation,
    aniso, post-rotation, xfrac, so the map that reads the input composes
    their inverses in that same order: `inv(xflip) @ inv(rotate90) @ ...`.
    """
    inverses = []
    if "xflip" in parameters:
        inverses.append(_scaling(1.0 - 2.0 * parameters["xflip"], 1.0))
    if "rotate90" in parameters:
        inverses.append(_quarter_turns(ops.mod(4.0 - parameters["rotate90"], 4.0)))
    if "xint" in parameters:
        inverses.append(_translation(-parameters["xint"][:, 0], -parameters["xint"][:, 1]))
    if "scale" in parameters:
        inverses.append(_scaling(_reciprocal(parameters["scale"]), _reciprocal(parameters["scale"])))
    if "rotate_pre" in parameters:
        inverses.append(_rotation(-parameters["rotate_pre"]))
    if "aniso" in parameters:
        inverses.append(_scaling(_reciprocal(parameters["aniso"]), parameters["aniso"]))
    if "rotate_post" in parameters:
        inverses.append(_rotation(-parameters["rotate_post"]))
    if "xfrac" in parameters:
        inverses.append(_translation(-parameters["xfrac"][:, 0], -parameters["xfrac"][:, 1]))
    matrix = inverses[0]
    for inverse in inverses[1:]:
        matrix = ops.matmul(matrix, inverse)
    return matrix


def _color_translation(offset):
    return _stack_matrices(
        [
            [1.0, 0.0, 0.0, offset],
            [0.0, 1.0, 0.0, offset],
            [0.0, 0.0, 1.0, offset],
            [0.0, 0.0, 0.0, 1.0],
        ]
    )


def _color_scaling(factor):
    return _stack_matrices(
        [
            [factor, 0.0, 0.0, 0.0],
            [0.0, factor, 0.0, 0.0],
            [0.0, 0.0, factor, 0.0],
            [0.0, 0.0, 0.0, 1.0],
        ]
    )


def _grey_axis_scaling(along, across):
    """Scales the component along the grey axis by `along`, the rest by `across`."""
    v = _GREY_AXIS
    rows = []
    for i in range(3):
        row = []
        for j in range(3):
            projection = v[i] * v[j]  # P = v v^T
            identity = 1.0 if i == j else 0.0
            # I + (along - 1) P + (across - 1) (I - P): exactly I for along = across = 1.
            row.append(identity + (along - 1.0) * projection + (across - 1.0) * (identity - projection))
        rows.append(row + [0.0])
    return _stack_matrices(rows + [[0.0, 0.0, 0.0, 1.0]])


def _grey_axis_rotation(theta):
    """Rotation by `theta` about the grey axis (Rodrigues: cos I + sin [v]x + (1 - cos) v v^T)."""
    v = _GREY_AXIS
    cross = ((0.0, -v[2], v[1]), (v[2], 0.0, -v[0]), (-v[1], v[0], 0.0))
    cos, sin = ops.cos(theta), ops.sin(theta)
    rows = []
    for i in range(3):
        row = []
        for j in range(3):
            identity = 1.0 if i == j else 0.0
            row.append(cos * identity + sin * cross[i][j] + (1.0 - cos) * v[i] * v[j])
        rows.append(row + [0.0])
    return _stack_matrices(rows + [[0.0, 0.0, 0.0, 1.0]])


def _color_matrices(parameters):
    """The `(batch, 4, 4)` affine colour maps (on homogeneous RGB) of the colour transforms.

    The transforms happen in the order of `COLOR_TRANSFORMS`, so each one's
    matrix multiplies the map so far from the left.
    """
    matrix = None
    for name in COLOR_TRANSFORMS:
        if name not in parameters:
            continue
        value = parameters[name]
        if name == "brightness":
            step = _color_translation(value)
        elif name == "contrast":
            step = _color_scaling(value)
        elif name == "lumaflip":
            step = _grey_axis_scaling(1.0 - 2.0 * value, 1.0)
        elif name == "hue":
            step = _grey_axis_rotation(value)
        else:
            step = _grey_axis_scaling(1.0, value)
        matrix = step if matrix is None else ops.matmul(step, matrix)
    return matrix


def _apply_color_matrices(images, matrices):
    """Applies per-image `(batch, 4, 4)` colour maps to RGB or one-channel images."""
    matrices = ops.cast(matrices, images.dtype)
    linear, offset = matrices[:, :3, :3], matrices[:, :3, 3]
    if images.shape[-1] == 1:
        # A grey value x is the colour (x, x, x); keep the mean of the mapped channels.
        gain = ops.mean(ops.sum(linear, axis=2), axis=1)
        return images * ops.reshape(gain, (-1, 1, 1, 1)) + ops.reshape(
            ops.mean(offset, axis=1), (-1, 1, 1, 1)
        )
    return ops.einsum("bij,bhwj->bhwi", linear, images) + offset[:, None, None, :]
