"""Saving a model as a preset folder, atomically."""

import json
import os

import keras

from keras_gans import models
from keras_gans.presets.files import atomic_folder
from keras_gans.presets.files import file_sha256
from keras_gans.presets.files import write_json_atomic
from keras_gans.presets.loading import CONFIG_FILE
from keras_gans.presets.loading import FILE_HASHES_KEY
from keras_gans.presets.loading import METADATA_FILE
from keras_gans.presets.loading import SAMPLES_FILE
from keras_gans.presets.loading import WEIGHTS_FILE
from keras_gans.presets.sampling import write_sample_grid

__all__ = ["save_to_preset"]


def _uncompiled_copy(model):
    """A fresh, uncompiled model with `model`'s config and weights."""
    config = keras.saving.serialize_keras_object(model)
    config.pop("compile_config", None)
    # Deserializing edits nested dicts in place: build from a deep copy.
    copy = keras.saving.deserialize_keras_object(json.loads(json.dumps(config)))
    copy.set_weights(model.get_weights())
    if hasattr(model, "seed_generator") and hasattr(copy, "seed_generator"):
        copy.seed_generator.state.assign(model.seed_generator.state.value)
    return copy, config


def save_to_preset(model, preset_dir, metadata=None, samples=True, seed=0, overwrite=False):
    """Saves a model as a preset folder that `from_preset` loads.

    Writes `config.json`, `model.weights.h5` (both networks, no optimizer
    state), `samples.png` (with `samples=True`: 64 samples from NumPy latent
    seed `seed`, see `generate_samples`; a scatter plot for 2D samples) and
    `metadata.json`: the given metadata plus the class, latent size, sample
    shape, number of classes, library versions and the sha256 of the other
    files (checked by `from_preset`). The folder is written beside
    `preset_dir` and renamed into place at the end: a failed save leaves the
    previous folder (or none).

    Args:
        model: a `keras_gans.models.AdversarialModel`.
        preset_dir: folder to write.
        metadata: dict merged into `metadata.json` (the model card).
        samples: also write `samples.png`.
        seed: latent seed of the sample grid.
        overwrite: replace an existing, non-empty `preset_dir`.

    Returns:
        `preset_dir`.

    Example:

    ```python
    keras_gans.presets.save_to_preset(gan, "my_gan", metadata={"data": "ring"})
    gan2 = keras_gans.models.from_preset("my_gan")
    ```
    """
    if not isinstance(model, models.AdversarialModel):
        raise ValueError(
            f"save_to_preset needs a keras_gans model. Received: model of type {type(model).__name__}"
        )
    preset_dir = os.fspath(preset_dir)
    if os.path.isdir(preset_dir) and os.listdir(preset_dir) and not overwrite:
        raise FileExistsError(
            f"The preset folder {preset_dir!r} already exists and is not empty. Pass "
            f"overwrite=True to replace it, or choose another folder. Received: preset_dir={preset_dir!r}"
        )
    import keras_gans

    copy, config = _uncompiled_copy(model)
    with atomic_folder(preset_dir, overwrite=True) as building:
        write_json_atomic(os.path.join(building, CONFIG_FILE), config, sort_keys=True)
        copy.save_weights(os.path.join(building, WEIGHTS_FILE))
        if samples:
            write_sample_grid(model, os.path.join(building, SAMPLES_FILE), seed=seed)
        card = {
            "class_name": type(model).__name__,
            "latent_dim": int(model.latent_dim),
            "sample_shape": list(model.image_shape),
            "num_classes": model.num_classes,
            "keras_gans_version": keras_gans.__version__,
            "keras_version": keras.__version__,
        }
        card.update(metadata or {})
        card[FILE_HASHES_KEY] = {
            name: file_sha256(os.path.join(building, name)) for name in sorted(os.listdir(building))
        }
        write_json_atomic(os.path.join(building, METADATA_FILE), card)
    return preset_dir
