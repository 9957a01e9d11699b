"""The `keras-gans` command line, end to end: every subcommand and bad input.

Most tests call `main([...])` in-process; two run `python -m keras_gans` in a
subprocess. The zoo-card test re-runs each card's smallest recorded evaluation
(200 generated samples, latent seed 0; see docs/zoo.md) and expects its numbers
back within float noise.
"""

import hashlib
import json
import os
import re
import subprocess
import sys

import keras
import numpy as np
import pytest
from PIL import Image

import keras_gans
from keras_gans import cli
from keras_gans import data
from keras_gans import presets
from keras_gans.callbacks import image_grid
from keras_gans.callbacks import scatter_image

RING_PRESET = "gan_ring"


def run(capsys, *argv):
    status = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def numpy_noise_samples(gan, n, seed, labels=None):
    """Samples from NumPy latent noise (the CLI's backend-independent sampling),
    computed here without keras_gans' helpers."""
    z = np.random.default_rng(seed).standard_normal((n, gan.latent_dim)).astype("float32")
    inputs = z if labels is None else [z, np.asarray(labels, "int32").reshape(-1, 1)]
    return keras.ops.convert_to_numpy(gan.sampling_generator()(inputs, training=False))


def numpy_mode_scores(samples, mixture):
    """PacGAN scores, computed here independently of keras_gans.metrics."""
    centers, std = data.mixture_modes(mixture)
    distances = np.sqrt(((samples[:, None, :] - centers[None]) ** 2).sum(-1))
    good = distances.min(1) <= 3 * std
    captured = set(distances.argmin(1)[good].tolist())
    return len(captured), float(good.mean())


def assert_one_error_line(status, err, pattern):
    assert status != 0
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("keras-gans: error: ")
    assert re.search(pattern, lines[0]), lines[0]


# ------------------------------------------------------------------- list


def test_list(capsys):
    status, out, _ = run(capsys, "list")
    assert status == 0
    for name in presets.list_presets():
        assert name in out
    for variant in ("gan", "wgangp", "conditional_gan", "sngan"):
        assert variant in out
    status, out, _ = run(capsys, "list", "--json")
    listing = json.loads(out)
    assert sorted(listing["presets"]) == sorted(presets.list_presets())
    assert "ring" in listing["datasets"] and "fashion_mnist" in listing["datasets"]


# ---------------------------------------------- train, resume, sample, evaluate


def test_train_resume_sample_evaluate_export(tmp_path, capsys):
    out_dir = tmp_path / "run"
    common = ["--num-examples", 512, "--batch-size", 256, "--output", out_dir, "--verbose", 0]
    status, out, err = run(capsys, "train", "gan", "--dataset", "ring", "--epochs", 2, *common)
    assert status == 0, err
    state = json.loads((out_dir / "state.json").read_text())
    assert state["epochs_done"] == 2 and len(state["history"]) == 2
    assert sorted(os.listdir(out_dir / "samples")) == ["epoch_001.png", "epoch_002.png"]
    assert sorted(os.listdir(out_dir / "preset")) == [
        "config.json",
        "metadata.json",
        "model.weights.h5",
        "samples.png",
    ]
    card = json.loads((out_dir / "preset" / "metadata.json").read_text())
    assert card["recipe"]["variant"] == "GAN" and card["recipe"]["num_examples"] == 512
    assert card["commands"][0].startswith("keras-gans train gan --dataset ring --epochs 2")
    # The printed mode scores are those of the saved preset (2,500 samples, seed 0).
    preset = presets.from_preset(str(out_dir / "preset"))
    modes, quality = numpy_mode_scores(numpy_noise_samples(preset, 2500, 0), "ring")
    assert f"Mode scores (2500 samples): modes {modes}/8, high-quality samples {100 * quality:.1f}%" in out
    assert card["metrics"]["modes"] == modes

    status, _, err = run(capsys, "train", "gan", "--dataset", "ring", *common)
    assert_one_error_line(status, err, "already holds a run; pass --resume")

    status, out, err = run(capsys, "train", "--resume", "--epochs", 3, "--output", out_dir, "--verbose", 0)
    assert status == 0, err
    assert "epochs 3-3" in out
    state = json.loads((out_dir / "state.json").read_text())
    assert state["epochs_done"] == 3 and len(state["history"]) == 3
    checkpoint = keras.models.load_model(out_dir / "checkpoint.keras")
    # 2 steps per epoch: the resumed run continued the optimizer from step 4.
    assert int(keras.ops.convert_to_numpy(checkpoint.optimizer.iterations)) == 6
    assert len(json.loads((out_dir / "preset" / "metadata.json").read_text())["commands"]) == 2

    png = tmp_path / "ring.png"
    status, out, err = run(
        capsys, "sample", out_dir / "checkpoint.keras", "--output", png, "--num-samples", 16
    )
    assert status == 0, err
    expected = scatter_image(numpy_noise_samples(checkpoint, 16, 0))[..., 0]
    assert np.mean(np.asarray(Image.open(png)) == expected) > 0.995

    status, out, err = run(
        capsys, "evaluate", out_dir / "preset", "--dataset", "ring", "--num-samples", 500, "--json"
    )
    assert status == 0, err
    result = json.loads(out)
    resumed = presets.from_preset(str(out_dir / "preset"))
    modes, quality = numpy_mode_scores(numpy_noise_samples(resumed, 500, 0), "ring")
    assert result["results"]["modes"] == modes
    assert result["results"]["high_quality"] == pytest.approx(quality, abs=1e-3)
    assert result["results"]["fid"] >= 0 and result["protocol"]["extractor"] == "raw"

    status, out, err = run(capsys, "export", out_dir / "preset", tmp_path / "serving", "--version", 4)
    assert status == 0, err
    assert os.path.isfile(tmp_path / "serving" / "4" / "saved_model.pb")
    assert "serving_default(z float32 [None, 2]) -> images float32 [None, 2]" in out


