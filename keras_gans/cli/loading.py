"""The models a command reads: preset names, preset folders and `.keras` files."""

import os
import zipfile

import numpy as np

from keras_gans.cli.errors import CommandLineError

# Package-internal: the public API of the CLI is keras_gans.cli (main, build_parser).
__all__ = []


def load_keras_file(path, what="model file"):
    """`keras.models.load_model(path)`, with errors that name the file."""
    import keras

    if not os.path.isfile(path):
        raise CommandLineError(f"The {what} {path!r} does not exist.")
    if path.endswith(".keras") and not zipfile.is_zipfile(path):
        # Keras itself reports such a file as "File not found".
        raise CommandLineError(
            f"Cannot read the {what} {path!r}: it is corrupt or truncated (not a complete .keras zip "
            "archive)."
        )
    try:
        return keras.models.load_model(path)
    except Exception as error:  # noqa: BLE001 - zip, h5 and config errors
        raise CommandLineError(
            f"Cannot read the {what} {path!r}: it is corrupt or truncated, or not a Keras "
            f"model file ({type(error).__name__}: {error})"
        ) from None


def load_model(spec):
    """A keras_gans model from a preset name, a preset folder or a `.keras` file."""
    from keras_gans import models
    from keras_gans import presets

    if spec.endswith(".keras") or os.path.isfile(spec):
        model = load_keras_file(spec)
        if not isinstance(model, models.AdversarialModel):
            raise CommandLineError(f"{spec!r} holds a {type(model).__name__}, not a keras_gans GAN.")
        return model
    return presets.from_preset(spec)


def parse_labels(text, model, count):
    """The `--labels 0,1,2` of `sample`, repeated to `count` labels (None if not given)."""
    if text is None:
        return None
    if model.num_classes is None:
        raise CommandLineError(
            f"--labels needs a conditional model; this one has no classes. Received: --labels={text}"
        )
    try:
        labels = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise CommandLineError(
            f"--labels takes comma-separated integers. Received: --labels={text}"
        ) from None
    if not labels or min(labels) < 0 or max(labels) >= model.num_classes:
        raise CommandLineError(
            f"--labels must be class indices in [0, {model.num_classes - 1}]. Received: --labels={text}"
        )
    return np.resize(np.asarray(labels, "int32"), count)
