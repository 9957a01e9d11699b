"""TensorBoardLogger and training_callbacks: event files read back with
TensorBoard's own reader and checked against the run's logs.

The `step/` scalars are checked against the batch logs Keras hands to
callbacks, which are running means since the epoch began: the mean of the
step values over the first k steps of an epoch must equal the k-th batch log,
and their mean over the epoch the epoch's History value.
"""

import os

import keras
import numpy as np
import pytest
from PIL import Image
from tensorboard.backend.event_processing import event_accumulator
from tensorboard.util import tensor_util

from keras_gans import data
from keras_gans import networks
from keras_gans.callbacks import FailureMonitor
from keras_gans.callbacks import TensorBoardLogger
from keras_gans.callbacks import training_callbacks
from keras_gans.models import GAN
from keras_gans.models import WGANGP

RING_POINTS = 2048
RING_BATCH = 256
RING_STEPS = RING_POINTS // RING_BATCH  # 8 steps per epoch


def read_events(log_dir):
    """`{tag: (plugin name, [steps], [values])}` read with TensorBoard's reader."""
    accumulator = event_accumulator.EventAccumulator(
        str(log_dir), size_guidance={event_accumulator.TENSORS: 0}
    )
    accumulator.Reload()
    found = {}
    for tag in accumulator.Tags()["tensors"]:
        events = accumulator.Tensors(tag)
        values = [tensor_util.make_ndarray(e.tensor_proto) for e in events]
        plugin = accumulator.SummaryMetadata(tag).plugin_data.plugin_name
        found[tag] = (plugin, [e.step for e in events], values)
    found["descriptions"] = {
        tag: accumulator.SummaryMetadata(tag).summary_description for tag in accumulator.Tags()["tensors"]
    }
    return found


def scalars(events, tag):
    plugin, steps, values = events[tag]
    assert plugin == "scalars", tag
    return steps, np.array([float(v) for v in values])


class BatchLogRecorder(keras.callbacks.Callback):
    """The batch logs of each epoch, as Keras passes them to callbacks."""

    def __init__(self):
        super().__init__()
        self.epochs = []

    def on_epoch_begin(self, epoch, logs=None):
        self.epochs.append([])

    def on_train_batch_end(self, batch, logs=None):
        self.epochs[-1].append({k: float(v) for k, v in logs.items()})


def ring_gan(g_learning_rate=1e-3, **kwargs):
    gan = GAN(
        generator=networks.mlp_generator(latent_dim=2, output_dim=2, hidden_units=(32, 32)),
        discriminator=networks.mlp_discriminator(input_dim=2, hidden_units=(32, 32)),
        latent_dim=2,
        seed=0,
        **kwargs,
    )
    gan.compile(
        g_optimizer=keras.optimizers.Adam(g_learning_rate, beta_1=0.5),
        d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
    )
    return gan


def check_step_scalars(events, recorder, history, names, steps_per_epoch, first_step=1):
    """Step scalars agree with the batch logs (running means) and History."""
    for name in names:
        steps, values = scalars(events, f"step/{name}")
        num_epochs = len(recorder.epochs)
        assert steps == list(range(first_step, first_step + num_epochs * steps_per_epoch)), name
        for epoch, batches in enumerate(recorder.epochs):
            in_epoch = values[epoch * steps_per_epoch : (epoch + 1) * steps_per_epoch]
            running_means = np.cumsum(in_epoch) / np.arange(1, steps_per_epoch + 1)
            logged = np.array([b[name] for b in batches])
            np.testing.assert_allclose(running_means, logged, rtol=1e-4, atol=1e-5, err_msg=name)
            np.testing.assert_allclose(in_epoch.mean(), history[name][epoch], rtol=1e-4, atol=1e-5)
        # Step values are not the running means: they move more.
        assert np.std(values) > 0