def test_train_from_a_recipe_file_with_overrides(tmp_path, capsys):
    recipe = {
        "variant": "lsgan",
        "dataset": "grid",
        "latent_dim": 4,
        "generator": {"network": "mlp_generator", "args": {"hidden_units": [16]}},
        "discriminator": {"network": "mlp_discriminator", "args": {"hidden_units": [16]}},
        "num_examples": 256,
        "batch_size": 128,
        "epochs": 1,
    }
    path = tmp_path / "recipe.json"
    path.write_text(json.dumps(recipe))
    status, out, err = run(
        capsys,
        "train",
        path,
        "--output",
        tmp_path / "run",
        "--verbose",
        0,
        "--set",
        "variant_args.label_smoothing=0.1",
        "--sample-every",
        5,
    )
    assert status == 0, err
    saved = json.loads((tmp_path / "run" / "recipe.json").read_text())
    assert saved["variant_args"] == {"label_smoothing": 0.1} and saved["batch_size"] == 128
    model = presets.from_preset(str(tmp_path / "run" / "preset"))
    assert type(model).__name__ == "LSGAN" and model.latent_dim == 4 and model.label_smoothing == 0.1
    assert [layer.units for layer in model.generator.layers if hasattr(layer, "units")] == [16, 2]
    assert not os.listdir(tmp_path / "run" / "samples")  # 1 epoch < --sample-every 5


# ------------------------------------------------------------------ the zoo


def test_evaluate_reproduces_every_zoo_card(capsys):
    for name in presets.list_presets():
        card = presets.load_metadata(name)
        if "task" in card:
            _check_translation_card(capsys, name, card)
            continue
        recorded = min(card["evaluations"], key=lambda e: e["protocol"]["num_samples"])
        protocol = recorded["protocol"]
        argv = [
            "evaluate",
            name,
            "--dataset",
            protocol["dataset"],
            "--num-samples",
            protocol["num_samples"],
            "--seed",
            protocol["seed"],
            "--extractor",
            protocol["extractor"],
            "--json",
        ]
        if protocol.get("split"):
            argv += ["--split", protocol["split"]]
        status, out, err = run(capsys, *argv)
        assert status == 0, err
        measured = json.loads(out)
        assert measured["protocol"] == protocol
        for key, value in recorded["results"].items():
            if key in ("fid", "kid"):  # float noise across backends only
                assert measured["results"][key] == pytest.approx(value, rel=0.02, abs=1e-4), (name, key)


def _check_translation_card(capsys, name, card):
    # Image-to-image cards: the card's task is the default; translations are the same on every
    # backend up to float noise, except Pix2Pix's, whose dropout stays on when it translates (the
    # paper's noise source): its masks differ between backends, so its whole-test-split evaluation
    # is rerun (FID 0.98-1.01 over the three backends) rather than the 200-image one.
    stochastic = type(presets.from_preset(name)).__name__ == "Pix2Pix"
    pick = max if stochastic else min
    recorded = pick(card["evaluations"], key=lambda e: e["protocol"]["num_samples"])
    protocol = recorded["protocol"]
    argv = ["evaluate", name, "--num-samples", protocol["num_samples"], "--seed", protocol["seed"], "--json"]
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    measured = json.loads(out)
    assert measured["protocol"] == protocol
    assert measured["results"].keys() == recorded["results"].keys()
    for key, value in recorded["results"].items():
        tolerance = 0.05 if stochastic and "fid" in key else 0.02
        assert measured["results"][key] == pytest.approx(value, rel=tolerance, abs=1e-3), (name, key)


