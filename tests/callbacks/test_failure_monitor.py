"""FailureMonitor on real tiny GAN runs (broken and healthy) and on logs."""

import os
import warnings

import keras
import numpy as np
import pytest

from keras_gans.callbacks import FailureMonitor
from keras_gans.callbacks import TrainingFailureWarning
from keras_gans.callbacks import mean_pairwise_distance
from keras_gans.data import mixture
from keras_gans.metrics import mixture_scores
from keras_gans.models import GAN
from keras_gans.models import WGAN
from keras_gans.networks import mlp_discriminator
from keras_gans.networks import mlp_generator


def ring_gan(d_learning_rate):
    gan = GAN(
        generator=mlp_generator(8, 2, (32, 32)), discriminator=mlp_discriminator(2, (32, 32)), latent_dim=8
    )
    gan.compile(
        g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
        d_optimizer=keras.optimizers.Adam(d_learning_rate, beta_1=0.5),
    )
    return gan


def diagnoses(record):
    return [str(w.message) for w in record if w.category is TrainingFailureWarning]


def weights_of(model):
    return [np.array(keras.ops.convert_to_numpy(w.value)) for w in model.weights]


def test_mean_pairwise_distance():
    points = np.array([[0.0, 0.0], [3.0, 4.0], [0.0, 4.0]])
    assert mean_pairwise_distance(points) == pytest.approx((5 + 4 + 3) / 3)


def test_catches_a_discriminator_learning_rate_of_one():
    points = mixture("ring", 512, seed=0)
    gan = ring_gan(d_learning_rate=1.0)
    monitor = FailureMonitor(real_data=points, stop_training=True)
    with pytest.warns(TrainingFailureWarning, match="learning rate"):
        history = gan.fit(points, batch_size=64, epochs=5, verbose=0, callbacks=[monitor])
    assert monitor.failed and monitor.failures[0]["kind"] == "discriminator_unstable"
    assert len(history.history["d_loss"]) == monitor.failures[0]["epoch"] < 5
    assert history.history["d_loss"][-1] > 20  # far above chance level (1.39)


def test_quiet_when_healthy_and_keeps_the_last_good_checkpoint(tmp_path):
    points = mixture("ring", 512, seed=0)
    gan = ring_gan(d_learning_rate=1e-3)
    path = str(tmp_path / "good" / "last.weights.h5")
    monitor = FailureMonitor(
        real_data=points, checkpoint_path=path, stop_training=True, restore_on_failure=True
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", TrainingFailureWarning)
        history = gan.fit(points, batch_size=128, epochs=3, verbose=0, callbacks=[monitor])
    assert monitor.failures == [] and monitor.last_good_epoch == 3
    assert os.listdir(tmp_path / "good") == ["last.weights.h5"]  # no partial file
    assert len(history.history["diversity_ratio"]) == 3
    good = weights_of(gan)

    # Now a NaN discriminator weight: the losses become NaN in the first batch.
    with pytest.warns(TrainingFailureWarning) as record:
        history = gan.fit(
            points, batch_size=128, epochs=3, verbose=0, callbacks=[monitor, BreakDiscriminator(0)]
        )
    assert [f["kind"] for f in monitor.failures] == ["non_finite_loss"]
    messages = diagnoses(record)
    assert "at batch 0: d_loss became nan" in messages[0]
    assert "restored the last good weights (saved at the end of epoch 3)" in messages[1]
    assert len(history.history["d_loss"]) == 1  # stopped in the first epoch
    # The checkpoint still holds the healthy weights, and they were restored.
    for restored, expected in zip(weights_of(gan), good):
        np.testing.assert_array_equal(restored, expected)
    reloaded = ring_gan(1e-3)
    reloaded.load_weights(path)
    for saved, expected in zip(weights_of(reloaded), good):
        np.testing.assert_array_equal(saved, expected)


def test_discriminator_wins_and_generator_fooling_from_logs(tmp_path):
    gan = ring_gan(1e-3)
    path = str(tmp_path / "ckpt.weights.h5")
    monitor = FailureMonitor(checkpoint_path=path, patience=3, quality_metric="fid", quality_threshold=1.0)
    monitor.set_model(gan)
    monitor.on_train_begin()
    with pytest.warns(TrainingFailureWarning) as record:
        for epoch, (d_loss, g_loss, fid) in enumerate(
            [(1.3, 7.0, 5.0), (0.005, 6.0, 5.0), (0.004, 5.0, 5.2), (0.003, 4.0, 5.1)]
        ):
            monitor.on_epoch_end(epoch, {"d_loss": d_loss, "g_loss": g_loss, "fid": fid})
    assert monitor.last_good_epoch == 1  # no checkpoint while a sign builds up
    kinds = [(f["epoch"], f["kind"]) for f in monitor.failures]
    assert kinds == [(4, "discriminator_wins"), (4, "generator_fools_weak_discriminator")]
    assert "below 0.01 for 3 epochs" in diagnoses(record)[0]

    # A Wasserstein critic's loss near 0 is not a failure.
    wgan = WGAN(generator=mlp_generator(8, 2, (8,)), discriminator=mlp_discriminator(2, (8,)), latent_dim=8)
    critic_monitor = FailureMonitor(patience=1)
    critic_monitor.set_model(wgan)
    critic_monitor.on_train_begin()
    critic_monitor.on_epoch_end(0, {"d_loss": 0.001, "g_loss": 0.1})
    assert critic_monitor.failures == []


def test_detects_collapsed_samples():
    generator = keras.Sequential(
        [keras.Input((8,)), keras.layers.Dense(2, kernel_initializer="zeros", bias_initializer="ones")]
    )
    gan = GAN(generator=generator, discriminator=mlp_discriminator(2, (8,)), latent_dim=8)
    monitor = FailureMonitor(real_data=mixture("ring", 100, seed=0), num_samples=50)
    monitor.set_model(gan)
    monitor.on_train_begin()
    logs = {"d_loss": 1.3, "g_loss": 0.7}
    with pytest.warns(TrainingFailureWarning, match="mode collapse"):
        monitor.on_epoch_end(0, logs)
    assert logs["diversity_ratio"] == 0.0
    assert monitor.failures[0]["kind"] == "mode_collapse"


def test_bad_arguments():
    with pytest.raises(ValueError, match=".weights.h5"):
        FailureMonitor(checkpoint_path="model.h5")
    with pytest.raises(ValueError, match="needs a checkpoint_path"):
        FailureMonitor(restore_on_failure=True)


# ------------------------------------------------------------------ recovery


class LearningRateDrop(keras.callbacks.Callback):
    """Multiplies both learning rates by `factor` at the start of epoch `epoch`
    (part of the ring recipe: the game settles on the modes at a lower rate)."""

    def __init__(self, epoch, factor):
        super().__init__()
        self.epoch, self.factor = epoch, factor

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            for optimizer in (self.model.g_optimizer, self.model.d_optimizer):
                optimizer.learning_rate = float(optimizer.learning_rate) * self.factor


def broken_ring_run(monitor, epochs=12):
    """PacGAN2 with 3x128 MLPs on the 8-Gaussian ring, discriminator learning rate 1.0
    (with the healthy rate, 1e-3, this recipe ends with 8 modes on all three backends;
    without packing it collapsed on PyTorch)."""
    keras.utils.set_random_seed(0)
    points = mixture("ring", 60_000, seed=0)
    gan = GAN(
        generator=mlp_generator(8, 2), discriminator=mlp_discriminator(4), latent_dim=8, seed=0, packing=2
    )
    gan.compile(
        g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5, beta_2=0.9),
        d_optimizer=keras.optimizers.Adam(1.0, beta_1=0.5, beta_2=0.9),
    )
    gan.fit(
        points,
        batch_size=256,
        epochs=epochs,
        verbose=0,
        callbacks=[monitor, LearningRateDrop(epochs - 4, 0.2)],
    )
    return gan, mixture_scores(gan.generate(2_500, seed=1), "ring")


