"""Export of generators as TensorFlow SavedModels for TensorFlow Serving.

`export_generator(model, path, version=1)` writes `path/<version>/`, the layout
TensorFlow Serving expects (`--model_base_path=path`), with one signature:

    serving_default(z: float32 [None, latent_dim]
                    (, labels: int32 [None] for conditional models))
        -> {"images": float32 [None, *sample_shape] in [-1, 1]
                      (uint8 [None, *sample_shape] in [0, 255] with uint8=True)}

How the SavedModel is made depends on the running Keras backend:

- TensorFlow: `keras.export.ExportArchive` traces the generator into TF ops.
- JAX: `keras.export.ExportArchive` converts it with `jax2tf` (the graph holds
  one `XlaCallModule` op, serialized for CPU and CUDA).
- PyTorch: Keras cannot export from torch to a SavedModel, so the model is saved
  as a preset and re-exported by a TensorFlow-backend subprocess
  (`KERAS_BACKEND=tensorflow python -m keras_gans export ...`). Custom layers
  must then be importable and registered.

TensorFlow must be installed in every case. See docs/serving.md.
"""

import os
import shutil
import subprocess
import sys
import tempfile

import keras
from keras import ops

SIGNATURE_NAME = "serving_default"
# Platforms the JAX export is lowered for (TF Serving on CPU or NVIDIA GPU).
JAX_PLATFORMS = ("cpu", "cuda")


def _check_model(model):
    for attribute in ("sampling_generator", "generator_inputs", "latent_dim", "image_shape"):
        if not hasattr(model, attribute):
            raise ValueError(
                "export_generator needs a keras_gans model (with a generator and a "
                f"latent_dim), got {type(model).__name__}."
            )


def _to_uint8(images):
    return ops.cast(ops.round(ops.clip((images + 1.0) * 127.5, 0.0, 255.0)), "uint8")


def _export_in_process(model, target, uint8):
    generator = model.sampling_generator()
    conditional = model.num_classes is not None
    uint8 = bool(uint8)

    def images_of(z, labels):
        images = generator(model.generator_inputs(z, labels), training=False)
        images = ops.cast(images, "float32")
        return {"images": _to_uint8(images) if uint8 else images}

    signature = [keras.InputSpec(shape=(None, model.latent_dim), dtype="float32", name="z")]
    if conditional:
        signature.append(keras.InputSpec(shape=(None,), dtype="int32", name="labels"))

        def serve(z, labels):
            return images_of(z, labels)

    else:

        def serve(z):
            return images_of(z, None)

    kwargs = {}
    if keras.backend.backend() == "jax":
        kwargs["jax2tf_kwargs"] = {"native_serialization_platforms": JAX_PLATFORMS}
    archive = keras.export.ExportArchive()
    archive.track(generator)
    archive.add_endpoint(SIGNATURE_NAME, serve, input_signature=signature, **kwargs)
    archive.write_out(target, verbose=False)


def _export_in_subprocess(model, target, uint8):
    from keras_gans import presets

    base, version = os.path.split(target)
    with tempfile.TemporaryDirectory(prefix="keras_gans_export_") as preset_dir:
        presets.save_to_preset(model, preset_dir, samples=False)
        command = [sys.executable, "-m", "keras_gans", "export", preset_dir, base,
                   "--version", version] + (["--uint8"] if uint8 else [])
        env = dict(os.environ, KERAS_BACKEND="tensorflow")
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        env["PYTHONPATH"] = os.pathsep.join(
            [package_root] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])
        )
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise RuntimeError(
            "The TensorFlow-backend export subprocess failed: "
            + (lines[-1] if lines else f"exit status {result.returncode}")
        )


def export_generator(model, path, version=1, uint8=False, overwrite=False):
    """Writes a model's generator as a SavedModel for TensorFlow Serving.

    The SavedModel goes to `path/<version>/` and has a `serving_default`
    signature taking `z` (float32 `[None, latent_dim]`, standard normal
    noise) and, for conditional models (`model.num_classes` set), `labels`
    (int32 `[None]`), and returning `images`. Variants that sample from an EMA
    copy of the generator export that copy.

    Args:
        model: a `keras_gans.models.AdversarialModel` (any backend; TensorFlow
            must be installed).
        path: model base folder, as given to TF Serving's `--model_base_path`.
        version: version number (non-negative int): the sub-folder name.
        uint8: return uint8 images in [0, 255] (`round((x + 1) * 127.5)`)
            instead of float32 in [-1, 1].
        overwrite: replace an existing `path/<version>/`.

    Returns:
        The path of the written SavedModel (`path/<version>`).

    Example:

    ```python
    from keras_gans.export import export_generator

    gan = keras_gans.models.from_preset("dcgan_fashion_mnist")
    export_generator(gan, "serving/dcgan", version=1)
    # In any TensorFlow process:
    serve = tf.saved_model.load("serving/dcgan/1").signatures["serving_default"]
    images = serve(z=tf.random.normal((4, gan.latent_dim)))["images"]
    ```
    """
    _check_model(model)
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise ValueError(f"version must be a non-negative integer, got {version!r}.")
    if uint8 and len(model.image_shape) != 3:
        raise ValueError(
            f"uint8=True needs image samples (height, width, channels); this model "
            f"generates samples of shape {tuple(model.image_shape)}."
        )
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        raise ImportError(
            "Exporting a SavedModel needs TensorFlow (`pip install tensorflow-cpu`), "
            "under any Keras backend."
        ) from None
    path = os.fspath(path)
    target = os.path.join(path, str(version))
    if os.path.exists(target):
        if not overwrite:
            raise FileExistsError(
                f"{target} already exists; pass overwrite=True (--overwrite) or another version."
            )
        shutil.rmtree(target)
    os.makedirs(path, exist_ok=True)
    if keras.backend.backend() in ("tensorflow", "jax"):
        _export_in_process(model, target, uint8)
    else:
        _export_in_subprocess(model, target, uint8)
    return target
