"""`export_generator`: one entry point for every format and backend."""

import json
import os
import shutil
import subprocess
import sys
import tempfile

import keras
import numpy as np

from keras_gans.export import export_plan
from keras_gans.export.calibration import representative_inputs
from keras_gans.export.signature import serving_signature

_ERRORS = {
    cls.__name__: cls for cls in (ValueError, TypeError, FileExistsError, FileNotFoundError, ImportError)
}


def build_export(
    generator,
    signature,
    format,
    quantization,
    output,
    uint8=False,
    generator_kwargs=None,
    calibration=None,
    work_dir=None,
    model_name="generator",
):
    """Writes one export of `generator` to `output` in this (TensorFlow-backend) process.

    The lower-level step of `export_generator`, which checks the options and
    the target path, picks the process and moves `output` into place.

    Args:
        generator: a Keras generator (e.g. `model.sampling_generator()`).
        signature: a `ServingSignature`.
        format: `"saved_model"`, `"tflite"` or `"onnx"`.
        quantization: `None`, `"float16"` or `"int8"` (not for SavedModels).
        output: the folder (SavedModel) or file to write; must not exist.
        uint8: uint8 images in [0, 255].
        generator_kwargs: extra generator call arguments, baked in.
        calibration: int8 calibration inputs (`representative_inputs`).
        work_dir: a folder for intermediate files.
        model_name: the name used in error messages.
    """
    if keras.backend.backend() != "tensorflow":
        raise RuntimeError(
            "build_export runs under the TensorFlow backend; export_generator picks the "
            f"route for other backends. Received: backend={keras.backend.backend()!r}"
        )
    from keras_gans.export.serving_function import write_checked_saved_model

    work_dir = work_dir or os.path.dirname(os.path.abspath(output))
    if format == "saved_model":
        return write_checked_saved_model(generator, signature, output, uint8, "assert", generator_kwargs)
    if format == "tflite":
        from keras_gans.export.litert import write_litert

        return write_litert(
            generator,
            signature,
            output,
            quantization,
            calibration,
            uint8,
            generator_kwargs,
            work_dir,
            model_name,
        )
    from keras_gans.export.onnx_model import write_onnx

    metadata = {
        "inputs": signature.describe(),
        "num_classes": signature.num_classes,
        "output": "uint8 images in [0, 255]" if uint8 else "float32 samples",
    }
    return write_onnx(
        generator,
        signature,
        output,
        quantization,
        calibration,
        uint8,
        generator_kwargs,
        work_dir,
        model_name,
        metadata,
    )


def _build_in_subprocess(model, exports, common):
    """Saves `model` as a preset and builds `exports` under a TensorFlow-backend subprocess."""
    from keras_gans import presets

    with tempfile.TemporaryDirectory(prefix="keras_gans_export_job_") as job_dir:
        preset_dir = os.path.join(job_dir, "preset")
        try:
            presets.save_to_preset(model, preset_dir, samples=False)
        except Exception as error:  # noqa: BLE001 - any failure to serialize the model
            raise ValueError(
                f"Exporting from the {keras.backend.backend()} backend rebuilds the model from its "
                f"config under TensorFlow, and {type(model).__name__} could not be saved as a "
                f"preset: {error}. Export it under KERAS_BACKEND=tensorflow."
            ) from None
        job = dict(common, preset=preset_dir, result=os.path.join(job_dir, "result.json"), exports=exports)
        if common.get("calibration") is not None:
            calibration_path = os.path.join(job_dir, "calibration.npz")
            np.savez(calibration_path, **common["calibration"])
            job["calibration"] = calibration_path
        job_path = os.path.join(job_dir, "job.json")
        with open(job_path, "w") as f:
            json.dump(job, f)
        env = dict(os.environ, KERAS_BACKEND="tensorflow")
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        env["PYTHONPATH"] = os.pathsep.join(
            [package_root] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
        )
        completed = subprocess.run(
            [sys.executable, "-m", "keras_gans.export.worker", job_path],
            env=env,
            capture_output=True,
            text=True,
        )
        result = None
        if os.path.isfile(job["result"]):
            with open(job["result"]) as f:
                result = json.load(f)
    if result and "error" in result:
        error_class = _ERRORS.get(result["error"]["type"], RuntimeError)
        raise error_class(result["error"]["message"])
    if completed.returncode != 0 or not result:
        lines = [line for line in completed.stderr.splitlines() if line.strip()]
        raise RuntimeError(
            "The TensorFlow-backend export subprocess failed: "
            + (lines[-1] if lines else f"exit status {completed.returncode}")
        )


