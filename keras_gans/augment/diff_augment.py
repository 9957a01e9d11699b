import keras
from keras import ops

from keras_gans.augment.affine_transform import affine_transform

DIFF_AUGMENT_POLICIES = ("color", "translation", "cutout")
# Parameters each policy draws, in the order they are applied.
_POLICY_PARAMETERS = {
    "color": ("brightness", "saturation", "contrast"),
    "translation": ("translation",),
    "cutout": ("cutout",),
}


@keras.saving.register_keras_serializable(package="keras_gans")
class DiffAugment(keras.layers.Layer):
    """Differentiable augmentation (DiffAugment) of everything D sees.

    Each call draws new random parameters for every image and applies the
    policies in the order given, all in `keras.ops` and differentiable with
    respect to the images (the output is an affine function of them), so the
    same augmentation can sit in front of the discriminator in both its own
    and the generator's objective. Images are expected in [-1, 1]:

    - `"color"`: brightness `x + b`, `b ~ U[-0.5, 0.5)`; saturation
      `m_c + s (x - m_c)` around the per-pixel mean over channels,
      `s ~ U[0, 2)` (no change for one channel); contrast
      `m + c (x - m)` around the image's mean, `c ~ U[0.5, 1.5)`.
    - `"translation"`: an integer shift of up to `round(size / 8)` pixels
      (uniform, independently along rows and columns), zero-padded: pixels
      moved in from outside are 0 (mid-grey).
    - `"cutout"`: a square of half the image's size (`round(size / 2)` on
      each side) set to 0, its centre uniform over the image (it may be cut
      by the border).

    Range: translation and cutout keep values within [-1, 1]. The colour
    policy can leave it, as in the paper (there is no clipping): brightness
    moves values by up to 0.5, then saturation and contrast stretch
    deviations from a mean by up to 2x and 1.5x.

    Call the layer on a batch: `augmented = diff_augment(images)`. To
    reproduce a draw, `sample_parameters(batch_size)` returns the parameters
    and `transform(images, parameters)` applies them.

    Args:
        policy: comma-separated policies from `"color"`, `"translation"`,
            `"cutout"`. Defaults to `"color,translation,cutout"`, the
            paper's choice for training with limited data.
        translation_ratio: largest shift, as a fraction of the image size.
            Defaults to `0.125`.
        cutout_ratio: side of the cutout square, as a fraction of the image
            size. Defaults to `0.5`.
        seed: int or `None`, seed of the layer's random stream.
        **kwargs: base layer keyword arguments (`name`, ...).

    Example:

    ```python
    import numpy as np
    from keras_gans.augment import DiffAugment

    augment = DiffAugment("color,translation,cutout", seed=0)
    images = np.random.uniform(-1, 1, (8, 32, 32, 3)).astype("float32")
    augmented = augment(images)  # new random draw at every call
    ```

    Reference:
        - [Zhao et al., 2020](https://arxiv.org/abs/2006.10738),
          "Differentiable Augmentation for Data-Efficient GAN Training".
    """

    def __init__(
        self,
        policy="color,translation,cutout",
        translation_ratio=0.125,
        cutout_ratio=0.5,
        seed=None,
        **kwargs,
    ):
        # Images keep their dtype (no cast to a mixed policy's float16).
        kwargs.setdefault("autocast", False)
        super().__init__(**kwargs)
        names = [name.strip() for name in policy.split(",") if name.strip()]
        unknown = [name for name in names if name not in DIFF_AUGMENT_POLICIES]
        if unknown:
            raise ValueError(
                f"Unknown DiffAugment policy {unknown[0]!r}; known policies: "
                f"{', '.join(DIFF_AUGMENT_POLICIES)}. Received: policy={policy!r}"
            )
        if not 0.0 <= translation_ratio <= 1.0 or not 0.0 <= cutout_ratio <= 1.0:
            raise ValueError(
                "`translation_ratio` and `cutout_ratio` must be in [0, 1]. Received: "
                f"translation_ratio={translation_ratio}, cutout_ratio={cutout_ratio}"
            )
        self.policy = policy
        self.policies = tuple(names)
        self.translation_ratio = float(translation_ratio)
        self.cutout_ratio = float(cutout_ratio)
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.built = True  # no weights that depend on the input shape

    def max_shift(self, size):
        """Largest translation in pixels along a side of `size` pixels."""
        return int(size * self.translation_ratio + 0.5)

    def cutout_size(self, size):
        """Side in pixels of the cutout square along a side of `size` pixels."""
        return int(size * self.cutout_ratio + 0.5)

    def sample_parameters(self, image_shape):
        """Draws one set of parameters per image.

        Args:
            image_shape: `(batch, height, width, channels)` of the images.

        Returns:
            A dict with, for each parameter of the layer's policies, a float32
            tensor: `"brightness"`, `"saturation"`, `"contrast"`: `(batch,)`;
            `"translation"`: `(batch, 2)` shifts `(dx, dy)` in pixels (the
            content moves right/down for positive values); `"cutout"`:
            `(batch, 2)` centres `(column, row)` of the square.
        """
        batch, height, width = image_shape[0], int(image_shape[1]), int(image_shape[2])
        parameters = {}
        for policy in self.policies:
            for name in _POLICY_PARAMETERS[policy]:
                if name in parameters:
                    continue
                if name == "brightness":
                    value = self._uniform((batch,)) - 0.5
                elif name == "saturation":
                    value = self._uniform((batch,)) * 2.0
                elif name == "contrast":
                    value = self._uniform((batch,)) + 0.5
                elif name == "translation":
                    value = ops.stack(
                        [
                            self._integers(batch, -self.max_shift(width), self.max_shift(width)),
                            self._integers(batch, -self.max_shift(height), self.max_shift(height)),
                        ],
                        axis=-1,
                    )
                else:  # cutout: centres over size + 1 positions when the side is even.
                    size_x, size_y = self.cutout_size(width), self.cutout_size(height)
                    value = ops.stack(
                        [
                            self._integers(batch, 0, width - size_x % 2),
                            self._integers(batch, 0, height - size_y % 2),
                        ],
                        axis=-1,
                    )
                parameters[name] = value
        return parameters

    def transform(self, images, parameters):
        """Applies the layer's policies with the given `parameters` (see `sample_parameters`)."""
        images = ops.convert_to_tensor(images)
        for policy in self.policies:
            if policy == "color":
                images = _adjust_brightness(images, parameters["brightness"])
                images = _adjust_saturation(images, parameters["saturation"])
                images = _adjust_contrast(images, parameters["contrast"])
            elif policy == "translation":
                images = _translate(images, parameters["translation"])
            else:
                images = _cut_out(
                    images,
                    parameters["cutout"],
                    (self.cutout_size(images.shape[1]), self.cutout_size(images.shape[2])),
                )
        return images

    def call(self, images):
        images = ops.convert_to_tensor(images)
        if len(images.shape) != 4:
            raise ValueError(
                "DiffAugment expects (batch, height, width, channels) images. "
                f"Received: images.shape={tuple(images.shape)}"
            )
        parameters = self.sample_parameters((ops.shape(images)[0],) + tuple(images.shape[1:]))
        return self.transform(images, parameters)

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        config = super().get_config()
        config.update(
            {
                "policy": self.policy,
                "translation_ratio": self.translation_ratio,
                "cutout_ratio": self.cutout_ratio,
                "seed": self.seed,
            }
        )
        return config

    def _uniform(self, shape):
        return keras.random.uniform(shape, dtype="float32", seed=self.seed_generator)

    def _integers(self, batch, low, high):
        """Integers uniform in [low, high], as float32."""
        value = ops.floor(self._uniform((batch,)) * (high - low + 1)) + low
        return ops.minimum(value, float(high))


