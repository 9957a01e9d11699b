"""`write_report` on real runs: a `keras-gans train` run on the ring and a
`fit` run on Fashion-MNIST with `training_callbacks`, checked in the HTML and
in a headless Chromium screenshot (Debian's `chromium`)."""

import base64
import html
import json
import os
import re
import warnings
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import keras
import numpy as np
import pytest
from rendered_page import dark_tiles
from rendered_page import pixels_of_color
from rendered_page import screenshot

from keras_gans import cli
from keras_gans import data
from keras_gans import networks
from keras_gans.callbacks import FailureMonitor
from keras_gans.callbacks import TrainingFailureWarning
from keras_gans.callbacks import training_callbacks
from keras_gans.models import GAN
from keras_gans.report import read_event_files
from keras_gans.report import write_report
from keras_gans.report.svg_chart import PALETTE

SVG = "{http://www.w3.org/2000/svg}"


def charts(page):
    """`{title: {series name: (n, 2) pixel points}}` of the page's SVG charts."""
    found = {}
    for svg in re.findall(r"<svg .*?</svg>", page, flags=re.S):
        root = ElementTree.fromstring(svg)
        title = root.find(f"{SVG}text").text or ""
        series = {}
        for group in root.iter(f"{SVG}g"):
            points = [
                [float(c) for c in p.split(",")]
                for line in group.iter(f"{SVG}polyline")
                for p in line.get("points").split()
            ]
            series[group.get("data-name")] = np.array(points)
        found[title] = series
    return found


def assert_affine(values, pixels, increasing):
    design = np.stack([np.asarray(values, float), np.ones(len(values))], axis=1)
    solution = np.linalg.lstsq(design, pixels, rcond=None)[0]
    assert np.abs(pixels - design @ solution).max() <= 0.06
    assert (solution[0] > 0) == increasing


def embedded_pngs(page):
    return [base64.b64decode(s) for s in re.findall(r'src="data:image/png;base64,([^"]+)"', page)]


@pytest.fixture(scope="module")
def ring_cli_run(tmp_path_factory):
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
    keras.utils.set_random_seed(0)
    run_dir = tmp_path_factory.mktemp("fashion") / "run"
    images = data.load_numpy("fashion_mnist", "train", num_examples=256)
    real = data.load_numpy("fashion_mnist", "test", num_examples=200)
    gan = GAN(
        generator=networks.dcgan_generator(latent_dim=16, image_shape=(28, 28, 1), filters=8),
        discriminator=networks.dcgan_discriminator(image_shape=(28, 28, 1), filters=8),
        latent_dim=16,
        seed=0,
    )
    gan.compile(
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
    )
    # A ceiling of 0 makes every epoch a "discriminator_unstable" diagnosis.
    monitor = FailureMonitor(real_data=real, d_loss_ceiling=0.0, num_samples=64)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TrainingFailureWarning)
        history = gan.fit(
            images,
            batch_size=64,
            epochs=3,
            verbose=0,
            callbacks=training_callbacks(
                run_dir,
                real_data=real,
                metrics_every=1,
                metrics_num_samples=100,
                failure_monitor=monitor,
            ),
        ).history
    return run_dir, history, monitor.failures


def test_report_of_a_cli_ring_run(ring_cli_run):
    path = write_report(ring_cli_run)
    assert path == os.path.join(ring_cli_run, "report.html")
    page = Path(path).read_text()
    state = json.loads((ring_cli_run / "state.json").read_text())
    card = json.loads((ring_cli_run / "preset" / "metadata.json").read_text())
    # Self-contained: no file or network references, pictures embedded.
    assert not re.search(r'(src|href)="(?!data:)', page) and "<link" not in page
    assert embedded_pngs(page) == [
        (ring_cli_run / "samples" / f"epoch_{e:03d}.png").read_bytes() for e in (1, 2, 3)
    ]
    assert "<h1>Run report: gan_ring</h1>" in page
    losses = charts(page)["Losses (epoch means)"]
    assert set(losses) == {"d_loss", "g_loss"}
    pooled_values, pooled_y = [], []
    for name, points in losses.items():
        values = [row[name] for row in state["history"]]
        assert len(points) == 3
        assert_affine([1, 2, 3], points[:, 0], increasing=True)
        pooled_values += values
        pooled_y += list(points[:, 1])
    assert_affine(pooled_values, np.array(pooled_y), increasing=False)
    backend = card["training"]["backend"]
    assert f"<tr><td>training.backend</td><td>{backend}</td></tr>" in page
    assert f"<tr><td>metrics.modes</td><td>{card['metrics']['modes']}</td></tr>" in page


