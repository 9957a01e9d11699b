"""Saving a model as a preset folder, atomically."""

import json
import os

import keras
import numpy as np

from keras_gans import models
from keras_gans.presets.files import atomic_folder
from keras_gans.presets.files import file_sha256
from keras_gans.presets.files import write_json_atomic
from keras_gans.presets.loading import CONFIG_FILE
from keras_gans.presets.loading import FILE_HASHES_KEY
from keras_gans.presets.loading import METADATA_FILE
from keras_gans.presets.loading import SAMPLES_FILE
from keras_gans.presets.loading import WEIGHTS_FILE
from keras_gans.presets.sampling import write_picture
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
    seed `seed`, see `generate_samples`; a scatter plot for 2D samples; or the
    uint8 picture given as `samples`, as for image-to-image models) and
    `metadata.json`: the given metadata plus the class, latent size (input
    shape for image-to-image models), sample shape, number of classes,
    library versions and the sha256 of the other files (checked by
    `from_preset`). The folder is written beside
    `preset_dir` and renamed into place at the end: a failed save leaves the
    previous folder (or none).

    Args:
        model: a `keras_gans.models.AdversarialModel`.
        preset_dir: folder to write.
        metadata: dict merged into `metadata.json` (the model card).
        samples: `True` to write `samples.png` of generated samples, a uint8
            picture to write as it is, or `False` for none.
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

    translates = hasattr(model, "translate")
    if translates and samples is True:
        raise ValueError(
            f"A {type(model).__name__} translates images and has no latent samples: pass samples=False or "
            "a picture of its translations (e.g. keras_gans.metrics.translation_figure(model, task))."
        )
    if isinstance(samples, np.ndarray) and (samples.dtype != np.uint8 or samples.ndim not in (2, 3)):
        raise ValueError(
            "`samples` must be True, False or a uint8 picture (height, width[, channels]). "
            f"Received: an array of dtype {samples.dtype} and shape {samples.shape}"
        )
    copy, config = _uncompiled_copy(model)
    with atomic_folder(preset_dir, overwrite=True) as building:
        write_json_atomic(os.path.join(building, CONFIG_FILE), config, sort_keys=True)
        copy.save_weights(os.path.join(building, WEIGHTS_FILE))
        if isinstance(samples, np.ndarray):
            write_picture(samples, os.path.join(building, SAMPLES_FILE))
        elif samples:
            write_sample_grid(model, os.path.join(building, SAMPLES_FILE), seed=seed)
        card = {"class_name": type(model).__name__}
        if translates:
            input_shape = model.translation_input_shape(model.translation_directions[0])
            card["input_shape"] = [int(d) for d in input_shape]
        else:
            card["latent_dim"] = int(model.latent_dim)
        card.update(
            {
                "sample_shape": list(model.image_shape),
                "num_classes": model.num_classes,
                "keras_gans_version": keras_gans.__version__,
                "keras_version": keras.__version__,
            }
        )
        card.update(metadata or {})
        card[FILE_HASHES_KEY] = {
            name: file_sha256(os.path.join(building, name)) for name in sorted(os.listdir(building))
        }
        write_json_atomic(os.path.join(building, METADATA_FILE), card)
    return preset_dir