def test_evaluate_tells_samplers_from_translators(tmp_path, capsys):
    translator = "pix2pix_fashion_mnist_inpainting"
    cases = [
        (["gan_ring", "--task", "inpainting"], "--task is for image-to-image models; gan_ring is a GAN"),
        (["gan_ring"], "evaluate needs --dataset for a model that samples"),
        ([translator, "--dataset", "ring"], "image-to-image tasks are Fashion-MNIST tasks"),
        ([translator, "--task", "unpaired:sneaker:ankle_boot"], "needs a model that translates both ways"),
        ([translator, "--task", "colourize"], "Unknown task 'colourize'"),
        ([translator, "--split", "train"], "--split needs a --dataset"),
    ]
    saved = tmp_path / "pix2pix.keras"
    presets.from_preset(translator).save(saved)
    cases.append(([saved], "is an image-to-image model (Pix2Pix): pass --task"))
    for argv, message in cases:
        status, out, err = run(capsys, "evaluate", *argv)
        assert status != 0 and message in err, (argv, err)
        assert not out
    # The saved file with a task: its scores on the first 16 test images.
    status, out, err = run(capsys, "evaluate", saved, "--task", "inpainting", "--num-samples", 16, "--json")
    assert status == 0, err
    assert json.loads(out)["results"]["num_test_images"] == 16


def test_sample_a_conditional_zoo_preset(tmp_path, capsys):
    name = next(n for n in presets.list_presets() if presets.load_metadata(n).get("num_classes"))
    png = tmp_path / "class3.png"
    status, out, err = run(
        capsys, "sample", name, "--output", png, "--num-samples", 9, "--labels", "3", "--seed", 5
    )
    assert status == 0, err
    gan = presets.from_preset(name)
    expected = image_grid(numpy_noise_samples(gan, 9, 5, labels=np.full(9, 3)))[..., 0]
    picture = np.asarray(Image.open(png))
    assert picture.shape == (3 * 28 + 4 * 2, 3 * 28 + 4 * 2) == expected.shape
    assert np.abs(picture.astype(int) - expected).max() <= 1


# --------------------------------------------------------------- bad input


def test_bad_input_gives_one_error_line(tmp_path, capsys):
    garbage = tmp_path / "garbage.keras"
    garbage.write_bytes(b"this is not a zip file")
    bad_json = tmp_path / "bad.json"
    bad_json.write_text("{not json")
    empty = tmp_path / "empty"
    empty.mkdir()
    cases = [
        (["sample", "no_such_preset"], r"Unknown preset 'no_such_preset'.*Registered presets: .*gan_ring"),
        (
            ["train", "no_such_gan", "--dataset", "ring"],
            r"Unknown variant 'no_such_gan'. Known variants: .*wgangp",
        ),
        (
            ["train", "gan", "--dataset", "imagenet"],
            r"Unknown dataset 'imagenet'. Known datasets: ring, grid, .*Received: --dataset=imagenet",
        ),
        (["train", "gan"], r"'gan' is a variant name, not a recipe: pass --dataset"),
        (["train", bad_json], r"The recipe .*bad.json is corrupt or truncated: it is not valid JSON"),
        (["train", "--resume", "--output", empty], r"Nothing to resume in .*empty"),
        (["sample", garbage], r"Cannot read the model file .*garbage.keras': it is corrupt or truncated"),
        (["sample", tmp_path / "missing.keras"], r"The model file .*missing.keras' does not exist"),
        (["sample", RING_PRESET, "--labels", "1"], r"--labels needs a conditional model"),
        (
            ["evaluate", RING_PRESET, "--dataset", "fashion_mnist", "--num-samples", 10],
            r"generates samples of shape \(2,\), but fashion_mnist images are \(28, 28, 1\)",
        ),
        (["evaluate", RING_PRESET], r"evaluate needs --dataset for a model that samples"),
        (["export", RING_PRESET, tmp_path / "serving", "--uint8"], r"uint8=True needs image samples"),
        (["frobnicate"], r"invalid choice: 'frobnicate'"),
    ]
    for argv, pattern in cases:
        status, _, err = run(capsys, *argv)
        assert_one_error_line(status, err, pattern)


