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
from keras_gans.models import GAN
from keras_gans.models import WGAN
from keras_gans.networks import mlp_discriminator
from keras_gans.networks import mlp_generator


def ring_gan(d_learning_rate):
    gan = GAN(generator=mlp_generator(8, 2, (32, 32)),
              discriminator=mlp_discriminator(2, (32, 32)), latent_dim=8)
    gan.compile(g_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
                d_optimizer=keras.optimizers.Adam(d_learning_rate, beta_1=0.5))
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
    monitor = FailureMonitor(real_data=points, checkpoint_path=path,
                             stop_training=True, restore_on_failure=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error", TrainingFailureWarning)
        history = gan.fit(points, batch_size=128, epochs=3, verbose=0, callbacks=[monitor])
    assert monitor.failures == [] and monitor.last_good_epoch == 3
    assert os.listdir(tmp_path / "good") == ["last.weights.h5"]  # no partial file
    assert len(history.history["diversity_ratio"]) == 3
    good = weights_of(gan)

    # Now NaN data: the losses become NaN in the first batch.
    broken = np.full_like(points, np.nan)
    with pytest.warns(TrainingFailureWarning) as record:
        history = gan.fit(broken, batch_size=128, epochs=3, verbose=0, callbacks=[monitor])
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
    monitor = FailureMonitor(checkpoint_path=path, patience=3, quality_metric="fid",
                             quality_threshold=1.0)
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
    wgan = WGAN(generator=mlp_generator(8, 2, (8,)), discriminator=mlp_discriminator(2, (8,)),
                latent_dim=8)
    critic_monitor = FailureMonitor(patience=1)
    critic_monitor.set_model(wgan)
    critic_monitor.on_train_begin()
    critic_monitor.on_epoch_end(0, {"d_loss": 0.001, "g_loss": 0.1})
    assert critic_monitor.failures == []


def test_detects_collapsed_samples():
    generator = keras.Sequential([keras.Input((8,)), keras.layers.Dense(
        2, kernel_initializer="zeros", bias_initializer="ones")])
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
