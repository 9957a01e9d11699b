"""ONNX files, converted with `tf2onnx` (TensorFlow backend only).

The serving function (labels checked by lookups, see `serving_function`) is
traced by TensorFlow and converted by `tf2onnx` at opset `ONNX_OPSET`.
Quantization uses onnxruntime's own tools:

- `"float16"`: `onnxruntime.transformers.float16.convert_float_to_float16`
  with float32 inputs and outputs kept (casts at both ends).
- `"int8"`: static quantization (`onnxruntime.quantization.quantize_static`,
  QDQ format, int8 weights per channel and int8 activations) calibrated on
  representative inputs. Weights use 7 of the 8 bits (`reduce_range=True`):
  x86 CPUs without VNNI multiply 8-bit values with VPMADDUBSW, whose 16-bit
  sums saturate; on such a 2-core AVX2 machine the full range gave a
  maximum error of 0.20-0.36 on [-1, 1] outputs of a small image-to-image
  network, 7 bits 0.015-0.026 (4 weight seeds,
  tests/export/test_export_signature.py). The nodes that compute from integer inputs (class
  labels) alone stay float, as in the LiteRT export (see `litert`).

The file's metadata (`metadata_props`) records the producer, the signature
and the quantization.
"""

import json
import os

import tensorflow as tf

from keras_gans.export.calibration import calibration_batches
from keras_gans.export.litert import converter_failure
from keras_gans.export.serving_function import serving_function
from keras_gans.export.serving_function import tensor_specs

ONNX_OPSET = 17


def integer_input_float_nodes(model_proto):
    """Names of the nodes whose float outputs are computed from integer inputs alone."""
    import onnx

    inferred = onnx.shape_inference.infer_shapes(model_proto)
    graph = inferred.graph
    types = {}
    for value in list(graph.input) + list(graph.value_info) + list(graph.output):
        types[value.name] = value.type.tensor_type.elem_type
    float_types = {onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16, onnx.TensorProto.DOUBLE}
    constants = {init.name for init in graph.initializer}
    constants |= {o for node in graph.node if node.op_type == "Constant" for o in node.output}
    integers = {i.name for i in graph.input if types.get(i.name) not in float_types}
    floats, nodes = set(), []
    for node in graph.node:
        if not any(i in integers or i in floats for i in node.input):
            continue
        other_floats = [
            i
            for i in node.input
            if i and i not in constants and types.get(i) in float_types and i not in floats
        ]
        for output in node.output:
            if types.get(output) not in float_types:
                integers.add(output)
            elif not other_floats:
                floats.add(output)
                nodes.append(node.name)
    return nodes


class _CalibrationReader:
    """onnxruntime's `CalibrationDataReader` protocol over calibration batches."""

    def __init__(self, calibration):
        self._batches = iter(calibration_batches(calibration))

    def get_next(self):
        return next(self._batches, None)

    def __iter__(self):
        return self

    def __next__(self):
        batch = self.get_next()
        if batch is None:
            raise StopIteration
        return batch


def write_onnx(
    generator,
    signature,
    path,
    quantization,
    calibration,
    uint8,
    generator_kwargs,
    work_dir,
    model_name,
    metadata=None,
):
    """Writes `path` (an `.onnx` file); `work_dir` holds intermediate files."""
    import onnx
    import tf2onnx

    specs = tensor_specs(signature)
    function = tf.function(
        serving_function(generator, signature, uint8, "gather", generator_kwargs), input_signature=specs
    )
    try:
        model_proto, _ = tf2onnx.convert.from_function(function, input_signature=specs, opset=ONNX_OPSET)
    except Exception as error:  # noqa: BLE001 - tf2onnx raises many kinds
        raise converter_failure(error, "ONNX", model_name) from None
    props = {"producer": "keras-gans", "quantization": str(quantization), **(metadata or {})}
    for key, value in props.items():
        entry = model_proto.metadata_props.add()
        entry.key = f"keras_gans.{key}"
        entry.value = value if isinstance(value, str) else json.dumps(value)
    if quantization is None:
        onnx.save(model_proto, path)
    elif quantization == "float16":
        from onnxruntime.transformers.float16 import convert_float_to_float16

        onnx.save(convert_float_to_float16(model_proto, keep_io_types=True), path)
    else:
        from onnxruntime.quantization import QuantFormat
        from onnxruntime.quantization import QuantType
        from onnxruntime.quantization import quantize_static
        from onnxruntime.quantization.shape_inference import quant_pre_process

        float_path = os.path.join(work_dir, "float.onnx")
        prepared_path = os.path.join(work_dir, "prepared.onnx")
        onnx.save(model_proto, float_path)
        # Shape inference and graph clean-up first, as onnxruntime recommends; the
        # symbolic shape pass cannot follow the label lookups, ONNX's own pass does.
        quant_pre_process(float_path, prepared_path, skip_symbolic_shape=True)
        quantize_static(
            prepared_path,
            path,
            _CalibrationReader(calibration),
            quant_format=QuantFormat.QDQ,
            activation_type=QuantType.QInt8,
            weight_type=QuantType.QInt8,
            per_channel=True,
            reduce_range=True,
            nodes_to_exclude=integer_input_float_nodes(onnx.load(prepared_path)),
        )
    return path
