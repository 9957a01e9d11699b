"""Loading presets: registered zoo names and local preset folders."""

import json
import os

import keras

from keras_gans import models
from keras_gans.presets.files import file_sha256
from keras_gans.presets.files import registered_file
from keras_gans.presets.registry import preset_entry
from keras_gans.presets.registry import registered_presets

CONFIG_FILE = "config.json"
WEIGHTS_FILE = "model.weights.h5"
METADATA_FILE = "metadata.json"
SAMPLES_FILE = "samples.png"
# The key of metadata.json that records the sha256 of a saved preset's other files.
FILE_HASHES_KEY = "files"

__all__ = [
    "CONFIG_FILE",
    "FILE_HASHES_KEY",
    "METADATA_FILE",
    "SAMPLES_FILE",
    "WEIGHTS_FILE",
    "from_preset",
    "list_presets",
    "load_metadata",
    "preset_file",
]


def list_presets():
    """Returns the registered presets.

    Returns:
        dict mapping each preset name to a copy of its registry entry:
        `description`, `variant`, `dataset`, `metrics` (headline numbers from
        its model card) and `files` (file name -> sha256).

    Example:

    >>> sorted(keras_gans.presets.list_presets())
    ['cgan_fashion_mnist', 'dcgan_fashion_mnist', ...]
    """
    return registered_presets()


def _unknown_preset_error(preset):
    names = ", ".join(registered_presets()) or "(none registered)"
    return ValueError(
        f"Unknown preset {preset!r}: not a registered preset name and not a preset folder. "
        f"Registered presets: {names}. Received: preset={preset!r}"
    )


def _read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(
            f"{path} is corrupt or truncated: it is not valid JSON ({error}). Restore it from "
            "the preset's source, or save the preset again with keras_gans.presets.save_to_preset."
        ) from None


def _recorded_hashes(preset_dir):
    path = os.path.join(preset_dir, METADATA_FILE)
    if not os.path.isfile(path):
        return {}
    recorded = _read_json(path).get(FILE_HASHES_KEY)
    return recorded if isinstance(recorded, dict) else {}


def _checked_local_file(preset_dir, filename):
    path = os.path.join(preset_dir, filename)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"Preset folder {preset_dir!r} has no {filename}.")
    expected = _recorded_hashes(preset_dir).get(filename) if filename != METADATA_FILE else None
    if expected is not None and file_sha256(path) != expected:
        raise ValueError(
            f"{path} is corrupt or truncated: its sha256 is not the {expected} recorded in "
            f"{os.path.join(preset_dir, METADATA_FILE)}. Restore the file, or save the preset "
            f"again (if you replaced it on purpose, delete its entry from {FILE_HASHES_KEY!r} there)."
        )
    return path


def preset_file(preset, filename, cache_dir=None):
    """Local path of one good file of a preset (sha256-checked; downloaded when needed).

    Args:
        preset: a registered preset name or a preset folder.
        filename: e.g. `"config.json"`, `"model.weights.h5"`, `"metadata.json"`.
        cache_dir: download cache folder (default: `$KERAS_HOME`, else
            `~/.keras`, as Keras finds it).

    Returns:
        The path of the file.
    """
    if os.path.isdir(preset):
        return _checked_local_file(preset, filename)
    entry = preset_entry(preset)
    if entry is None:
        raise _unknown_preset_error(preset)
    files = entry["files"]
    if filename not in files:
        raise ValueError(
            f"Preset {preset!r} has no file {filename!r}; it has {', '.join(sorted(files))}. "
            f"Received: filename={filename!r}"
        )
    return registered_file(preset, filename, files[filename], cache_dir)


def load_metadata(preset, cache_dir=None):
    """The model card (`metadata.json`) of a preset, as a dict ({} if a folder has none)."""
    if os.path.isdir(preset) and not os.path.isfile(os.path.join(preset, METADATA_FILE)):
        return {}
    return _read_json(preset_file(preset, METADATA_FILE, cache_dir))


def _check_local_dir(preset_dir, need_weights):
    if not os.path.isdir(preset_dir):
        raise FileNotFoundError(f"Preset folder {preset_dir!r} does not exist.")
    required = [CONFIG_FILE] + ([WEIGHTS_FILE] if need_weights else [])
    missing = [f for f in required if not os.path.isfile(os.path.join(preset_dir, f))]
    if missing:
        raise FileNotFoundError(
            f"{preset_dir!r} is not a keras-gans preset folder: it lacks "
            f"{', '.join(missing)} (write one with keras_gans.presets.save_to_preset)."
        )


def from_preset(preset, load_weights=True, cache_dir=None):
    """Builds a trained model from the zoo or from a local preset folder.

    Args:
        preset: a registered preset name (see `list_presets()`), e.g.
            `"dcgan_fashion_mnist"`, or the path of a preset folder.
        load_weights: load the trained weights (otherwise the networks keep
            their fresh initialization).
        cache_dir: download cache folder (default: `$KERAS_HOME`, else
            `~/.keras`, as Keras finds it).

    Returns:
        An uncompiled `keras_gans.models.AdversarialModel` (the variant the
        preset was trained as). Call `compile()` before training it further.

    Example:

    ```python
    gan = keras_gans.models.from_preset("dcgan_fashion_mnist")
    images = gan.generate(16, seed=0)  # (16, 28, 28, 1) in [-1, 1]
    ```
    """
    if not isinstance(preset, (str, os.PathLike)):
        raise ValueError(f"`preset` must be a name or a folder path. Received: preset={preset!r}")
    preset = os.fspath(preset)
    if os.path.isdir(preset):
        _check_local_dir(preset, load_weights)
    elif preset_entry(preset) is None:
        if os.sep in preset or preset.startswith("."):
            raise FileNotFoundError(f"Preset folder {preset!r} does not exist.")
        raise _unknown_preset_error(preset)
    config_path = preset_file(preset, CONFIG_FILE, cache_dir)
    config = _read_json(config_path)
    try:
        model = keras.saving.deserialize_keras_object(config)
    except (ValueError, TypeError, KeyError) as error:
        raise ValueError(f"Could not build a model from {config_path}: {error}") from None
    if not isinstance(model, models.AdversarialModel):
        raise ValueError(f"{config_path} describes a {type(model).__name__}, not a keras_gans model.")
    if load_weights:
        weights_path = preset_file(preset, WEIGHTS_FILE, cache_dir)
        try:
            model.load_weights(weights_path)
        except Exception as error:  # noqa: BLE001 - h5py/Keras raise many types
            raise ValueError(
                f"Could not load the weights {weights_path} into the model of {config_path}: the "
                f"file is corrupt or truncated, or belongs to another model ({error})"
            ) from None
    return model
