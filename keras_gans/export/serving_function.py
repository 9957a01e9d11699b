"""The TensorFlow function behind every export format (TensorFlow backend only).

It calls the generator on the signature's inputs, checks class labels and
optionally maps images to uint8. Labels are checked in two ways, one per
runtime family:

- `"assert"` (SavedModel): `tf.debugging` asserts; a label outside
  `[0, num_classes)` fails the call with `InvalidArgumentError` and a message
  that names the input and the range.
- `"gather"` (LiteRT and ONNX, which drop assert ops): the labels are looked up
  in the table `0 .. num_classes - 1`, once directly and once mirrored
  (`num_classes - 1 - labels`). The lookups return the labels unchanged, but a
  label outside the range makes one of them index out of bounds, which both
  runtimes refuse ("gather index out of bounds" in LiteRT; "indices element out
  of data bounds" in onnxruntime, whose Gather would otherwise wrap negative
  indices, hence the mirrored lookup).
"""

import keras
import tensorflow as tf
from keras import ops

from keras_gans.export.signature import OUTPUT_NAME

LABEL_CHECKS = ("assert", "gather")


def to_uint8(images):
    """`round((x + 1) * 127.5)` clipped to [0, 255], as uint8."""
    return ops.cast(ops.round(ops.clip((images + 1.0) * 127.5, 0.0, 255.0)), "uint8")


def assert_labels(labels, num_classes, name):
    checks = [
        tf.debugging.assert_greater_equal(
            labels,
            tf.zeros_like(labels),
            message=f"{name} must be class indices in [0, {num_classes}); got a negative label",
        ),
        tf.debugging.assert_less(
            labels,
            tf.fill(tf.shape(labels), tf.constant(num_classes, labels.dtype)),
            message=f"{name} must be class indices in [0, {num_classes}); got a label >= {num_classes}",
        ),
    ]
    with tf.control_dependencies(checks):
        return tf.identity(labels)


def gather_checked_labels(labels, num_classes):
    table = tf.range(num_classes, dtype=labels.dtype)
    direct = tf.gather(table, labels)
    mirrored = tf.gather(tf.reverse(table, [0]), (num_classes - 1) - labels)
    # Both equal `labels` when it is in range; the maximum keeps both lookups.
    return tf.maximum(direct, mirrored)


def tensor_specs(signature):
    return [tf.TensorSpec(spec.shape, tf.as_dtype(spec.dtype), name=spec.name) for spec in signature.inputs]


def serving_function(generator, signature, uint8=False, label_check="assert", generator_kwargs=None):
    """A function of the signature's inputs (positional, in order) returning
    `{"images": ...}`.

    Args:
        generator: the Keras generator (e.g. `model.sampling_generator()`).
        signature: a `ServingSignature`.
        uint8: return uint8 images in [0, 255].
        label_check: `"assert"` or `"gather"` (see the module docstring).
        generator_kwargs: extra keyword arguments of the generator call.
    """
    if label_check not in LABEL_CHECKS:
        raise ValueError(f"label_check must be one of {LABEL_CHECKS}. Received: label_check={label_check!r}")
    names = signature.input_names
    generator_kwargs = dict(generator_kwargs or {})

    def serve(*tensors):
        inputs = dict(zip(names, tensors))
        if signature.label_input is not None:
            labels = inputs[signature.label_input]
            if label_check == "assert":
                labels = assert_labels(labels, signature.num_classes, signature.label_input)
            else:
                labels = gather_checked_labels(labels, signature.num_classes)
            inputs[signature.label_input] = labels
        images = generator(signature.generator_inputs(inputs), training=False, **generator_kwargs)
        images = ops.cast(images, "float32")
        return {OUTPUT_NAME: to_uint8(images) if uint8 else images}

    return serve


def write_checked_saved_model(generator, signature, target, uint8, label_check, generator_kwargs):
    """Writes a SavedModel with one `serving_default` signature."""
    from keras_gans.export.signature import SIGNATURE_NAME

    archive = keras.export.ExportArchive()
    archive.track(generator)
    archive.add_endpoint(
        SIGNATURE_NAME,
        serving_function(generator, signature, uint8, label_check, generator_kwargs),
        input_signature=list(signature.inputs),
    )
    archive.write_out(target, verbose=False)
    return target