# --------------------------------------------------------------- subprocess


def test_python_dash_m_entry_point(tmp_path):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(keras_gans.__file__)))
    env["PYTHONPATH"] = os.pathsep.join([package_root, env.get("PYTHONPATH", "")])
    failing = subprocess.run(
        [sys.executable, "-m", "keras_gans", "evaluate", "no_such_preset", "--dataset", "ring"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
    )
    assert failing.returncode == 1
    assert failing.stdout == ""
    assert "Traceback" not in failing.stderr
    # TensorFlow may log its own start-up lines; ours is exactly one, the last.
    ours = [line for line in failing.stderr.splitlines() if line.startswith("keras-gans")]
    assert ours == [failing.stderr.strip().splitlines()[-1]]
    assert ours[0].startswith("keras-gans: error: Unknown preset 'no_such_preset'")


# ------------------------------------------------------- runs never lose files


def _tree_digest(folder):
    """{relative path: sha256} of every file under `folder`."""
    digest = {}
    for root, _, files in os.walk(folder):
        for name in files:
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                digest[os.path.relpath(path, folder)] = hashlib.sha256(f.read()).hexdigest()
    return digest


RING_QUICK = ["gan", "--dataset", "ring", "--num-examples", 256, "--batch-size", 128, "--verbose", 0]


def test_a_folder_that_is_not_a_run_is_never_replaced_without_overwrite(tmp_path, capsys):
    out_dir = tmp_path / "mine"
    (out_dir / "samples").mkdir(parents=True)
    (out_dir / "samples" / "holiday.png").write_bytes(b"the user's own picture")
    before = _tree_digest(out_dir)
    # Before: train deleted mine/samples/ without a word.
    status, _, err = run(capsys, "train", *RING_QUICK, "--epochs", 1, "--output", out_dir)
    assert_one_error_line(status, err, r"is not empty and holds no keras-gans run .*pass --overwrite")
    assert _tree_digest(out_dir) == before
    status, _, err = run(capsys, "train", *RING_QUICK, "--epochs", 1, "--output", out_dir, "--overwrite")
    assert status == 0, err
    assert not (out_dir / "samples" / "holiday.png").exists() and (out_dir / "checkpoint.keras").is_file()
    assert sorted(os.listdir(tmp_path)) == ["mine"]  # no temporary folder left


def test_overwrite_keeps_the_old_run_until_the_new_one_has_started(tmp_path, capsys):
    out_dir = tmp_path / "run"
    status, _, err = run(capsys, "train", *RING_QUICK, "--epochs", 1, "--output", out_dir)
    assert status == 0, err
    before = _tree_digest(out_dir)
    # The new run fails while its model is built: the old run must be intact.
    status, _, err = run(
        capsys,
        "train",
        *RING_QUICK,
        "--epochs",
        1,
        "--output",
        out_dir,
        "--overwrite",
        "--set",
        "variant_args.no_such_option=1",
    )
    assert_one_error_line(status, err, "no_such_option")
    assert _tree_digest(out_dir) == before
    assert sorted(os.listdir(tmp_path)) == ["run"]
    status, _, err = run(capsys, "train", *RING_QUICK, "--epochs", 1, "--output", out_dir, "--overwrite")
    assert status == 0, err
    assert json.loads((out_dir / "state.json").read_text())["epochs_done"] == 1
    assert sorted(os.listdir(tmp_path)) == ["run"]


def test_resume_errors_change_nothing(tmp_path, capsys):
    out_dir = tmp_path / "run"
    status, _, err = run(capsys, "train", *RING_QUICK, "--epochs", 2, "--output", out_dir)
    assert status == 0, err
    before = _tree_digest(out_dir)
    # Before: "epochs 3-2", exit 0, and a card rewritten as 2 epochs.
    for epochs in (2, 1):
        status, _, err = run(capsys, "train", "--resume", "--epochs", epochs, "--output", out_dir)
        assert_one_error_line(
            status,
            err,
            rf"has done 2 epochs already; .*pass --epochs 3 or more .*"
            rf"nothing was changed\). Received: --epochs={epochs}",
        )
    status, _, err = run(capsys, "train", "--resume", "--output", out_dir)  # the recipe's 2 epochs
    assert_one_error_line(status, err, "has done 2 epochs already")
    status, _, err = run(capsys, "train", "--resume", "--epochs", 3, "--batch-size", 64, "--output", out_dir)
    assert_one_error_line(status, err, "--batch-size cannot change when resuming")
    assert _tree_digest(out_dir) == before
    # A checkpoint cut short, a broken state file: named, and said to be corrupt.
    checkpoint = out_dir / "checkpoint.keras"
    checkpoint.write_bytes(checkpoint.read_bytes()[:2000])
    status, _, err = run(capsys, "train", "--resume", "--epochs", 3, "--output", out_dir)
    assert_one_error_line(
        status, err, r"Cannot read the checkpoint .*checkpoint.keras': it is corrupt or truncated"
    )
    (out_dir / "state.json").write_text('{"epochs_done": 2, "hist')
    status, _, err = run(capsys, "train", "--resume", "--epochs", 3, "--output", out_dir)
    assert_one_error_line(status, err, r"The run state .*state.json' is corrupt or truncated")


def test_every_option_is_checked_before_anything_is_written(tmp_path, capsys):
    out_dir = tmp_path / "never"
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    train = ["train", "gan", "--dataset", "ring", "--output", out_dir]
    cases = [
        # Before: rejected only after the run folder was written.
        (train + ["--sample-every", 0], r"argument --sample-every: must be an integer >= 1. Received: 0"),
        (train + ["--epochs", 0], r"argument --epochs: must be an integer >= 1. Received: 0"),
        (train + ["--epochs", "two"], r"argument --epochs: must be an integer >= 1. Received: two"),
        (train + ["--batch-size", -8], r"argument --batch-size: must be an integer >= 1. Received: -8"),
        (train + ["--num-examples", 0], r"argument --num-examples: must be an integer >= 1"),
        (train + ["--latent-dim", 0], r"argument --latent-dim: must be an integer >= 1"),
        (train + ["--seed", -1], r"argument --seed: must be an integer >= 0. Received: -1"),
        (train + ["--verbose", 3], r"argument --verbose: invalid choice: 3"),
        (
            train + ["--data-dir", tmp_path / "missing"],
            r"--data-dir must name an existing folder. Received: --data-dir=",
        ),
        (train + ["--set", "epochs"], r"--set takes KEY=VALUE. Received: --set=epochs"),
        (train + ["--set", "no_such_key=1"], r"Unknown recipe key 'no_such_key'.*from --set no_such_key"),
        (
            train + ["--set", "epochs=0"],
            r"The recipe's 'epochs' must be a positive integer. Received: epochs=0",
        ),
        (
            train + ["--resume", "--overwrite"],
            r"--resume continues the run in --output and --overwrite replaces it",
        ),
        (
            ["train", "gan", "--dataset", "ring", "--output", a_file],
            r"--output must name a folder; it is a file",
        ),
        (
            ["sample", RING_PRESET, "--num-samples", 0, "--output", out_dir / "x.png"],
            r"argument --num-samples: must be an integer >= 1. Received: 0",
        ),
        (
            ["sample", RING_PRESET, "--output", out_dir / "x.jpg"],
            r"--output must name a .png file. Received: --output=",
        ),
        (
            ["sample", RING_PRESET, "--labels", "1", "--output", out_dir / "x.png"],
            r"--labels needs a conditional model",
        ),
        (
            ["sample", "cgan_fashion_mnist", "--labels", "3,10", "--output", out_dir / "x.png"],
            r"--labels must be class indices in \[0, 9\]. Received: --labels=3,10",
        ),
        (
            ["evaluate", RING_PRESET, "--dataset", "ring", "--num-samples", 1],
            r"argument --num-samples: must be an integer >= 2. Received: 1",
        ),
        (
            ["evaluate", RING_PRESET, "--dataset", "imagenet"],
            r"argument --dataset: invalid choice: 'imagenet'",
        ),
        (
            ["evaluate", "dcgan_fashion_mnist", "--dataset", "fashion_mnist", "--split", "validation"],
            r"Unknown --split for fashion_mnist. Known splits: train, test. Received: --split=validation",
        ),
        (
            ["evaluate", RING_PRESET, "--dataset", "ring", "--image-size", 0],
            r"argument --image-size: must be an integer",
        ),
        (
            ["export", RING_PRESET, out_dir / "serving", "--version", 0],
            r"argument --version: must be an integer >= 1",
        ),
    ]
    for argv, pattern in cases:
        status, _, err = run(capsys, *argv)
        assert_one_error_line(status, err, pattern)
        assert not out_dir.exists(), argv


def test_a_nan_loss_stops_training_with_a_clear_error(tmp_path, capsys):
    sgd = {"class_name": "SGD", "config": {"learning_rate": 1e30}}
    recipe = {
        "variant": "gan",
        "dataset": "ring",
        "num_examples": 512,
        "batch_size": 64,
        "epochs": 3,
        "g_optimizer": sgd,
        "d_optimizer": sgd,
    }
    path = tmp_path / "diverging.json"
    path.write_text(json.dumps(recipe))
    status, _, err = run(capsys, "train", path, "--output", tmp_path / "run", "--verbose", 0)
    assert_one_error_line(
        status,
        err,
        r"Training stopped: Epoch 1 at batch \d+: [dg]_loss became (nan|inf)\. "
        r"Training diverged.*no epoch with finite losses was saved",
    )
    assert not (tmp_path / "run" / "checkpoint.keras").exists() and not (tmp_path / "run" / "preset").exists()


# ------------------------------------------- conditional variants on mixtures


def test_conditional_variants_train_on_the_mixture_modes(tmp_path, capsys):
    # Before: "The generator takes 1 input(s)" for conditional_gan/acgan on ring and grid.
    out_dir = tmp_path / "cgan"
    status, _, err = run(
        capsys,
        "train",
        "conditional_gan",
        "--dataset",
        "ring",
        "--epochs",
        5,
        "--num-examples",
        4096,
        "--output",
        out_dir,
        "--verbose",
        0,
    )
    assert status == 0, err
    gan = presets.from_preset(str(out_dir / "preset"))
    assert type(gan).__name__ == "ConditionalGAN" and gan.num_classes == 8
    centers, _ = data.mixture_modes("ring")
    for label in range(8):
        samples = numpy_noise_samples(gan, 200, label, labels=np.full(200, label))
        nearest = ((samples[:, None] - centers[None]) ** 2).sum(-1).argmin(1)
        assert np.mean(nearest == label) > 0.9, label  # an untrained generator: about 1/8
    card = json.loads((out_dir / "preset" / "metadata.json").read_text())
    assert card["data"]["labels"] == "mode index of each point"
    status, _, err = run(
        capsys,
        "train",
        "acgan",
        "--dataset",
        "grid",
        "--epochs",
        1,
        "--num-examples",
        512,
        "--output",
        tmp_path / "acgan",
        "--verbose",
        0,
    )
    assert status == 0, err
    acgan = presets.from_preset(str(tmp_path / "acgan" / "preset"))
    assert type(acgan).__name__ == "ACGAN" and acgan.num_classes == 25 and acgan.image_shape == (2,)


# ------------------------------------------------------- across backends


def _cli_subprocess(backend, argv, cwd):
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    package_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(cli.__file__))))
    env["PYTHONPATH"] = os.pathsep.join([package_root, env.get("PYTHONPATH", "")])
    return subprocess.run(
        [sys.executable, "-m", "keras_gans"] + [str(a) for a in argv],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
    )


