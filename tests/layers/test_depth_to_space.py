import keras
import numpy as np
import pytest
import tensorflow as tf
from keras import ops

from keras_gans.layers.depth_to_space import DepthToSpace


def numpy_depth_to_space(x, r):
    """Output (r*h + i, r*w + j, c) is input (h, w, (i*r + j)*C + c), element by element."""
    n, height, width, depth = x.shape
    channels = depth // (r * r)
    out = np.zeros((n, height * r, width * r, channels), x.dtype)
    for h in range(height):
        for w in range(width):
            for i in range(r):
                for j in range(r):
                    for c in range(channels):
                        out[:, r * h + i, r * w + j, c] = x[:, h, w, (i * r + j) * channels + c]
    return out


@pytest.mark.parametrize("block_size, channels", [(2, 3), (3, 2), (4, 1)])
def test_matches_numpy_and_tensorflow(block_size, channels):
    x = np.random.normal(size=(2, 3, 4, block_size**2 * channels)).astype("float32")
    y = ops.convert_to_numpy(DepthToSpace(block_size)(x))
    assert y.shape == (2, 3 * block_size, 4 * block_size, channels)
    np.testing.assert_array_equal(y, numpy_depth_to_space(x, block_size))
    # TensorFlow (installed with every backend) is a second, independent reference.
    np.testing.assert_array_equal(y, tf.nn.depth_to_space(x, block_size).numpy())


def test_unknown_sides_compiled_and_saved(tmp_path):
    inputs = keras.Input((None, None, 8))
    outputs = DepthToSpace(2, name="shuffle")(inputs)
    assert tuple(outputs.shape) == (None, None, None, 2)
    model = keras.Model(inputs, outputs)
    for shape in [(3, 5, 7, 8), (1, 2, 2, 8)]:
        x = np.random.normal(size=shape).astype("float32")
        np.testing.assert_array_equal(model.predict(x, verbose=0), numpy_depth_to_space(x, 2))
    model.save(tmp_path / "shuffle.keras")
    restored = keras.models.load_model(tmp_path / "shuffle.keras")
    assert restored.get_layer("shuffle").block_size == 2
    x = np.random.normal(size=(2, 3, 3, 8)).astype("float32")
    np.testing.assert_array_equal(restored.predict(x, verbose=0), numpy_depth_to_space(x, 2))
    layer = DepthToSpace.from_config(DepthToSpace(3).get_config())
    assert layer.block_size == 3
    assert layer.compute_output_shape((None, 4, None, 18)) == (None, 12, None, 2)


def test_bad_arguments_raise():
    for block_size in [1, 0, 2.0, True]:
        with pytest.raises(ValueError, match="block_size"):
            DepthToSpace(block_size)
    with pytest.raises(ValueError, match="divisible by block_size"):
        DepthToSpace(2)(np.zeros((1, 2, 2, 6), "float32"))
