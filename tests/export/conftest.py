"""Shared set-up of the export tests: zoo presets exported once per session.

The exports are made under the running Keras backend (in this process on
TensorFlow, by a TensorFlow subprocess on JAX and PyTorch).
"""

import pytest

from keras_gans import export
from keras_gans import presets

# Every format and quantization of the zoo tests: (format, quantization, file name).
ZOO_EXPORTS = [
    ("saved_model", None, "saved_model"),
    ("tflite", None, "float32.tflite"),
    ("tflite", "float16", "float16.tflite"),
    ("tflite", "int8", "int8.tflite"),
    ("onnx", None, "float32.onnx"),
    ("onnx", "float16", "float16.onnx"),
    ("onnx", "int8", "int8.onnx"),
]


@pytest.fixture(scope="session")
def zoo_models():
    return {name: presets.from_preset(name) for name in ("dcgan_fashion_mnist", "cgan_fashion_mnist")}


@pytest.fixture(scope="session")
def zoo_exports(zoo_models, tmp_path_factory):
    """{preset: {(format, quantization): path}}, each preset exported in one call."""
    root = tmp_path_factory.mktemp("zoo_exports")
    exports = {}
    for name, model in zoo_models.items():
        entries = [
            {"path": str(root / name / file_name), "format": format, "quantization": quantization}
            for format, quantization, file_name in ZOO_EXPORTS
        ]
        paths = export.export_generators(model, entries)
        exports[name] = {(f, q): p for (f, q, _), p in zip(ZOO_EXPORTS, paths)}
    return exports