def export_generator(
    model,
    path,
    format="saved_model",
    quantization=None,
    version=None,
    uint8=False,
    overwrite=False,
    representative_data=None,
    num_calibration_samples=256,
    calibration_seed=0,
    generator_kwargs=None,
):
    """Exports a model's generator as a SavedModel, a LiteRT file or an ONNX file.

    All formats have one signature, `serving_default`: `z` (float32
    `[None, latent_dim]`, standard normal noise) and, for conditional models,
    `labels` (int32 `[None]`, class indices in `[0, num_classes)`), returning
    `images` (float32 in [-1, 1], or uint8 in [0, 255] with `uint8=True`);
    models with their own `serving_signature()` (e.g. image-to-image) use
    theirs. The batch size is free. Variants with an EMA generator export the
    EMA copy (`model.sampling_generator()`). Out-of-range labels are refused:
    the SavedModel fails the call with an `InvalidArgumentError` naming the
    range; LiteRT and ONNX files fail the call with their runtime's "index out
    of bounds" error (see docs/serving.md).

    Where the export runs: under the TensorFlow backend, in this process.
    Under JAX and PyTorch, the model is saved as a preset and rebuilt from its
    config by a TensorFlow-backend subprocess, which exports it (so its
    classes must be registered Keras serializables, as all keras_gans models
    are). TensorFlow must be installed in every case; ONNX also needs
    `tf2onnx` and `onnx`, and ONNX quantization `onnxruntime`.

    The export is written to a temporary path next to the target and moved
    into place only when it is complete: a failed export leaves nothing
    behind, and an existing target is replaced only with `overwrite=True`.

    Args:
        model: a `keras_gans.models.AdversarialModel` (any backend).
        path: `"saved_model"`: the model base folder (TF Serving's
            `--model_base_path`); the SavedModel goes to `path/<version>/`.
            `"tflite"` / `"onnx"`: the file to write, ending in `.tflite` /
            `.onnx`.
        format: `"saved_model"`, `"tflite"` (LiteRT) or `"onnx"`.
        quantization: `None` (float32), `"float16"` (float16 weights) or
            `"int8"` (int8 weights and activations, calibrated on
            representative inputs); LiteRT and ONNX only.
        version: SavedModel version number (non-negative int, default 1);
            `None` for the file formats.
        uint8: return uint8 images in [0, 255] (`round((x + 1) * 127.5)`).
        overwrite: replace an existing target.
        representative_data: int8 calibration inputs, a dict
            `{input name: array}` (or one array for a one-input signature);
            by default `num_calibration_samples` latents are drawn from N(0, 1)
            with NumPy seed `calibration_seed`, with labels spread evenly.
        num_calibration_samples: drawn calibration samples (int8).
        calibration_seed: NumPy seed of the drawn calibration samples.
        generator_kwargs: extra arguments of the generator call, baked into
            the graph, e.g. `{"truncation_psi": 0.7}` for StyleGAN.

    Returns:
        The path written: `path/<version>` for a SavedModel, else `path`.

    Example:

    ```python
    gan = keras_gans.models.from_preset("dcgan_fashion_mnist")
    export_generator(gan, "serving/dcgan", version=1)               # TF Serving
    export_generator(gan, "dcgan_int8.tflite", format="tflite", quantization="int8")
    export_generator(gan, "dcgan.onnx", format="onnx")

    from ai_edge_litert.interpreter import Interpreter
    run = Interpreter(model_path="dcgan_int8.tflite").get_signature_runner()
    images = run(z=np.random.standard_normal((4, 64)).astype("float32"))["images"]
    ```
    """
    return export_generators(
        model,
        [{"path": path, "format": format, "quantization": quantization, "version": version}],
        uint8=uint8,
        overwrite=overwrite,
        representative_data=representative_data,
        num_calibration_samples=num_calibration_samples,
        calibration_seed=calibration_seed,
        generator_kwargs=generator_kwargs,
    )[0]


_EXPORT_KEYS = ("path", "format", "quantization", "version")


