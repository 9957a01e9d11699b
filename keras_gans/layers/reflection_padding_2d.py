import keras
from keras import ops


@keras.saving.register_keras_serializable(package="keras_gans")
class ReflectionPadding2D(keras.layers.Layer):
    """Pads the height and width of NHWC images by reflection (mirror without the edge).

    `padding=((top, bottom), (left, right))` rows and columns are added as
    `numpy.pad(..., mode="reflect")` adds them: the row above the image is its
    second row, and so on. Each pad must be smaller than the side it pads.
    CycleGAN's ResNet generator pads this way before its 7x7 and 3x3
    convolutions, which avoids the dark borders of zero padding.

    Args:
        padding: int, `(rows, columns)` or `((top, bottom), (left, right))`.
        **kwargs: base layer keyword arguments (`name`, `dtype`, ...).

    Example:

    ```python
    x = np.arange(16, dtype="float32").reshape(1, 4, 4, 1)
    y = ReflectionPadding2D(3)(x)  # (1, 10, 10, 1)
    ```

    Reference:
        - [Zhu et al., 2017](https://arxiv.org/abs/1703.10593), "Unpaired Image-to-Image
          Translation using Cycle-Consistent Adversarial Networks" (Appendix 7.2).
    """

    def __init__(self, padding=1, **kwargs):
        super().__init__(**kwargs)
        self.padding = _normalize_padding(padding)
        self.input_spec = keras.layers.InputSpec(ndim=4)

    def build(self, input_shape):
        (top, bottom), (left, right) = self.padding
        for side_name, side, pads in (
            ("height", input_shape[1], (top, bottom)),
            ("width", input_shape[2], (left, right)),
        ):
            if side is not None and max(pads) >= side:
                raise ValueError(
                    f"Reflection padding must be smaller than the side it pads; the input "
                    f"{side_name} is {side}. Received: padding={self.padding}"
                )
        self.built = True

    def call(self, inputs):
        (top, bottom), (left, right) = self.padding
        return ops.pad(inputs, [[0, 0], [top, bottom], [left, right], [0, 0]], mode="reflect")

    def compute_output_shape(self, input_shape):
        (top, bottom), (left, right) = self.padding
        height, width = input_shape[1], input_shape[2]
        return (
            input_shape[0],
            None if height is None else height + top + bottom,
            None if width is None else width + left + right,
            input_shape[3],
        )

    def get_config(self):
        return {**super().get_config(), "padding": self.padding}


def _normalize_padding(padding):
    def is_pad(value):
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0

    if is_pad(padding):
        return ((padding, padding), (padding, padding))
    try:
        rows, columns = padding
        if is_pad(rows) and is_pad(columns):
            return ((rows, rows), (columns, columns))
        (top, bottom), (left, right) = rows, columns
        if all(is_pad(value) for value in (top, bottom, left, right)):
            return ((top, bottom), (left, right))
    except (TypeError, ValueError):
        pass
    raise ValueError(
        "`padding` must be a non-negative int, (rows, columns) or ((top, bottom), "
        f"(left, right)). Received: padding={padding!r}"
    )
