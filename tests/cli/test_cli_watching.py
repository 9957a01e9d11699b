"""Issue 20's acceptance: 3-epoch `keras-gans train` runs on the ring and on a
few Fashion-MNIST images write TensorBoard event files whose scalars (read
back with TensorBoard's own `EventAccumulator`) equal the run's logged values,
and a `report.html` that renders in headless Chromium; `keras-gans report`."""

import io
import json
import re

import numpy as np
import pytest
from PIL import Image
from rendered_page import dark_tiles
from rendered_page import pixels_of_color
from rendered_page import screenshot
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.util import tensor_util

from keras_gans import cli

RING_STEPS = 8  # 2,048 points in batches of 256
FASHION_STEPS = 4  # 256 images in batches of 64
# The report's first two series colours (keras_gans.report.svg_chart.PALETTE), checked there.
SERIES_COLORS = ("#1f77b4", "#d62728")


def run(capsys, *argv):
    status = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def read_events(log_dir):
    """`{tag: ([steps], [values])}` of every tensor summary, with TensorBoard's reader."""
    accumulator = event_accumulator.EventAccumulator(
        str(log_dir), size_guidance={event_accumulator.TENSORS: 0}
    )
    accumulator.Reload()
    found = {}
    for tag in accumulator.Tags()["tensors"]:
        events = accumulator.Tensors(tag)
        found[tag] = (
            accumulator.SummaryMetadata(tag).plugin_data.plugin_name,
            [e.step for e in events],
            [tensor_util.make_ndarray(e.tensor_proto) for e in events],
        )
    return found


def scalar(events, tag):
    plugin, steps, values = events[tag]
    assert plugin == "scalars", tag
    return steps, np.array([float(v) for v in values])


def check_event_files(run_dir, steps_per_epoch, metrics_epochs, learning_rate):
    """The event files against the run's own record of its logs (state.json)."""
    history = json.loads((run_dir / "state.json").read_text())["history"]
    assert len(history) == 3
    events = read_events(run_dir / "tensorboard")
    # Every epoch log value (losses, fid/kid at the evaluated epochs, the
    # monitor's diversity ratio) is an epoch/ scalar at its 1-based epoch.
    for key in ("d_loss", "g_loss", "fid", "kid", "kid_std", "diversity_ratio"):
        logged = [(epoch, row[key]) for epoch, row in enumerate(history, 1) if key in row]
        assert [e for e, _ in logged] == (metrics_epochs if key.startswith(("fid", "kid")) else [1, 2, 3])
        steps, values = scalar(events, f"epoch/{key}")
        assert steps == [e for e, _ in logged], key
        np.testing.assert_allclose(values, [v for _, v in logged], rtol=1e-6, err_msg=key)
    # The step/ values are each step's own loss: over an epoch they average to its log.
    for key in ("d_loss", "g_loss"):
        steps, values = scalar(events, f"step/{key}")
        assert steps == list(range(1, 3 * steps_per_epoch + 1))
        epoch_means = values.reshape(3, steps_per_epoch).mean(1)
        np.testing.assert_allclose(epoch_means, [row[key] for row in history], rtol=1e-5, atol=1e-6)
        assert np.ptp(values) > 0  # not one value repeated
    for role in ("generator", "discriminator"):
        steps, values = scalar(events, f"learning_rate/{role}")
        assert steps == [1, 2, 3]
        np.testing.assert_allclose(values, learning_rate, rtol=1e-6)
    # Diagnoses: a count per epoch, a text line for each; in 3 epochs the only
    # check that can fire is mode collapse, exactly when the logged diversity
    # ratio is below the monitor's 0.2.
    steps, counts = scalar(events, "failure_monitor/failures")
    assert steps == [1, 2, 3]
    texts = {}
    if "failure_monitor/events" in events:
        plugin, text_steps, text_values = events["failure_monitor/events"]
        assert plugin == "text"
        texts = {s: v.reshape(-1)[0].decode().splitlines() for s, v in zip(text_steps, text_values)}
    for epoch, row in enumerate(history, 1):
        lines = texts.get(epoch, [])
        assert counts[epoch - 1] == len(lines)
        collapsed = row["diversity_ratio"] < 0.2
        assert [line.startswith("- **mode_collapse**") for line in lines] == ([True] if collapsed else [])
    # The sample pictures: the same PNGs as samples/epoch_NNN.png.
    plugin, steps, values = events["samples"]
    assert plugin == "images" and steps == [1, 2, 3]
    for step, value in zip(steps, values):
        picture = np.asarray(Image.open(io.BytesIO(value[2])))
        on_disk = np.asarray(Image.open(run_dir / "samples" / f"epoch_{step:03d}.png"))
        np.testing.assert_array_equal(picture.reshape(on_disk.shape), on_disk)
    return history


