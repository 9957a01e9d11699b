"""The range check of a translator's serving input (TensorFlow only: export code).

Two checks, one per runtime family (as the label checks of
`keras_gans.export.serving_function`):

- a `tf.debugging` assert: the SavedModel fails the call with an
  `InvalidArgumentError` that says "source must be images in [-1, 1]";
- a lookup, for LiteRT and ONNX, which drop assert ops: a one-entry table is
  indexed with 1 when a value leaves the range (out of bounds, which both
  runtimes refuse) and with 0 otherwise; the looked-up zero is added to the
  images, so the lookup stays in the graph and changes nothing.
"""

from keras_gans.image_to_image.image_checks import RANGE_TOLERANCE


def checked_source(images, name="source", low=-1.0, high=1.0):
    """`images` unchanged, with the range checks above attached."""
    import tensorflow as tf

    images = tf.convert_to_tensor(images, tf.float32)
    outside = tf.logical_or(
        tf.reduce_any(images < low - RANGE_TOLERANCE), tf.reduce_any(images > high + RANGE_TOLERANCE)
    )
    check = tf.debugging.Assert(
        tf.logical_not(outside), [f"{name} must be images in [{low:g}, {high:g}]; some values are outside"]
    )
    with tf.control_dependencies([check]):
        index = tf.cast(outside, tf.int32)
    zero = tf.gather(tf.zeros([1], tf.float32), tf.reshape(index, [1]))
    return images + tf.reshape(zero, [1, 1, 1, 1])