def export_generators(
    model,
    exports,
    uint8=False,
    overwrite=False,
    representative_data=None,
    num_calibration_samples=256,
    calibration_seed=0,
    generator_kwargs=None,
):
    """Several exports of one model in one go (e.g. every format for a benchmark).

    Every export is checked before any is written; they are all built (under
    JAX and PyTorch in one TensorFlow subprocess) before any is moved into
    place, so a failure leaves no export behind.

    Args:
        model: a `keras_gans` model.
        exports: list of dicts with the keys `path`, and optionally `format`
            (default `"saved_model"`), `quantization` and `version`, as in
            `export_generator`.
        uint8, overwrite, representative_data, num_calibration_samples,
        calibration_seed, generator_kwargs: as in `export_generator`, for
            every export.

    Returns:
        The list of written paths, in the order of `exports`.

    Example:

    ```python
    export_generators(gan, [
        {"path": "gan.tflite", "format": "tflite"},
        {"path": "gan_int8.onnx", "format": "onnx", "quantization": "int8"},
    ])
    ```
    """
    if not isinstance(exports, (list, tuple)) or not exports:
        raise ValueError(f"exports must be a non-empty list of dicts. Received: exports={exports!r}")
    plans = []
    for entry in exports:
        if not isinstance(entry, dict) or "path" not in entry or set(entry) - set(_EXPORT_KEYS):
            raise ValueError(
                f"Each export is a dict with a 'path' and optionally {list(_EXPORT_KEYS[1:])}. "
                f"Received: {entry!r}"
            )
        format = entry.get("format", "saved_model")
        quantization = entry.get("quantization")
        version, kwargs = export_plan.check_options(
            format, quantization, entry.get("version"), uint8, generator_kwargs
        )
        plans.append({"format": format, "quantization": quantization, "version": version})
    generator_kwargs = kwargs
    if representative_data is not None and not any(p["quantization"] == "int8" for p in plans):
        raise ValueError(
            "representative_data calibrates int8 quantization only. Received: quantization="
            + repr(plans[0]["quantization"] if len(plans) == 1 else [p["quantization"] for p in plans])
        )
    export_plan.check_model(model)
    signature = serving_signature(model)
    if uint8 and len(model.image_shape) != 3:
        raise ValueError(
            "uint8=True needs image samples (height, width, channels); this model generates "
            f"samples of shape {tuple(model.image_shape)}. Received: uint8=True"
        )
    calibration = None
    if any(p["quantization"] == "int8" for p in plans):
        calibration = representative_inputs(
            signature, num_calibration_samples, calibration_seed, representative_data
        )
    for plan, entry in zip(plans, exports):
        export_plan.check_requirements(plan["format"], plan["quantization"])
        plan["target"] = export_plan.export_target(entry["path"], plan["format"], plan["version"])
        export_plan.check_target(plan["target"], plan["format"], overwrite)
    targets = [os.path.abspath(p["target"]) for p in plans]
    if len(set(targets)) != len(targets):
        raise ValueError(f"Two exports have the same path. Received: paths={[p['target'] for p in plans]}")

    model_name = type(model).__name__
    try:
        for plan in plans:
            plan["created"] = export_plan.make_parents(plan["target"])
            parent = os.path.dirname(os.path.abspath(plan["target"]))
            plan["work_dir"] = tempfile.mkdtemp(prefix=".keras_gans_export_", dir=parent)
            suffix = export_plan.FILE_SUFFIXES.get(plan["format"], "")
            plan["output"] = os.path.join(plan["work_dir"], "export" + suffix)
        if keras.backend.backend() == "tensorflow":
            generator = model.sampling_generator()
            for plan in plans:
                build_export(
                    generator,
                    signature,
                    plan["format"],
                    plan["quantization"],
                    plan["output"],
                    uint8,
                    generator_kwargs,
                    calibration,
                    plan["work_dir"],
                    model_name,
                )
        else:
            keys = ("format", "quantization", "output", "work_dir")
            jobs = [{key: plan[key] for key in keys} for plan in plans]
            common = {
                "uint8": uint8,
                "generator_kwargs": generator_kwargs,
                "calibration": calibration,
                "model_name": model_name,
            }
            _build_in_subprocess(model, jobs, common)
        for plan in plans:  # nothing appeared meanwhile
            export_plan.check_target(plan["target"], plan["format"], overwrite)
        for plan in plans:
            export_plan.move_into_place(plan["output"], plan["target"])
    finally:
        for plan in plans:
            if plan.get("work_dir"):
                shutil.rmtree(plan["work_dir"], ignore_errors=True)
            if not os.path.lexists(plan["target"]):
                export_plan.remove_empty(plan.get("created", []))
    return [plan["target"] for plan in plans]
