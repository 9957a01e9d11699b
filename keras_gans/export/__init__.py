"""Export of generators: TensorFlow SavedModels, LiteRT files and ONNX files.

`export_generator(model, path, format=..., quantization=...)` writes

- `format="saved_model"`: `path/<version>/`, the layout TensorFlow Serving
  loads (`--model_base_path=path`);
- `format="tflite"`: a LiteRT flatbuffer for the `ai-edge-litert` interpreter
  (float32, float16 weights, or int8 weights and activations);
- `format="onnx"`: an ONNX model for `onnxruntime` (float32, float16 or int8),

all with one signature, `serving_default`:

    z: float32 [None, latent_dim] (, labels: int32 [None] for conditional models)
        -> images: float32 [None, *sample_shape] in [-1, 1] (uint8 with uint8=True)

Every format is made by TensorFlow: in this process under the TensorFlow
backend; from a preset rebuilt in a TensorFlow-backend subprocess under JAX
and PyTorch. `load_exported(path)` runs any export in its own runtime.
See docs/serving.md.
"""

from keras_gans.export.calibration import representative_inputs
from keras_gans.export.export_plan import FORMATS
from keras_gans.export.export_plan import QUANTIZATIONS
from keras_gans.export.exporter import build_export
from keras_gans.export.exporter import export_generator
from keras_gans.export.exporter import export_generators
from keras_gans.export.runtime import ExportedGenerator
from keras_gans.export.runtime import load_exported
from keras_gans.export.signature import SIGNATURE_NAME
from keras_gans.export.signature import ServingSignature
from keras_gans.export.signature import serving_signature

__all__ = [
    "FORMATS",
    "QUANTIZATIONS",
    "SIGNATURE_NAME",
    "ExportedGenerator",
    "ServingSignature",
    "build_export",
    "export_generator",
    "export_generators",
    "load_exported",
    "representative_inputs",
    "serving_signature",
]