@pytest.mark.slow
def test_recovery_rescues_a_discriminator_learning_rate_of_one():
    # Without recovery: the discriminator overshoots (loss ~1e4) and the run fails.
    watcher = FailureMonitor()
    with pytest.warns(TrainingFailureWarning) as record:
        _, broken = broken_ring_run(watcher)
    assert "far above chance" in diagnoses(record)[0]
    assert watcher.failures[0]["kind"] == "discriminator_unstable"
    assert broken["high_quality"] < 0.05

    # With it: the first epoch fails, the start-of-training state comes back
    # with the discriminator's learning rate 1.0 -> 1e-3, and the run learns.
    rescuer = FailureMonitor(recover=True, learning_rate_factor=1e-3)
    with pytest.warns(TrainingFailureWarning) as record:
        gan, rescued = broken_ring_run(rescuer)
    messages = diagnoses(record)
    assert "far above chance" in messages[0] and len(messages) == 2
    assert messages[1].startswith("Epoch 1: recovered from discriminator_unstable")
    assert [(r["epoch"], r["restored_epoch"]) for r in rescuer.recoveries] == [(1, 0)]
    rates = rescuer.recoveries[0]["learning_rates"]
    assert rates["discriminator"] == pytest.approx((1.0, 1e-3))
    assert rates["generator"] == pytest.approx((1e-3, 1e-3))
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(1e-3 * 0.2)
    assert rescued["modes"] == 8 and rescued["high_quality"] > 0.5  # broken: ~0.015
    print(f"\n{keras.backend.backend()}: broken {broken}, rescued {rescued}")


class BreakDiscriminator(keras.callbacks.Callback):
    """Sets the discriminator's first kernel to NaN at the start of epoch `epoch`."""

    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            kernel = self.model.discriminator.trainable_variables[0]
            kernel.assign(np.full(kernel.shape, np.nan, "float32"))


class StateRecorder(keras.callbacks.Callback):
    """Copies every weight and optimizer variable at the end of each epoch."""

    def __init__(self):
        super().__init__()
        self.states = []

    def on_epoch_end(self, epoch, logs=None):
        self.states.append(state_of(self.model))