def test_ring_run_writes_logged_values(tmp_path):
    points = data.mixture("ring", RING_POINTS, seed=0)
    schedule = keras.optimizers.schedules.ExponentialDecay(1e-3, decay_steps=10, decay_rate=0.5)
    gan = ring_gan(g_learning_rate=schedule)
    recorder = BatchLogRecorder()
    callbacks = training_callbacks(
        tmp_path,
        real_data=points,
        metrics_every=1,
        metrics_num_samples=300,
        extractor="raw",
        num_samples=100,
    )
    assert [type(c).__name__ for c in callbacks] == [
        "SampleGrid",
        "MetricsEvaluator",
        "FailureMonitor",
        "TensorBoardLogger",
    ]
    history = gan.fit(
        points, batch_size=RING_BATCH, epochs=3, verbose=0, callbacks=callbacks + [recorder]
    ).history
    events = read_events(tmp_path / "tensorboard")

    epoch_keys = set(history)
    assert epoch_keys == {"d_loss", "g_loss", "fid", "kid", "kid_std", "diversity_ratio"}
    descriptions = events.pop("descriptions")
    assert "x: global step" in descriptions["step/d_loss"]
    assert "History" in descriptions["epoch/fid"]
    assert set(events) == (
        {f"epoch/{k}" for k in epoch_keys}
        | {"step/d_loss", "step/g_loss", "samples", "failure_monitor/failures"}
        | {"learning_rate/generator", "learning_rate/discriminator"}
    )
    for key in epoch_keys:
        steps, values = scalars(events, f"epoch/{key}")
        assert steps == [1, 2, 3]
        np.testing.assert_allclose(values, history[key], rtol=1e-6, atol=1e-12, err_msg=key)
    check_step_scalars(events, recorder, history, ("d_loss", "g_loss"), RING_STEPS)

    # Learning rates at the end of epoch e: the schedule after 8 e generator
    # updates (one per step), computed here; the constant rate as set.
    steps, rates = scalars(events, "learning_rate/generator")
    expected = [1e-3 * 0.5 ** (RING_STEPS * e / 10) for e in (1, 2, 3)]
    np.testing.assert_allclose(rates, expected, rtol=1e-6)
    np.testing.assert_allclose(scalars(events, "learning_rate/discriminator")[1], 1e-3, rtol=1e-6)

    monitor = callbacks[2]
    expected_failures = [sum(f["epoch"] == e for f in monitor.failures) for e in (1, 2, 3)]
    np.testing.assert_array_equal(scalars(events, "failure_monitor/failures")[1], expected_failures)

    # The scatter plot of each epoch: the PNG of the run folder, in the image
    # plugin's layout (width, height, PNG bytes).
    plugin, steps, pictures = events["samples"]
    assert plugin == "images" and steps == [1, 2, 3]
    import tensorflow as tf

    for step, picture in zip(steps, pictures):
        width, height, png = picture
        saved = np.asarray(Image.open(tmp_path / "samples" / f"epoch_{step:03d}.png"))
        assert (int(width), int(height)) == (saved.shape[1], saved.shape[0])
        np.testing.assert_array_equal(tf.io.decode_png(png).numpy()[..., 0], saved)
        assert (saved == 0).sum() > 50  # the dots of the 100 points


def test_fashion_mnist_wgan_gp_run_with_n_critic(tmp_path):
    images = data.load_numpy("fashion_mnist", "train", num_examples=256)
    real = data.load_numpy("fashion_mnist", "test", num_examples=200)
    gan = WGANGP(
        generator=networks.dcgan_generator(latent_dim=16, image_shape=(28, 28, 1), filters=8),
        discriminator=networks.dcgan_discriminator(image_shape=(28, 28, 1), filters=8, normalization="layer"),
        latent_dim=16,
        n_critic=2,
        seed=0,
    )
    gan.compile(
        g_optimizer=keras.optimizers.Adam(1e-4, beta_1=0.5, beta_2=0.9),
        d_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5, beta_2=0.9),
    )
    recorder = BatchLogRecorder()
    callbacks = training_callbacks(
        tmp_path,
        real_data=real,
        metrics_every=3,
        metrics_num_samples=100,
        extractor="domain",
        num_samples=16,
    )
    history = gan.fit(images, batch_size=64, epochs=3, verbose=0, callbacks=callbacks + [recorder]).history
    steps_per_epoch = len(recorder.epochs[0])
    assert steps_per_epoch >= 2
    events = read_events(tmp_path / "tensorboard")
    assert {"fid", "kid", "gradient_penalty", "diversity_ratio"} <= set(history)
    for key in history:
        steps, values = scalars(events, f"epoch/{key}")
        # The metrics are evaluated every 3 epochs: at the last one only.
        assert steps == ([3] if key in ("fid", "kid", "kid_std") else [1, 2, 3]), key
        np.testing.assert_allclose(values, history[key], rtol=1e-6, atol=1e-12, err_msg=key)
    # d_loss and gradient_penalty are tracked once per critic update (two per
    # step): the step value is their mean over the step's updates.
    tracked = [m.name for m in gan.metrics]
    assert {"d_loss", "g_loss", "gradient_penalty"} <= set(tracked)
    assert {t for t in events if t.startswith("step/")} == {f"step/{n}" for n in tracked}
    check_step_scalars(events, recorder, history, tracked, steps_per_epoch)
    monitor = callbacks[2]
    expected_failures = [sum(f["epoch"] == e for f in monitor.failures) for e in (1, 2, 3)]
    np.testing.assert_array_equal(scalars(events, "failure_monitor/failures")[1], expected_failures)
    if monitor.failures:  # (the tiny generator often collapses at first)
        _, steps, texts = events["failure_monitor/events"]
        assert steps == sorted({f["epoch"] for f in monitor.failures})
        assert monitor.failures[0]["message"] in texts[0].item().decode()
    plugin, steps, pictures = events["samples"]
    assert plugin == "images" and steps == [1, 2, 3]
    grid = np.asarray(Image.open(tmp_path / "samples" / "epoch_003.png"))
    assert grid.shape == (4 * 28 + 5 * 2, 4 * 28 + 5 * 2)  # 16 samples: 4x4