@pytest.fixture(scope="module")
def ring_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("ring") / "run"
    status = cli.main(
        [
            "train",
            "gan",
            "--dataset",
            "ring",
            "--epochs",
            "3",
            "--num-examples",
            "2048",
            "--batch-size",
            "256",
            "--metrics-every",
            "1",
            "--metrics-num-samples",
            "200",
            "--verbose",
            "0",
            "--output",
            str(run_dir),
        ]
    )
    assert status == 0
    return run_dir


@pytest.fixture(scope="module")
def fashion_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("fashion") / "run"
    small = json.dumps({"network": "dcgan_generator", "args": {"filters": 8}})
    small_d = json.dumps({"network": "dcgan_discriminator", "args": {"filters": 8}})
    status = cli.main(
        [
            "train",
            "gan",
            "--dataset",
            "fashion_mnist",
            "--epochs",
            "3",
            "--num-examples",
            "256",
            "--batch-size",
            "64",
            "--latent-dim",
            "16",
            "--set",
            f"generator={small}",
            "--set",
            f"discriminator={small_d}",
            "--metrics-every",
            "3",
            "--metrics-num-samples",
            "100",
            "--verbose",
            "0",
            "--output",
            str(run_dir),
        ]
    )
    assert status == 0
    return run_dir


def test_a_ring_run_logs_its_values_to_tensorboard(ring_run):
    history = check_event_files(ring_run, RING_STEPS, metrics_epochs=[1, 2, 3], learning_rate=1e-3)
    assert all(row["fid"] >= 0 for row in history)


def test_a_fashion_mnist_run_logs_its_values_to_tensorboard(fashion_run):
    # The variant's default optimizers: Adam(2e-4, beta_1=0.5) for both networks.
    check_event_files(fashion_run, FASHION_STEPS, metrics_epochs=[3], learning_rate=2e-4)
    recipe = json.loads((fashion_run / "recipe.json").read_text())
    assert recipe["generator"] == {"network": "dcgan_generator", "args": {"filters": 8}}


def test_the_reports_of_both_runs_render_in_headless_chromium(ring_run, fashion_run, tmp_path):
    for run_dir, has_dark_pictures in ((ring_run, False), (fashion_run, True)):
        page = (run_dir / "report.html").read_text()  # written by train itself
        card = json.loads((run_dir / "preset" / "metadata.json").read_text())
        assert f"<h1>Run report: {card['name']}</h1>" in page
        assert page.count('src="data:image/png;base64,') == 3  # the three epochs' pictures
        failures = len(re.findall(r"<tr><td>\d+</td><td>mode_collapse</td>", page))
        if failures == 0:
            assert "No failure diagnosed" in page
        assert failures == sum(
            row["diversity_ratio"] < 0.2
            for row in json.loads((run_dir / "state.json").read_text())["history"]
        )
        picture = screenshot(run_dir / "report.html", tmp_path / f"{run_dir.parent.name}.png")
        assert picture.shape == (2000, 1200, 3)
        for color in SERIES_COLORS:  # the curves are drawn
            assert pixels_of_color(picture, color) > 300, (run_dir, color)
        if has_dark_pictures:
            assert dark_tiles(picture) > 40  # three 200-pixel sample grids: ~75 tiles
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body>text only</body></html>")
    picture = screenshot(blank, tmp_path / "blank.png")
    assert pixels_of_color(picture, SERIES_COLORS[0]) == 0 and dark_tiles(picture) == 0


def test_the_report_subcommand(ring_run, tmp_path, capsys):
    few = tmp_path / "few.html"
    status, out, err = run(capsys, "report", ring_run, "--output", few, "--max-sample-grids", 2)
    assert status == 0, err
    assert out.strip() == f"Wrote {few}"
    page = few.read_text()
    assert re.findall(r"<figcaption>([^<]*)</figcaption>", page) == ["epoch 1", "epoch 3"]
    status, out, err = run(capsys, "report", ring_run)
    assert status == 0 and out.strip() == f"Wrote {ring_run / 'report.html'}"
    empty = tmp_path / "empty"
    empty.mkdir()
    for argv, pattern in (
        (["report", tmp_path / "missing"], r"The run folder .*missing' does not exist"),
        (["report", empty], r"holds no run"),
        (["report", ring_run, "--max-sample-grids", 0], r"argument --max-sample-grids: must be an integer"),
        (["report", ring_run, "--output", empty], r"--output must name a file; it is a folder"),
    ):
        status, _, err = run(capsys, *argv)
        assert status != 0 and "Traceback" not in err
        assert re.search(pattern, err.strip().splitlines()[-1]), err
