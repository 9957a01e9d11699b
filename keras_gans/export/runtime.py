"""Running an export in its own runtime: TensorFlow, LiteRT or onnxruntime.

`load_exported(path)` needs only the runtime of the format (and NumPy): a
SavedModel runs in TensorFlow, a `.tflite` file in the `ai-edge-litert`
interpreter, an `.onnx` file in `onnxruntime`. Neither Keras nor the model's
classes are used.
"""

import os

import numpy as np

from keras_gans.export.signature import OUTPUT_NAME
from keras_gans.export.signature import SIGNATURE_NAME


def _saved_model_dir(path):
    if os.path.isfile(os.path.join(path, "saved_model.pb")):
        return path
    versions = [
        name
        for name in os.listdir(path)
        if name.isdigit() and os.path.isfile(os.path.join(path, name, "saved_model.pb"))
    ]
    if not versions:
        raise FileNotFoundError(
            f"{path} is neither a SavedModel folder nor a base folder of numbered SavedModel "
            f"versions. Received: path={path!r}"
        )
    return os.path.join(path, max(versions, key=int))


class ExportedGenerator:
    """An exported generator, called with NumPy arrays.

    Args:
        path: a SavedModel folder (or a base folder of versions: the newest
            is used), a `.tflite` file or an `.onnx` file.
        num_threads: CPU threads of the LiteRT and onnxruntime runtimes
            (`None`: the runtime's default).

    Example:

    ```python
    exported = ExportedGenerator("dcgan.onnx")
    images = exported(z=np.random.standard_normal((4, 64)).astype("float32"))
    ```
    """

    def __init__(self, path, num_threads=None):
        path = os.fspath(path)
        self.path = path
        if os.path.isdir(path):
            import tensorflow as tf

            self.path = _saved_model_dir(path)
            self.format = "saved_model"
            self._loaded = tf.saved_model.load(self.path)
            self._function = self._loaded.signatures[SIGNATURE_NAME]
            self.input_names = sorted(self._function.structured_input_signature[1])
        elif path.endswith(".tflite"):
            from ai_edge_litert.interpreter import Interpreter

            self.format = "tflite"
            self._interpreter = Interpreter(model_path=path, num_threads=num_threads)
            self._runner = self._interpreter.get_signature_runner(SIGNATURE_NAME)
            self.input_names = sorted(self._interpreter.get_signature_list()[SIGNATURE_NAME]["inputs"])
        elif path.endswith(".onnx"):
            import onnxruntime

            self.format = "onnx"
            options = onnxruntime.SessionOptions()
            if num_threads is not None:
                options.intra_op_num_threads = int(num_threads)
                options.inter_op_num_threads = 1
            self._session = onnxruntime.InferenceSession(path, options, providers=["CPUExecutionProvider"])
            self.input_names = sorted(i.name for i in self._session.get_inputs())
        else:
            raise ValueError(
                f"Expected a SavedModel folder, a .tflite file or an .onnx file. Received: path={path!r}"
            )

    def __call__(self, **inputs):
        """Runs the generator; returns the images as a NumPy array."""
        if sorted(inputs) != self.input_names:
            raise ValueError(f"This export takes the inputs {self.input_names}. Received: {sorted(inputs)}")
        if self.format == "saved_model":
            import tensorflow as tf

            outputs = self._function(**{k: tf.constant(v) for k, v in inputs.items()})
            return outputs[OUTPUT_NAME].numpy()
        if self.format == "tflite":
            return np.asarray(self._runner(**inputs)[OUTPUT_NAME])
        return self._session.run([OUTPUT_NAME], inputs)[0]


def load_exported(path, num_threads=None):
    """Loads an export made by `export_generator` into its runtime.

    Args:
        path: a SavedModel folder (or TF Serving base folder), `.tflite` or
            `.onnx` file.
        num_threads: CPU threads for LiteRT / onnxruntime.

    Returns:
        An `ExportedGenerator`: `exported(z=..., labels=...)` gives images.
    """
    return ExportedGenerator(path, num_threads=num_threads)
