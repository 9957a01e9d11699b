"""The checks and file handling around an export: its options, the modules it needs,
its target path, and putting a finished export in place without losing the old one.
"""

import json
import os

# Public here; the checks serve keras_gans.export only.
__all__ = ["FORMATS", "QUANTIZATIONS"]

FORMATS = ("saved_model", "tflite", "onnx")
QUANTIZATIONS = (None, "float16", "int8")
FILE_SUFFIXES = {"tflite": ".tflite", "onnx": ".onnx"}
FORMAT_NAMES = {"saved_model": "SavedModel", "tflite": "LiteRT", "onnx": "ONNX"}
# Modules each format needs at export time (all run under TensorFlow).
REQUIREMENTS = {
    "saved_model": {"tensorflow": "tensorflow-cpu"},
    "tflite": {"tensorflow": "tensorflow-cpu"},
    "onnx": {"tensorflow": "tensorflow-cpu", "tf2onnx": "tf2onnx", "onnx": "onnx"},
}


def check_options(format, quantization, version, uint8, generator_kwargs):
    if format not in FORMATS:
        raise ValueError(
            f"Unknown export format. Known formats: {', '.join(FORMATS)}. Received: format={format!r}"
        )
    if quantization not in QUANTIZATIONS:
        raise ValueError(
            "Unknown quantization. Known quantizations: None, 'float16', 'int8'. "
            f"Received: quantization={quantization!r}"
        )
    if format == "saved_model" and quantization is not None:
        raise ValueError(
            "quantization applies to format='tflite' and format='onnx'; a SavedModel keeps "
            f"float32 weights. Received: format={format!r}, quantization={quantization!r}"
        )
    if format == "saved_model":
        version = 1 if version is None else version
        if isinstance(version, bool) or not isinstance(version, int) or version < 0:
            raise ValueError(f"version must be a non-negative integer. Received: version={version!r}")
    elif version is not None:
        raise ValueError(
            "version applies to format='saved_model' only (TensorFlow Serving's <base>/<version>/ "
            f"layout); a {FORMAT_NAMES[format]} export is one file. Received: format={format!r}, "
            f"version={version!r}"
        )
    if not isinstance(uint8, bool):
        raise ValueError(f"uint8 must be True or False. Received: uint8={uint8!r}")
    generator_kwargs = dict(generator_kwargs or {})
    try:
        json.dumps(generator_kwargs)
    except TypeError:
        raise ValueError(
            "generator_kwargs must be JSON values (they are baked into the exported graph). "
            f"Received: generator_kwargs={generator_kwargs!r}"
        ) from None
    if format != "saved_model" and generator_kwargs.get("noise_mode") == "random":
        raise ValueError(
            f"A {FORMAT_NAMES[format]} file cannot carry the stateful random noise of "
            "noise_mode='random'; use noise_mode='const' (the default) or format='saved_model'. "
            f"Received: format={format!r}, generator_kwargs={generator_kwargs!r}"
        )
    return version, generator_kwargs


def check_model(model):
    for attribute in ("sampling_generator", "image_shape"):
        if not hasattr(model, attribute):
            raise ValueError(
                "export_generator needs a keras_gans model (with a generator and a sample "
                f"shape). Received: model of type {type(model).__name__}"
            )


def check_requirements(format, quantization):
    import importlib

    needed = dict(REQUIREMENTS[format])
    if format == "onnx" and quantization is not None:
        needed["onnxruntime"] = "onnxruntime"
    for module, package in needed.items():
        try:
            importlib.import_module(module)
        except ImportError:
            raise ImportError(
                f"Exporting format={format!r}"
                + (f" with quantization={quantization!r}" if quantization else "")
                + f" needs the {module} module (`pip install {package}`), under any Keras backend."
            ) from None


def export_target(path, format, version):
    path = os.fspath(path)
    if format == "saved_model":
        return os.path.join(path, str(version))
    suffix = FILE_SUFFIXES[format]
    if not path.endswith(suffix):
        raise ValueError(
            f"A {FORMAT_NAMES[format]} export is one file whose name ends with {suffix}. "
            f"Received: path={path!r}, format={format!r}"
        )
    return path


def check_target(target, format, overwrite):
    if not os.path.lexists(target):
        return
    is_folder = os.path.isdir(target) and not os.path.islink(target)
    wanted = "folder" if format == "saved_model" else "file"
    if is_folder != (format == "saved_model"):
        raise FileExistsError(
            f"{target} exists and is not a {wanted}; it is never replaced by an export. "
            f"Choose another path. Received: path={target!r}"
        )
    if not overwrite:
        raise FileExistsError(
            f"{target} already exists; pass overwrite=True (--overwrite)"
            + (" or another version" if format == "saved_model" else " or another path")
            + f". Received: overwrite={overwrite}"
        )


def move_into_place(output, target):
    """Puts `output` at `target`; an existing target is replaced only once the
    new export is complete, and restored if the replacement fails."""
    from keras_gans.presets.files import replace_folder

    if os.path.isdir(output):
        replace_folder(output, target)
    else:
        os.replace(output, target)


def make_parents(target):
    """Creates the parent folders of `target`; returns those it made, innermost first."""
    parent = os.path.dirname(os.path.abspath(target))
    created = []
    folder = parent
    while not os.path.isdir(folder):
        created.append(folder)
        folder = os.path.dirname(folder)
    os.makedirs(parent, exist_ok=True)
    return created


def remove_empty(folders):
    for folder in folders:  # innermost first; stops at the first one not empty
        try:
            os.rmdir(folder)
        except OSError:
            break
