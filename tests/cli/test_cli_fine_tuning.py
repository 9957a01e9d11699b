"""Fine-tuning from the command line (issue 14 item 4): `keras-gans train
--from-preset NAME` starts from the preset's weights and trains with its
recipe's optimizers; `--freeze-discriminator-layers K` (FreezeD) keeps the
first K weighted discriminator layers fixed, through a resume too."""

import json
import re

import keras
import numpy as np
from PIL import Image

from keras_gans import cli
from keras_gans import presets
from keras_gans.callbacks import scatter_image

PRESET = "gan_ring"  # discriminator: Dense hidden_1, hidden_2, hidden_3, logits


def run(capsys, *argv):
    status = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def weights_of(network):
    return {layer.name: [keras.ops.convert_to_numpy(w) for w in layer.weights] for layer in network.layers}


def same(a, b):
    return len(a) == len(b) and all(np.array_equal(x, y) for x, y in zip(a, b))


def test_fine_tuning_starts_from_the_preset_and_frozen_layers_stay(tmp_path, capsys):
    preset = presets.from_preset(PRESET)
    out_dir = tmp_path / "run"
    status, out, err = run(
        capsys,
        "train",
        "--from-preset",
        PRESET,
        "--dataset",
        "ring",
        "--epochs",
        2,
        "--num-examples",
        1024,
        "--freeze-discriminator-layers",
        2,
        "--output",
        out_dir,
        "--verbose",
        0,
    )
    assert status == 0, err
    # Before the first step: the preset's own samples from the run's fixed noise.
    before = np.asarray(Image.open(out_dir / "samples" / "epoch_000.png"))
    expected = scatter_image(keras.ops.convert_to_numpy(preset.generate(64, seed=0)))[..., 0]
    np.testing.assert_array_equal(before, expected)
    after = np.asarray(Image.open(out_dir / "samples" / "epoch_002.png"))
    assert np.mean(after != before) > 0.001  # then the generator trained

    tuned = keras.models.load_model(out_dir / "checkpoint.keras")
    start, end = weights_of(preset.discriminator), weights_of(tuned.discriminator)
    for name in ("hidden_1", "hidden_2"):
        assert same(end[name], start[name]), name
        assert tuned.discriminator.get_layer(name).trainable is False
    for name in ("hidden_3", "logits"):
        assert not same(end[name], start[name]), name
    assert not all(
        same(a, b)
        for a, b in zip(weights_of(tuned.generator).values(), weights_of(preset.generator).values())
    )
    # The recipe's optimizers; the discriminator's updates skip the frozen kernels and biases.
    assert float(keras.ops.convert_to_numpy(tuned.d_optimizer.learning_rate)) == np.float32(1e-3)
    assert len(tuned.discriminator.trainable_variables) == 4
    state = json.loads((out_dir / "state.json").read_text())
    record = {"preset": PRESET, "frozen_discriminator_layers": ["hidden_1", "hidden_2"]}
    assert state["fine_tuning"] == record
    card = json.loads((out_dir / "preset" / "metadata.json").read_text())
    assert card["fine_tuning"] == record and card["name"] == "gan_ring_fine_tuned"
    assert "Training GAN on ring: epochs 1-2" in out

    # A resumed fine-tuning run keeps the layers frozen (saved in the checkpoint).
    status, _, err = run(capsys, "train", "--resume", "--epochs", 3, "--output", out_dir, "--verbose", 0)
    assert status == 0, err
    resumed = keras.models.load_model(out_dir / "checkpoint.keras")
    end = weights_of(resumed.discriminator)
    assert same(end["hidden_1"], start["hidden_1"]) and same(end["hidden_2"], start["hidden_2"])
    assert json.loads((out_dir / "state.json").read_text())["fine_tuning"] == record
    np.testing.assert_array_equal(np.asarray(Image.open(out_dir / "samples" / "epoch_000.png")), before)


def test_freeze_discriminator_layers_in_python():
    gan = presets.from_preset(PRESET)
    assert [layer.name for layer in cli.weighted_layers(gan.discriminator)] == [
        "hidden_1",
        "hidden_2",
        "hidden_3",
        "logits",
    ]
    assert cli.freeze_discriminator_layers(gan, 3) == ["hidden_1", "hidden_2", "hidden_3"]
    gan.compile()
    assert [v.path for v in gan.discriminator.trainable_variables] == [
        v.path for v in gan.discriminator.get_layer("logits").weights
    ]


def test_fine_tuning_options_are_checked_before_anything_is_written(tmp_path, capsys):
    out_dir = tmp_path / "never"
    fine = ["train", "--from-preset", PRESET, "--output", out_dir]
    cases = [
        (
            ["train", "gan", "--dataset", "ring", "--freeze-discriminator-layers", 1, "--output", out_dir],
            r"--freeze-discriminator-layers freezes layers of a pretrained discriminator: it needs",
        ),
        (
            fine + ["--freeze-discriminator-layers", 4],
            r"has 4 layers with weights \(hidden_1, hidden_2, hidden_3, logits\); freeze between 1 and 3",
        ),
        (
            fine + ["--freeze-discriminator-layers", 0],
            r"argument --freeze-discriminator-layers: must be an integer",
        ),
        (["train", "gan", "--from-preset", PRESET, "--output", out_dir], r"pass it instead of TARGET"),
        (
            fine + ["--dataset", "fashion_mnist"],
            r"The preset 'gan_ring' makes samples of shape \(2,\), but fashion_mnist gives \(28, 28, 1\)",
        ),
        (
            fine + ["--set", "generator.args.hidden_units=[8]"],
            r"--set generator.args.hidden_units=... would change",
        ),
        (fine + ["--latent-dim", 4], r"--latent-dim cannot change a preset's model"),
        (
            ["train", "--from-preset", "no_such_preset", "--output", out_dir],
            r"Unknown preset 'no_such_preset'.*Received: --from-preset=no_such_preset",
        ),
    ]
    for argv, pattern in cases:
        status, _, err = run(capsys, *argv)
        assert status != 0 and "Traceback" not in err
        lines = err.strip().splitlines()
        assert len(lines) == 1 and re.search(pattern, lines[0]), err
        assert not out_dir.exists(), argv
