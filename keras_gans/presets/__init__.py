"""Presets: trained GANs from the keras-gans zoo, ready to sample from.

A preset is a folder holding:

- `config.json`: the model's Keras config (`keras.saving.serialize_keras_object`),
  generator and discriminator included;
- `model.weights.h5`: the weights of both networks (no optimizer state);
- `metadata.json`: the model card: data, training recipe, the exact command that
  trained it, the metrics measured on it with their protocol, and (for folders
  written by `save_to_preset`) the sha256 of the other files;
- `samples.png` (optional): a grid of samples.

`from_preset(name_or_dir)` accepts a registered preset name (see `list_presets()`;
each variant registers its presets in `keras_gans/models/<variant>_presets.py`)
or a local preset folder. The files of registered presets ship inside the
package (`keras_gans/zoo/`) and are sha256-checked on every load; see
`keras_gans.presets.files` for the cache and download fallback.
"""

from keras_gans.presets.files import BASE_URL_ENV
from keras_gans.presets.files import DEFAULT_BASE_URL
from keras_gans.presets.files import PACKAGED_ZOO_DIR
from keras_gans.presets.files import ZOO_DIR_ENV
from keras_gans.presets.files import atomic_folder
from keras_gans.presets.files import base_url
from keras_gans.presets.files import cache_root
from keras_gans.presets.files import file_sha256
from keras_gans.presets.files import keras_home
from keras_gans.presets.files import registered_file
from keras_gans.presets.files import replace_folder
from keras_gans.presets.files import write_json_atomic
from keras_gans.presets.files import zoo_dir
from keras_gans.presets.loading import CONFIG_FILE
from keras_gans.presets.loading import METADATA_FILE
from keras_gans.presets.loading import SAMPLES_FILE
from keras_gans.presets.loading import WEIGHTS_FILE
from keras_gans.presets.loading import from_preset
from keras_gans.presets.loading import list_presets
from keras_gans.presets.loading import load_metadata
from keras_gans.presets.loading import preset_file
from keras_gans.presets.registry import preset_entry
from keras_gans.presets.registry import registered_presets
from keras_gans.presets.sampling import generate_samples
from keras_gans.presets.sampling import latent_noise
from keras_gans.presets.sampling import write_picture
from keras_gans.presets.sampling import write_sample_grid
from keras_gans.presets.saving import save_to_preset

__all__ = [
    "BASE_URL_ENV",
    "CONFIG_FILE",
    "DEFAULT_BASE_URL",
    "METADATA_FILE",
    "PACKAGED_ZOO_DIR",
    "SAMPLES_FILE",
    "WEIGHTS_FILE",
    "ZOO_DIR_ENV",
    "atomic_folder",
    "base_url",
    "cache_root",
    "file_sha256",
    "from_preset",
    "generate_samples",
    "keras_home",
    "latent_noise",
    "list_presets",
    "load_metadata",
    "preset_entry",
    "preset_file",
    "registered_file",
    "registered_presets",
    "replace_folder",
    "save_to_preset",
    "write_json_atomic",
    "write_picture",
    "write_sample_grid",
    "zoo_dir",
]