def test_failure_diagnoses_are_logged_in_either_order(tmp_path):
    points = data.mixture("ring", 1024, seed=0)
    for order in ("monitor_first", "logger_first"):
        keras.utils.set_random_seed(0)
        # A ceiling of 0 flags every epoch as "discriminator_unstable".
        monitor = FailureMonitor(d_loss_ceiling=0.0, d_loss_floor=None)
        logger = TensorBoardLogger(tmp_path / order, failure_monitor=monitor)
        callbacks = [monitor, logger] if order == "monitor_first" else [logger, monitor]
        with pytest.warns(UserWarning, match="discriminator loss averaged"):
            ring_gan().fit(points, batch_size=256, epochs=3, verbose=0, callbacks=callbacks)
        assert [f["epoch"] for f in monitor.failures] == [1, 2, 3]
        events = read_events(tmp_path / order)
        plugin, steps, texts = events["failure_monitor/events"]
        assert plugin == "text" and steps == [1, 2, 3]
        for failure, text in zip(monitor.failures, texts):
            assert text.item().decode() == f"- **discriminator_unstable**: {failure['message']}"
        counts = scalars(events, "failure_monitor/failures")[1]
        expected = [1, 1, 1] if order == "monitor_first" else [0, 0, 0]
        np.testing.assert_array_equal(counts, expected)


def test_step_every_and_a_resumed_fit_continue_the_global_step(tmp_path):
    points = data.mixture("ring", RING_POINTS, seed=0)
    gan = ring_gan()
    recorder = BatchLogRecorder()
    gan.fit(
        points,
        batch_size=RING_BATCH,
        epochs=2,
        verbose=0,
        callbacks=[TensorBoardLogger(tmp_path, step_every=3), recorder],
    )
    events = read_events(tmp_path)
    steps, values = scalars(events, "step/d_loss")
    # Every 3 steps, counted from each epoch's start: 3, 6 | 11, 14.
    assert steps == [3, 6, 11, 14]
    # Each value is the mean over the 3 steps it closes, from the running means.
    for step, value in zip(steps, values):
        epoch, end = divmod(step - 1, RING_STEPS)
        means = [0.0] + [b["d_loss"] for b in recorder.epochs[epoch]]
        expected = ((end + 1) * means[end + 1] - (end - 2) * means[end - 2]) / 3
        np.testing.assert_allclose(value, expected, rtol=1e-4, atol=1e-5)
    # A second fit continues from the optimizer's step count (2 epochs x 8).
    history = gan.fit(
        points,
        batch_size=RING_BATCH,
        initial_epoch=2,
        epochs=3,
        verbose=0,
        callbacks=[TensorBoardLogger(tmp_path)],
    ).history
    events = read_events(tmp_path)
    steps, _ = scalars(events, "step/g_loss")
    assert steps[-RING_STEPS:] == list(range(17, 25))
    steps, values = scalars(events, "epoch/g_loss")
    assert steps == [1, 2, 3]
    np.testing.assert_allclose(values[-1], history["g_loss"][0], rtol=1e-6)


def test_bad_arguments():
    with pytest.raises(ValueError, match="step_every"):
        TensorBoardLogger("logs", step_every=0)
    with pytest.raises(ValueError, match="failure_monitor"):
        TensorBoardLogger("logs", failure_monitor="yes")
    with pytest.raises(ValueError, match="real_data"):
        training_callbacks("run", metrics_every=1)
    with pytest.raises(ValueError, match="failure_monitor"):
        training_callbacks("run", failure_monitor="yes")
    assert [type(c).__name__ for c in training_callbacks("run", failure_monitor=False)] == [
        "SampleGrid",
        "TensorBoardLogger",
    ]
    assert not os.path.exists("run")  # building the callbacks writes nothing
