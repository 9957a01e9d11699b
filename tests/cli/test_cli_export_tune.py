"""`keras-gans export --format/--quantization` (each format run in its own
runtime against the Keras generator) and `keras-gans tune` (a real 2-trial
KerasTuner search on the ring, resumed, and its best recipe trained)."""

import json
import os
import re

import keras
import numpy as np

from keras_gans import cli
from keras_gans import presets
from keras_gans.export import load_exported

PRESET = "gan_ring"
TINY_RING = {
    "name": "tiny_ring",
    "variant": "GAN",
    "dataset": "ring",
    "num_examples": 1024,
    "latent_dim": 2,
    "generator": {"network": "mlp_generator", "args": {"hidden_units": [16, 16]}},
    "discriminator": {"network": "mlp_discriminator", "args": {"hidden_units": [16, 16]}},
    "g_optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.001, "beta_1": 0.5}},
    "d_optimizer": {"class_name": "Adam", "config": {"learning_rate": 0.001, "beta_1": 0.5}},
    "batch_size": 128,
    "epochs": 2,
    "seed": 0,
}


def run(capsys, *argv):
    status = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def one_error_line(err):
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("keras-gans: error: "), err
    return lines[0]


def test_export_to_each_format_runs_in_its_runtime(tmp_path, capsys):
    gan = presets.from_preset(PRESET)
    z = np.random.default_rng(0).standard_normal((32, 2)).astype("float32")
    expected = keras.ops.convert_to_numpy(gan.sampling_generator()(z, training=False))
    for format, path, quantization, tolerance in (
        ("saved_model", tmp_path / "serving", None, 1e-5),
        ("tflite", tmp_path / "ring_fp16.tflite", "float16", 1e-2),
        ("onnx", tmp_path / "ring.onnx", None, 1e-4),
    ):
        argv = ["export", PRESET, path, "--format", format]
        argv += ["--quantization", quantization] if quantization else []
        status, out, err = run(capsys, *argv)
        assert status == 0, err
        written = path / "1" if format == "saved_model" else path  # --version defaults to 1
        what = format + (f", {quantization}" if quantization else "")
        assert out.strip() == (
            f"Exported {written} ({what}): serving_default(z float32 [None, 2]) -> images float32 [None, 2]"
        )
        exported = load_exported(written)  # TensorFlow, the LiteRT interpreter, onnxruntime
        assert exported.format == format and exported.input_names == ["z"]
        images = exported(z=z)
        assert images.shape == (32, 2)
        assert np.abs(images - expected).max() <= tolerance, format
    assert sorted(os.listdir(tmp_path)) == ["ring.onnx", "ring_fp16.tflite", "serving"]


def test_export_option_errors(tmp_path, capsys):
    mine = tmp_path / "mine.onnx"
    mine.write_bytes(b"the user's own file")
    cases = [
        (
            ["--format", "saved_model", "--quantization", "int8"],
            tmp_path / "s",
            2,
            r"--quantization applies to",
        ),
        (
            ["--format", "tflite", "--version", 2],
            tmp_path / "g.tflite",
            2,
            r"--version applies to --format saved",
        ),
        (["--format", "onnx"], tmp_path / "g.tflite", 2, r"ends with .onnx. Received: PATH=.*g.tflite"),
        (
            ["--format", "torchscript"],
            tmp_path / "g.pt",
            2,
            r"argument --format: invalid choice: 'torchscript'",
        ),
        (
            ["--format", "tflite", "--quantization", "int4"],
            tmp_path / "g.tflite",
            2,
            r"--quantization: invalid",
        ),
        (["--format", "onnx"], mine, 1, r"mine.onnx already exists; pass overwrite=True \(--overwrite\)"),
    ]
    for options, path, code, pattern in cases:
        status, _, err = run(capsys, "export", PRESET, path, *options)
        assert status == code and re.search(pattern, one_error_line(err)), (options, err)
    assert mine.read_bytes() == b"the user's own file"
    assert sorted(os.listdir(tmp_path)) == ["mine.onnx"]


def test_tune_runs_resumes_and_its_best_recipe_trains(tmp_path, capsys):
    search = {
        "name": "tiny_ring_search",
        "recipe": TINY_RING,
        "search_space": {"g_learning_rate": {"values": [0.001, 0.003]}},
        "objective": ["reverse_kl", "high_quality"],
        "max_trials": 2,
        "seed": 0,
        "evaluation": {"seeds": [0], "num_samples": 500},
    }
    recipe = tmp_path / "search.json"
    recipe.write_text(json.dumps(search))
    folder = tmp_path / "search"
    status, out, err = run(capsys, "tune", recipe, "--output", folder, "--max-trials", 1, "--verbose", 0)
    assert status == 0, err
    first = json.loads((folder / "trials.json").read_text())
    assert [t["status"] for t in first["trials"]] == ["COMPLETED"]
    trial_file = next(folder.rglob("trial.json"))
    trial_bytes = trial_file.read_bytes()
    # Resumed with the recipe's 2 trials: the finished one is not run again.
    status, out, err = run(capsys, "tune", recipe, "--output", folder, "--verbose", 0)
    assert status == 0, err
    assert trial_file.read_bytes() == trial_bytes
    summary = json.loads((folder / "trials.json").read_text())
    assert len(summary["trials"]) == 2 and all(t["status"] == "COMPLETED" for t in summary["trials"])
    assert {t["hyperparameters"]["g_learning_rate"] for t in summary["trials"]} == {0.001, 0.003}
    best = min(summary["trials"], key=lambda t: t["score"])
    assert summary["best_trial"] == best["trial_id"]
    for trial in summary["trials"]:
        metrics = trial["metrics"]
        assert trial["score"] == metrics["reverse_kl"] - metrics["high_quality"]  # the objective's sum
        assert re.search(re.escape(f"trial {trial['trial_id']} COMPLETED score {trial['score']:.4g} "), out)
    assert (
        f"Best trial {best['trial_id']}: g_learning_rate={best['hyperparameters']['g_learning_rate']:.4g}"
        in out
    )
    assert f"Best recipe: {folder / 'best_recipe.json'}" in out
    status, out, err = run(capsys, "tune", recipe, "--output", folder, "--verbose", 0, "--json")
    assert status == 0 and json.loads(out) == summary
    # The best recipe is a training recipe for `train`.
    status, _, err = run(
        capsys,
        "train",
        folder / "best_recipe.json",
        "--epochs",
        1,
        "--output",
        tmp_path / "best",
        "--verbose",
        0,
    )
    assert status == 0, err
    trained = json.loads((tmp_path / "best" / "recipe.json").read_text())
    assert trained["g_optimizer"]["config"]["learning_rate"] == best["hyperparameters"]["g_learning_rate"]

    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("not a search")
    for argv, code, pattern in (
        (["tune", tmp_path / "missing.json"], 2, r"The tuning recipe .*missing.json' does not exist"),
        (["tune", recipe, "--output", other], 1, r"is not empty and holds no tuning search"),
        (["tune", recipe, "--output", recipe], 2, r"--output must name a folder; it is a file"),
        (["tune", recipe, "--max-trials", 0], 2, r"argument --max-trials: must be an integer >= 1"),
    ):
        status, _, err = run(capsys, *argv)
        assert status == code and re.search(pattern, one_error_line(err)), (argv, err)
    assert os.listdir(other) == ["notes.txt"]
