"""LiteRT (`.tflite`) files, converted from a SavedModel (TensorFlow backend only).

The generator is first written as a SavedModel whose signature checks labels
with lookups (see `serving_function`), then converted by TensorFlow's
`TFLiteConverter` to LiteRT builtin ops only (no TensorFlow "flex" ops: the
file runs in the plain `ai-edge-litert` interpreter). Quantization:

- `None`: float32 weights and compute.
- `"float16"`: float16 weights, dequantized to float32 when the file loads.
- `"int8"`: full post-training integer quantization: int8 weights (per
  channel) and int8 activations, whose ranges are calibrated on
  representative inputs; inputs and outputs stay float32 (int32 for labels),
  ops without an int8 kernel stay float. The path of integer inputs (class
  labels) up to the first op that mixes them with other data stays float
  (selective quantization with TFLite's `QuantizationDebugger`): in a
  TensorFlow graph Keras' `CategoryEncoding` casts labels to float32, and int8
  rounding of those values (then truncated back to integers) changes the
  labels, and LiteRT's int8 `ONE_HOT` output is wrong too (a mean error of 0.27
  against the float model, measured with TFLite's `QuantizationDebugger`). Quantizing that
  path raised the domain-FID of the conditional Fashion-MNIST preset from 2.8
  to 39 (2,000 samples); kept in float, the int8 file stays within 5 %.
"""

import os

import numpy as np
import tensorflow as tf

from keras_gans.export.calibration import calibration_batches
from keras_gans.export.serving_function import write_checked_saved_model


def converter_failure(error, format_name, model_name):
    """A `ValueError` that says which model could not be converted, and why."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    unsupported = [line for line in lines if line.startswith("TF Select ops:")]
    reasons = unsupported or [
        line for line in lines if "not supported" in line.lower() or "failed to legalize" in line.lower()
    ]
    reason = (reasons or lines or [type(error).__name__])[0]
    if unsupported:
        reason = f"ops without a LiteRT builtin kernel: {reason[len('TF Select ops:') :].strip()}"
    format_option = {"LiteRT": "tflite", "ONNX": "onnx"}[format_name]
    return ValueError(
        f"{model_name} cannot be exported to {format_name}: the converter failed ({reason}). "
        "Export it in another format (e.g. format='saved_model'), or change the generator's "
        f"layers. Received: format={format_option!r}"
    )


def _interpreter(flatbuffer):
    try:
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:  # TensorFlow's own (deprecated) copy
        Interpreter = tf.lite.Interpreter
    return Interpreter(model_content=flatbuffer)


def integer_input_float_path(flatbuffer):
    """Names of the float tensors computed from integer inputs alone.

    Walks the ops of a float LiteRT model in execution order from its integer
    inputs: an op fed by that path whose other non-constant float inputs are
    on it too puts its float outputs on the path (integer outputs keep being
    followed); the first op that mixes in other data ends it.
    """
    interpreter = _interpreter(flatbuffer)
    tensors = {t["index"]: t for t in interpreter.get_tensor_details()}
    inputs = list(interpreter.get_signature_runner().get_input_details().values())
    ops = interpreter._get_ops_details()
    is_float = lambda index: np.issubdtype(tensors[index]["dtype"], np.floating)  # noqa: E731
    computed = {i["index"] for i in inputs} | {o for op in ops for o in op["outputs"]}
    integers = {i["index"] for i in inputs if not np.issubdtype(i["dtype"], np.floating)}
    floats = set()
    for op in ops:
        op_inputs = [i for i in op["inputs"] if i >= 0]
        if not any(i in integers or i in floats for i in op_inputs):
            continue
        other_floats = [i for i in op_inputs if i in computed and is_float(i) and i not in floats]
        for output in op["outputs"]:
            if not is_float(output):
                integers.add(output)
            elif not other_floats:
                floats.add(output)
    return sorted(tensors[i]["name"] for i in floats)


def write_litert(
    generator, signature, path, quantization, calibration, uint8, generator_kwargs, work_dir, model_name
):
    """Writes `path` (a `.tflite` file); `work_dir` holds the intermediate SavedModel."""
    saved_model = os.path.join(work_dir, "litert_source")
    write_checked_saved_model(generator, signature, saved_model, uint8, "gather", generator_kwargs)
    converter = tf.lite.TFLiteConverter.from_saved_model(saved_model)
    converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    if quantization == "float16":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.target_spec.supported_types = [tf.float16]
    elif quantization == "int8":
        converter.optimizations = [tf.lite.Optimize.DEFAULT]
        converter.representative_dataset = lambda: calibration_batches(calibration)
    try:
        if quantization == "int8":
            flatbuffer = _int8_flatbuffer(saved_model, converter, calibration)
        else:
            flatbuffer = converter.convert()
    except Exception as error:  # noqa: BLE001 - the converter raises ConverterError and others
        raise converter_failure(error, "LiteRT", model_name) from None
    with open(path, "wb") as f:
        f.write(flatbuffer)
    return path


def _int8_flatbuffer(saved_model, converter, calibration):
    float_converter = tf.lite.TFLiteConverter.from_saved_model(saved_model)
    float_converter.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    keep_float = integer_input_float_path(float_converter.convert())
    if not keep_float:
        return converter.convert()
    debugger = tf.lite.experimental.QuantizationDebugger(
        converter=converter,
        debug_dataset=lambda: calibration_batches(calibration),
        debug_options=tf.lite.experimental.QuantizationDebugOptions(denylisted_nodes=keep_float),
    )
    return debugger.get_nondebug_quantized_model()
