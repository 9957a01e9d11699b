"""`keras-gans train --checkpoint-every N`: which epochs reach checkpoint.keras, and resuming from them."""

import json
import math

import keras
import numpy as np

from keras_gans import cli
from keras_gans.cli import run_folder


def _state(folder):
    return json.loads((folder / run_folder.STATE_FILE).read_text())


def _model():
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.optimizer.build(model.trainable_variables)
    return model


def test_run_checkpoint_saves_every_n_epochs_the_last_one_and_never_a_diverged_one(tmp_path):
    model = _model()
    checkpoint = run_folder.RunCheckpoint(tmp_path, [], every=3, epochs=7)
    checkpoint.set_model(model)
    finite = {"d_loss": 0.5, "g_loss": 1.0}
    saved = []
    for epoch in range(7):
        model.layers[0].kernel.assign(np.full((2, 1), float(epoch), "float32"))
        checkpoint.on_epoch_end(epoch, finite)
        saved.append(_state(tmp_path)["epochs_done"] if (tmp_path / "state.json").exists() else None)
    # Saved after epochs 3 and 6 (multiples of 3) and 7 (the last one).
    assert saved == [None, None, 3, 3, 3, 6, 7]
    assert len(_state(tmp_path)["history"]) == 7
    reloaded = keras.models.load_model(tmp_path / run_folder.CHECKPOINT_FILE)
    np.testing.assert_array_equal(keras.ops.convert_to_numpy(reloaded.layers[0].kernel), np.full((2, 1), 6.0))


def test_run_checkpoint_saves_the_last_finite_epoch_when_training_stops_early(tmp_path):
    model = _model()
    finite = {"d_loss": 0.5, "g_loss": 1.0}
    stopped = run_folder.RunCheckpoint(tmp_path / "stopped", [], every=5, epochs=20)
    (tmp_path / "stopped").mkdir()
    stopped.set_model(model)
    for epoch in range(2):  # e.g. the failure monitor stops the run after epoch 2
        stopped.on_epoch_end(epoch, finite)
    assert not (tmp_path / "stopped" / "state.json").exists()
    stopped.on_train_end()
    assert _state(tmp_path / "stopped")["epochs_done"] == 2 and stopped.saved_epochs == 2

    # A diverged epoch after unsaved finite ones: its weights are not a good epoch's,
    # so the checkpoint stays at the last saved epoch.
    diverged = run_folder.RunCheckpoint(tmp_path / "diverged", [], every=2, epochs=20)
    (tmp_path / "diverged").mkdir()
    diverged.set_model(model)
    for epoch, logs in enumerate([finite, finite, finite, {"d_loss": math.nan, "g_loss": 1.0}]):
        diverged.on_epoch_end(epoch, logs)
    diverged.on_train_end()
    assert _state(tmp_path / "diverged")["epochs_done"] == 2 and diverged.saved_epochs == 2
    assert len(_state(tmp_path / "diverged")["history"]) == 2


def test_train_with_checkpoint_every_resumes_from_the_last_saved_epoch(tmp_path, capsys):
    out_dir = tmp_path / "run"
    common = ["--num-examples", 512, "--batch-size", 256, "--output", out_dir, "--verbose", 0]
    argv = ["train", "gan", "--dataset", "ring", "--epochs", 3, "--checkpoint-every", 2, *common]
    assert cli.main([str(a) for a in argv]) == 0, capsys.readouterr().err
    # The last epoch is always saved: a finished run holds all 3 epochs.
    assert _state(out_dir)["epochs_done"] == 3
    checkpoint = keras.models.load_model(out_dir / run_folder.CHECKPOINT_FILE)
    assert int(keras.ops.convert_to_numpy(checkpoint.optimizer.iterations)) == 6  # 2 steps per epoch

    argv = ["train", "--resume", "--epochs", 6, "--checkpoint-every", 4, "--output", out_dir, "--verbose", 0]
    assert cli.main([str(a) for a in argv]) == 0, capsys.readouterr().err
    assert "epochs 4-6" in capsys.readouterr().out
    state = _state(out_dir)
    assert state["epochs_done"] == 6 and len(state["history"]) == 6
    checkpoint = keras.models.load_model(out_dir / run_folder.CHECKPOINT_FILE)
    assert int(keras.ops.convert_to_numpy(checkpoint.optimizer.iterations)) == 12


def test_checkpoint_every_must_be_a_positive_integer(tmp_path, capsys):
    argv = ["train", "gan", "--dataset", "ring", "--checkpoint-every", 0, "--output", tmp_path / "run"]
    assert cli.main([str(a) for a in argv]) != 0
    assert "--checkpoint-every: must be an integer >= 1. Received: 0" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()
