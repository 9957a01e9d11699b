import keras
import numpy as np
import pytest
from keras import ops

from keras_gans.layers.reflection_padding_2d import ReflectionPadding2D


def numpy_reflect(x, top, bottom, left, right):
    """Mirror padding written out index by index: row -k is row k, row H-1+k is row H-1-k."""
    height, width = x.shape[1:3]

    def source(index, size):
        if index < 0:
            return -index
        if index >= size:
            return 2 * (size - 1) - index
        return index

    rows = [source(i, height) for i in range(-top, height + bottom)]
    columns = [source(j, width) for j in range(-left, width + right)]
    return x[:, rows][:, :, columns]


def test_matches_mirror_padding_and_numpy_pad():
    x = np.random.normal(size=(2, 5, 6, 3)).astype("float32")
    for padding, pads in [
        (1, (1, 1, 1, 1)),
        (3, (3, 3, 3, 3)),
        ((2, 1), (2, 2, 1, 1)),
        (((0, 4), (3, 1)), (0, 4, 3, 1)),
    ]:
        y = ops.convert_to_numpy(ReflectionPadding2D(padding)(x))
        expected = numpy_reflect(x, *pads)
        np.testing.assert_array_equal(y, expected)
        top, bottom, left, right = pads
        np.testing.assert_array_equal(
            y, np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), mode="reflect")
        )
    # The edge row is not repeated: the first padded row is the image's second row.
    y = ops.convert_to_numpy(ReflectionPadding2D(1)(x))
    np.testing.assert_array_equal(y[:, 0, 1:-1], x[:, 1])


def test_unknown_sides_in_a_functional_model_and_config_round_trip(tmp_path):
    inputs = keras.Input((None, None, 2))
    outputs = ReflectionPadding2D(((1, 2), (3, 0)), name="pad")(inputs)
    assert tuple(outputs.shape) == (None, None, None, 2)
    model = keras.Model(inputs, outputs)
    x = np.random.normal(size=(3, 7, 4, 2)).astype("float32")
    y = model.predict(x, verbose=0)
    np.testing.assert_array_equal(y, numpy_reflect(x, 1, 2, 3, 0))
    model.save(tmp_path / "pad.keras")
    restored = keras.models.load_model(tmp_path / "pad.keras")
    assert restored.get_layer("pad").padding == ((1, 2), (3, 0))
    np.testing.assert_array_equal(restored.predict(x, verbose=0), y)
    layer = ReflectionPadding2D.from_config(ReflectionPadding2D((2, 1)).get_config())
    assert layer.padding == ((2, 2), (1, 1))
    assert layer.compute_output_shape((None, 5, 6, 3)) == (None, 9, 8, 3)


def test_bad_padding_raises():
    for padding in [-1, 1.5, (1, 2, 3), ((1,), (2, 2)), True]:
        with pytest.raises(ValueError, match="padding"):
            ReflectionPadding2D(padding)
    with pytest.raises(ValueError, match="smaller than the side"):
        ReflectionPadding2D(3)(np.zeros((1, 3, 8, 1), "float32"))