def test_report_from_event_files_with_failures(fashion_run):
    run_dir, history, failures = fashion_run
    assert not (run_dir / "state.json").exists()  # a plain fit run: events only
    page = Path(write_report(run_dir)).read_text()
    found = charts(page)
    for name, points in found["Losses (epoch means)"].items():
        assert_affine(history[name], points[:, 1], increasing=False)
    for key in ("fid", "kid", "diversity_ratio"):
        (points,) = found[f"{key} per epoch"].values()
        assert_affine(history[key], points[:, 1], increasing=False)
    assert "kid_std per epoch" not in found  # shown as the ± of kid instead
    assert re.search(r"<td>kid</td><td>[0-9.e-]+ ± [0-9.e-]+</td>", page)
    steps = found["Losses per training step"]
    assert set(steps) == {"d_loss", "g_loss"} and len(steps["d_loss"]) == 12  # 3 x 4 steps
    assert set(found["Learning rates"]) == {"discriminator", "generator"}
    # The failure table lists the monitor's diagnoses, in order.
    rows = re.findall(r"<tr><td>(\d+)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", page)
    assert [(int(e), k, html.unescape(m)) for e, k, m in rows] == [
        (f["epoch"], f["kind"], f["message"]) for f in failures
    ]
    assert {f["kind"] for f in failures} >= {"discriminator_unstable"}
    assert "No model card" in page
    # At most two pictures: the first and the last epoch.
    few = Path(write_report(run_dir, output=run_dir / "few.html", max_sample_grids=2)).read_text()
    assert embedded_pngs(few) == [(run_dir / "samples" / f"epoch_{e:03d}.png").read_bytes() for e in (1, 3)]


def test_reports_render_in_headless_chromium(ring_cli_run, fashion_run, tmp_path):
    fashion_dir = fashion_run[0]
    for run_dir, has_dark_pictures in ((ring_cli_run, False), (fashion_dir, True)):
        picture = screenshot(write_report(run_dir), tmp_path / f"{run_dir.parent.name}.png")
        assert picture.shape == (2000, 1200, 3)
        # The curves are drawn: many pixels of the first two series' colours.
        for color in PALETTE[:2]:
            assert pixels_of_color(picture, color) > 300, (run_dir, color)
        # The Fashion-MNIST sample grids (dark backgrounds) are shown.
        if has_dark_pictures:
            assert dark_tiles(picture) > 40  # three 200-pixel pictures: ~75 tiles
    blank = tmp_path / "blank.html"
    blank.write_text("<!DOCTYPE html><html><body>text only</body></html>")
    picture = screenshot(blank, tmp_path / "blank.png")
    assert pixels_of_color(picture, PALETTE[0]) == 0 and dark_tiles(picture) == 0


def test_bad_run_folders(tmp_path):
    with pytest.raises(ValueError, match="does not exist"):
        write_report(tmp_path / "missing")
    with pytest.raises(ValueError, match="holds no run"):
        write_report(tmp_path)
    (tmp_path / "state.json").write_text("{not json")
    with pytest.raises(ValueError, match="state.json is not valid JSON"):
        write_report(tmp_path)
    with pytest.raises(ValueError, match="max_sample_grids"):
        write_report(tmp_path, max_sample_grids=0)


def test_read_event_files_of_another_writer(tmp_path):
    """TF1-style simple values written by TensorBoard's own writer; a step
    written twice (a resumed run) keeps the later value."""
    from tensorboard.compat.proto import event_pb2
    from tensorboard.compat.proto import summary_pb2
    from tensorboard.summary.writer.event_file_writer import EventFileWriter

    for wall_time, steps_values in ((100.0, [(1, 0.5), (2, 0.25)]), (200.0, [(2, 0.75), (3, 1.0)])):
        writer = EventFileWriter(str(tmp_path), filename_suffix=f".{int(wall_time)}")
        for step, value in steps_values:
            summary = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag="loss", simple_value=value)])
            writer.add_event(event_pb2.Event(wall_time=wall_time + step, step=step, summary=summary))
        writer.close()
    scalars, texts = read_event_files(tmp_path)
    assert scalars == {"loss": [(1, 0.5), (2, 0.75), (3, 1.0)]} and texts == {}
