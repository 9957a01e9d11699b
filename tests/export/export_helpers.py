"""Helpers of the export tests: run exported files in their own runtimes.

The runtimes (`ai_edge_litert`, `onnxruntime`) are called directly here rather
than through `keras_gans.export.load_exported`.
"""

import keras
import numpy as np

from keras_gans import presets


def run_litert(path, inputs):
    """Runs a `.tflite` file's `serving_default` signature in the LiteRT interpreter."""
    from ai_edge_litert.interpreter import Interpreter

    runner = Interpreter(model_path=str(path)).get_signature_runner("serving_default")
    return np.asarray(runner(**inputs)["images"])


def run_onnx(path, inputs):
    """Runs an `.onnx` file in onnxruntime (CPU)."""
    import onnxruntime

    session = onnxruntime.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(["images"], inputs)[0]


def run_exported(path, inputs):
    return run_litert(path, inputs) if str(path).endswith(".tflite") else run_onnx(path, inputs)


def keras_images(model, inputs):
    """The Keras generator's output for the same inputs (the reference)."""
    labels = inputs.get("labels")
    z = keras.ops.convert_to_tensor(inputs["z"])
    if labels is not None:
        labels = keras.ops.convert_to_tensor(labels)
    generator_inputs = model.generator_inputs(z, labels)
    images = model.sampling_generator()(generator_inputs, training=False)
    return keras.ops.convert_to_numpy(keras.ops.cast(images, "float32"))


def latent_inputs(model, n, seed):
    inputs = {"z": presets.latent_noise(n, model.latent_dim, seed)}
    if model.num_classes is not None:
        inputs["labels"] = (np.arange(n) % model.num_classes).astype("int32")
    return inputs