def _per_image(values, images):
    return ops.reshape(ops.cast(values, images.dtype), (-1, 1, 1, 1))


def _adjust_brightness(images, brightness):
    """`images + brightness`, one brightness per image."""
    return images + _per_image(brightness, images)


def _adjust_saturation(images, saturation):
    """Scales each pixel's deviation from its mean over channels by `saturation`."""
    mean = ops.mean(images, axis=-1, keepdims=True)
    return mean + (images - mean) * _per_image(saturation, images)


def _adjust_contrast(images, contrast):
    """Scales each image's deviation from its mean (over all pixels and channels) by `contrast`."""
    mean = ops.mean(images, axis=(1, 2, 3), keepdims=True)
    return mean + (images - mean) * _per_image(contrast, images)


def _translate(images, shifts):
    """Shifts each image by whole pixels `(dx, dy)`, zero-padded."""
    shifts = ops.cast(shifts, "float32")
    zeros, ones = ops.zeros_like(shifts[:, 0]), ops.ones_like(shifts[:, 0])
    # The inverse map, output position -> input position: x - dx, y - dy.
    matrices = ops.reshape(
        ops.stack([ones, zeros, -shifts[:, 0], zeros, ones, -shifts[:, 1]], axis=-1),
        (-1, 2, 3),
    )
    return affine_transform(images, matrices, padding="zeros")


def _cut_out(images, centres, size):
    """Zeroes a `size = (rows, columns)` rectangle centred at `centres` `(column, row)` in each image."""
    height, width = int(images.shape[1]), int(images.shape[2])
    centres = ops.cast(centres, "float32")
    top = centres[:, 1] - float(size[0] // 2)
    left = centres[:, 0] - float(size[1] // 2)
    rows = ops.arange(height, dtype="float32")[None, :]
    cols = ops.arange(width, dtype="float32")[None, :]
    inside_rows = (rows >= top[:, None]) & (rows < top[:, None] + size[0])
    inside_cols = (cols >= left[:, None]) & (cols < left[:, None] + size[1])
    inside = inside_rows[:, :, None] & inside_cols[:, None, :]
    keep = ops.cast(ops.logical_not(inside), images.dtype)[..., None]
    return images * keep
