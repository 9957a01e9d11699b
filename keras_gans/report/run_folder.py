"""Reading a run folder: the files `keras-gans train` and `training_callbacks` write."""

import json
import os
import re

import numpy as np

from keras_gans.callbacks.training_callbacks import SAMPLES_FOLDER
from keras_gans.callbacks.training_callbacks import TENSORBOARD_FOLDER

# Written by `keras-gans train`.
STATE_FILE = "state.json"
RECIPE_FILE = "recipe.json"
CARD_FILE = os.path.join("preset", "metadata.json")
_SAMPLE_NAME = re.compile(r"^epoch_(\d+)\.png$")


def _events(path):
    """The `Event` protos of one event file; a record cut short by a crash
    ends the file."""
    import tensorflow as tf
    from tensorflow.core.util import event_pb2

    events = []
    try:
        for record in tf.data.TFRecordDataset(path):
            events.append(event_pb2.Event.FromString(record.numpy()))
    except tf.errors.DataLossError:
        pass
    return events


def read_event_files(log_dir):
    """Scalars and texts of the TensorBoard event files under `log_dir`.

    Reads every `events.out.tfevents.*` file in `log_dir` and its subfolders
    with TensorFlow's record reader. Scalars are TF2 scalar summaries (the
    `scalars` plugin) or TF1 `simple_value`s; texts are `text` plugin
    summaries. Of several values of a tag at one step (a resumed run that
    repeated steps) the latest written is kept.

    Args:
        log_dir: a TensorBoard log folder.

    Returns:
        `(scalars, texts)`: dicts `{tag: [(step, value), ...]}` sorted by
        step, with float values and str texts.
    """
    import tensorflow as tf

    latest = {}  # (kind, tag, step) -> (wall_time, value)
    for folder, _, files in sorted(os.walk(log_dir)):
        for name in sorted(files):
            if "tfevents" not in name:
                continue
            plugins = {}
            path = os.path.join(folder, name)
            for event in _events(path):
                for value in event.summary.value:
                    if value.metadata.plugin_data.plugin_name:
                        plugins[value.tag] = value.metadata.plugin_data.plugin_name
                    plugin = plugins.get(value.tag)
                    if value.HasField("simple_value"):
                        kind, item = "scalar", float(value.simple_value)
                    elif value.HasField("tensor") and plugin == "scalars":
                        kind, item = "scalar", float(tf.make_ndarray(value.tensor))
                    elif value.HasField("tensor") and plugin == "text":
                        text = tf.make_ndarray(value.tensor)
                        kind, item = "text", np.asarray(text).reshape(-1)[0].decode("utf-8")
                    else:
                        continue
                    key = (kind, value.tag, int(event.step))
                    if key not in latest or event.wall_time >= latest[key][0]:
                        latest[key] = (event.wall_time, item)
    scalars, texts = {}, {}
    for (kind, tag, step), (_, item) in sorted(latest.items(), key=lambda kv: kv[0][2]):
        (scalars if kind == "scalar" else texts).setdefault(tag, []).append((step, item))
    return scalars, texts


def _read_json(path):
    try:
        with open(path) as f:
            return json.load(f)
    except json.JSONDecodeError as error:
        raise ValueError(f"The run file {path} is not valid JSON: {error}") from None


def read_run(run_dir):
    """Everything a report shows, read from a run folder.

    Args:
        run_dir: a folder written by `keras-gans train` (`state.json`,
            `recipe.json`, `samples/`, `preset/metadata.json`,
            `tensorboard/`) or by `fit` with
            `keras_gans.callbacks.training_callbacks` (`samples/`,
            `tensorboard/`).

    Returns:
        A dict with `run_dir`, `history` (epoch logs: a list of dicts, epoch
        `i + 1` at index `i`; from `state.json`, else from the event files'
        `epoch/` scalars), `epochs` (their epoch numbers), `scalars` and
        `texts` (of the event files), `samples` (`[(epoch, png path)]`),
        `recipe` and `card` (dicts or None).
    """
    run_dir = os.fspath(run_dir)
    if not os.path.isdir(run_dir):
        raise ValueError(f"The run folder does not exist. Received: run_dir={run_dir!r}")
    state_path = os.path.join(run_dir, STATE_FILE)
    state = _read_json(state_path) if os.path.isfile(state_path) else None
    log_dir = os.path.join(run_dir, TENSORBOARD_FOLDER)
    scalars, texts = read_event_files(log_dir) if os.path.isdir(log_dir) else ({}, {})
    samples_dir = os.path.join(run_dir, SAMPLES_FOLDER)
    samples = []
    if os.path.isdir(samples_dir):
        for name in os.listdir(samples_dir):
            match = _SAMPLE_NAME.match(name)
            if match:
                samples.append((int(match.group(1)), os.path.join(samples_dir, name)))
    samples.sort()
    recipe_path, card_path = os.path.join(run_dir, RECIPE_FILE), os.path.join(run_dir, CARD_FILE)
    recipe = _read_json(recipe_path) if os.path.isfile(recipe_path) else None
    card = _read_json(card_path) if os.path.isfile(card_path) else None
    if state is not None:
        history = list(state.get("history", []))
        epochs = list(range(1, len(history) + 1))
    else:
        by_epoch = {}
        for tag, points in scalars.items():
            if tag.startswith("epoch/"):
                for step, value in points:
                    by_epoch.setdefault(step, {})[tag[len("epoch/") :]] = value
        epochs = sorted(by_epoch)
        history = [by_epoch[e] for e in epochs]
    if not (history or scalars or samples or card):
        raise ValueError(
            f"The folder holds no run: no {STATE_FILE}, {TENSORBOARD_FOLDER}/ event files, "
            f"{SAMPLES_FOLDER}/epoch_NNN.png or {CARD_FILE}. Received: run_dir={run_dir!r}"
        )
    return {
        "run_dir": run_dir,
        "history": history,
        "epochs": epochs,
        "scalars": scalars,
        "texts": texts,
        "samples": samples,
        "recipe": recipe,
        "card": card,
    }