def test_a_checkpoint_from_another_backend_resumes_here(tmp_path, capsys):
    # Before: a torch checkpoint's compile config named
    # keras.src.backend.torch.optimizers.torch_adam, which TF and JAX cannot load.
    # The run is trained under torch in a subprocess (under TensorFlow when this test
    # runs under torch) and resumed here: across CI's three runs, torch -> TF,
    # torch -> JAX and TF -> torch.
    source = "tensorflow" if keras.backend.backend() == "torch" else "torch"
    out_dir = tmp_path / f"{source}_run"
    result = _cli_subprocess(source, ["train", *RING_QUICK, "--epochs", 1, "--output", out_dir], tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    card = json.loads((out_dir / "preset" / "metadata.json").read_text())
    assert card["training"]["backend"] == source
    status, _, err = run(capsys, "train", "--resume", "--epochs", 2, "--output", out_dir, "--verbose", 0)
    assert status == 0, err
    assert json.loads((out_dir / "state.json").read_text())["epochs_done"] == 2
    card = json.loads((out_dir / "preset" / "metadata.json").read_text())
    assert card["training"]["backend"] == keras.backend.backend() and len(card["commands"]) == 2
    checkpoint = keras.models.load_model(out_dir / "checkpoint.keras")
    assert (
        int(keras.ops.convert_to_numpy(checkpoint.optimizer.iterations)) == 4
    )  # 2 steps per epoch, continued
