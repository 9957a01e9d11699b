"""A training run's folder: what it holds, and how it is written without losing files.

A run folder holds `recipe.json` (the full recipe), `state.json` (epochs done,
the logs of each epoch), `checkpoint.keras` (the whole model after the last
saved epoch, optimizer state included; every epoch unless `--checkpoint-every`), `samples/` and, at the end,
`preset/`. Every file is written through a temporary file and a rename; a new
run is set up in a temporary sibling folder and takes the place of an old one
(`--overwrite`) only once its data and model are ready.
"""

import math
import os
import shutil
import tempfile

import keras

from keras_gans.cli.errors import CommandLineError
from keras_gans.presets.files import replace_folder
from keras_gans.presets.files import write_json_atomic

CHECKPOINT_FILE = "checkpoint.keras"
STATE_FILE = "state.json"
RECIPE_FILE = "recipe.json"
SAMPLES_DIR = "samples"
PRESET_DIR = "preset"
RUN_FILES = (RECIPE_FILE, STATE_FILE, CHECKPOINT_FILE)

# Package-internal: the public API of the CLI is keras_gans.cli (main, build_parser).
__all__ = []


def is_run(folder):
    """True when `folder` holds a keras-gans training run."""
    return any(os.path.exists(os.path.join(folder, name)) for name in RUN_FILES)


def read_json(path, what):
    """A JSON file of a run, with errors that name it."""
    import json

    try:
        with open(path) as f:
            return json.load(f)
    except OSError as error:
        raise CommandLineError(f"Cannot read the {what} {path!r}: {error.strerror}.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CommandLineError(
            f"The {what} {path!r} is corrupt or truncated: not valid JSON ({error})."
        ) from None


def check_output_for_new_run(output, overwrite):
    """Refuses an `--output` a new run must not replace (checked before anything is written)."""
    if os.path.exists(output) and not os.path.isdir(output):
        raise CommandLineError(
            f"--output must name a folder; {output!r} is a file. Received: --output={output}"
        )
    if not os.path.isdir(output) or not os.listdir(output) or overwrite:
        return
    if is_run(output):
        raise CommandLineError(
            f"{output!r} already holds a run; pass --resume to continue it or --overwrite to start again."
        )
    raise CommandLineError(
        f"{output!r} is not empty and holds no keras-gans run (no {RECIPE_FILE}); choose another --output, "
        "or pass --overwrite to replace the folder (its files are deleted once the new run has started). "
        f"Received: --output={output}"
    )


def start_new_run(output, recipe, state):
    """Writes a new run's recipe and state in a temporary sibling folder, then puts
    it at `output`, replacing what was there only now."""
    output = os.path.abspath(output)
    parent = os.path.dirname(output)
    os.makedirs(parent, exist_ok=True)
    building = tempfile.mkdtemp(prefix=f".{os.path.basename(output)}.new-", dir=parent)
    try:
        write_json_atomic(os.path.join(building, RECIPE_FILE), recipe)
        write_json_atomic(os.path.join(building, STATE_FILE), state)
        replace_folder(building, output)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise


class RunCheckpoint(keras.callbacks.Callback):
    """Saves the whole model (optimizer state included) and the run state
    atomically, every `every` epochs and after the last one, from epochs whose
    logged losses are finite.

    An epoch with non-finite losses never replaces the last good checkpoint.
    When training ends before `epochs` (the failure monitor stopped it), the
    last epoch is saved if its losses were finite.

    Args:
        output: the run folder.
        history: list of the logs of the epochs done so far (appended to).
        extra_state: other entries of `state.json` kept as they are (e.g.
            `fine_tuning`).
        every: int. Save after every `every`-th epoch (counted from the run's start).
        epochs: int or None. The run's last epoch, always saved.
        saved_epochs: int. The epochs the checkpoint in `output` holds now (a
            resumed run's start; 0 for a new run).
    """

    def __init__(self, output, history, extra_state=None, every=1, epochs=None, saved_epochs=0):
        super().__init__()
        self.output = output
        self.history = history
        self.extra_state = dict(extra_state or {})
        self.every = every
        self.epochs = epochs
        self.saved_epochs = saved_epochs
        self._unsaved = None  # a finished epoch with finite losses not saved yet

    def on_epoch_end(self, epoch, logs=None):
        logs = {k: float(v) for k, v in (logs or {}).items()}
        if not all(math.isfinite(logs[k]) for k in ("d_loss", "g_loss") if k in logs):
            self._unsaved = None  # the weights are no longer those of a good epoch
            return
        self.history.append(logs)
        done = epoch + 1
        if done % self.every == 0 or done == self.epochs:
            self._save(done)
        else:
            self._unsaved = done

    def on_train_end(self, logs=None):
        if self._unsaved is not None:
            self._save(self._unsaved)

    def _save(self, epochs_done):
        handle, temporary = tempfile.mkstemp(prefix=".checkpoint.", suffix=".keras", dir=self.output)
        os.close(handle)
        try:
            self.model.save(temporary)
            os.replace(temporary, os.path.join(self.output, CHECKPOINT_FILE))
        except BaseException:
            if os.path.exists(temporary):
                os.remove(temporary)
            raise
        write_json_atomic(
            os.path.join(self.output, STATE_FILE),
            {**self.extra_state, "epochs_done": epochs_done, "history": self.history},
        )
        self.saved_epochs = epochs_done
        self._unsaved = None