def state_of(model):
    return {
        v.path: np.array(keras.ops.convert_to_numpy(v.value))
        for v in list(model.weights) + list(model.optimizer.variables)
        if "seed_generator_state" not in v.path
    }


def assert_same_state(actual, expected):
    assert actual.keys() == expected.keys()
    for path in expected:
        np.testing.assert_array_equal(actual[path], expected[path], err_msg=path)


def test_a_restore_at_a_failed_batch_sticks_and_stops_with_a_report():
    points = mixture("ring", 512, seed=0)
    gan = ring_gan(1e-3)
    monitor = FailureMonitor(recover=True, max_recoveries=0)
    recorder = StateRecorder()
    with pytest.warns(TrainingFailureWarning) as record:
        history = gan.fit(
            points, batch_size=64, epochs=5, verbose=0, callbacks=[monitor, recorder, BreakDiscriminator(2)]
        )
    assert len(history.history["d_loss"]) == 3  # stopped in epoch 3, at its first batch
    # Weights and optimizer state are those of the end of epoch 2, also on JAX,
    # where `fit` would otherwise write its NaN state back at the epoch's end.
    assert_same_state(recorder.states[2], recorder.states[1])
    assert_same_state(state_of(gan), recorder.states[1])
    assert [f["kind"] for f in monitor.failures] == ["non_finite_loss"]
    assert monitor.recoveries == [] and monitor.gave_up["restored_epoch"] == 2
    report = monitor.report()
    assert "epoch 3: non_finite_loss" in report
    assert "Gave up at epoch 3 after 0 recoveries (max_recoveries=0)" in report
    assert "at batch 0: d_loss became nan" in diagnoses(record)[0]
    assert "Gave up" in diagnoses(record)[1]


def test_recovery_restores_optimizer_state_lowers_both_rates_and_trains_on():
    points = mixture("ring", 512, seed=0)
    gan = ring_gan(1e-3)
    monitor = FailureMonitor(recover=True, learning_rate_factor=0.5)
    recorder = StateRecorder()
    with pytest.warns(TrainingFailureWarning) as record:
        history = gan.fit(
            points, batch_size=64, epochs=5, verbose=0, callbacks=[monitor, recorder, BreakDiscriminator(2)]
        )
    messages = diagnoses(record)
    assert len(messages) == 2 and "at batch 0: d_loss became nan" in messages[0]
    assert messages[1].startswith(
        "Epoch 3, batch 0: recovered from non_finite_loss (recovery 1 of at most 3): restored "
        "the weights and optimizer state of the end of epoch 2 and lowered the learning rates: "
        "discriminator 0.001 -> 0.0005, generator 0.001 -> 0.0005."
    )
    assert [(r["epoch"], r["batch"], r["restored_epoch"]) for r in monitor.recoveries] == [(3, 0, 2)]
    assert monitor.recoveries[0]["learning_rates"] == {
        "generator": pytest.approx((1e-3, 5e-4)),
        "discriminator": pytest.approx((1e-3, 5e-4)),
    }
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(5e-4)
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(5e-4)
    # Training went on from the restored state: 7 more batches in epoch 3, then
    # 8 per epoch, and the loss means of epoch 3 restart after the failed batch.
    assert len(history.history["d_loss"]) == 5
    assert all(np.isfinite(history.history["d_loss"][2:]))
    assert all(np.all(np.isfinite(w)) for w in weights_of(gan))
    counters = [path for path in recorder.states[0] if path.endswith("/iteration")]
    per_epoch = {p: recorder.states[1][p] - recorder.states[0][p] for p in counters}
    assert any(per_epoch.values())
    for path in counters:  # the optimizers' counters went back to epoch 2's
        expected = recorder.states[1][path] + per_epoch[path] * (7 + 8 + 8) / 8
        assert recorder.states[4][path] == expected, path
    assert monitor.last_good_epoch == 5


def test_recovery_needs_float_learning_rates_and_valid_options():
    gan = GAN(generator=mlp_generator(8, 2, (8,)), discriminator=mlp_discriminator(2, (8,)), latent_dim=8)
    schedule = keras.optimizers.schedules.ExponentialDecay(1e-3, 100, 0.5)
    gan.compile(g_optimizer=keras.optimizers.Adam(schedule), d_optimizer=keras.optimizers.Adam(1e-3))
    monitor = FailureMonitor(recover=True)
    monitor.set_model(gan)
    with pytest.raises(ValueError, match="generator optimizer uses ExponentialDecay"):
        monitor.on_train_begin()
    FailureMonitor(recover=True, learning_rate_factor=1.0).set_model(gan)  # restore only: fine
    with pytest.raises(ValueError, match="learning_rate_factor"):
        FailureMonitor(recover=True, learning_rate_factor=0.0)
    with pytest.raises(ValueError, match="recover_from"):
        FailureMonitor(recover=True, recover_from=("mode_collapse",))
    with pytest.raises(ValueError, match="max_recoveries"):
        FailureMonitor(recover=True, max_recoveries=-1)
