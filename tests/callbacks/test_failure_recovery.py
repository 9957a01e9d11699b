"""FailureRecovery on its own: what it keeps, restores and lowers, on a real compiled GAN."""

import keras
import numpy as np
import pytest

from keras_gans.callbacks import RECOVERABLE_FAILURES
from keras_gans.callbacks import FailureRecovery
from keras_gans.data import mixture
from keras_gans.models import GAN
from keras_gans.networks import mlp_discriminator
from keras_gans.networks import mlp_generator


def trained_gan():
    gan = GAN(generator=mlp_generator(4, 2, (16,)), discriminator=mlp_discriminator(2, (16,)), latent_dim=4)
    gan.compile(g_optimizer=keras.optimizers.Adam(1e-3), d_optimizer=keras.optimizers.Adam(2e-3))
    gan.fit(mixture("ring", 128, seed=0), batch_size=32, epochs=1, verbose=0)
    return gan


def values(variables):
    return {v.path: np.array(keras.ops.convert_to_numpy(v.value)) for v in variables}


def test_recover_restores_weights_and_optimizer_state_and_lowers_the_rates_involved():
    gan = trained_gan()
    recovery = FailureRecovery(learning_rate_factor=0.25, max_recoveries=1)
    recovery.start(gan)
    kept = values(gan.weights + list(gan.optimizer.variables))
    gan.fit(mixture("ring", 128, seed=1), batch_size=32, epochs=1, verbose=0)  # moves weights and moments
    moved = values(gan.weights + list(gan.optimizer.variables))
    assert any(not np.array_equal(kept[p], moved[p]) for p in kept)
    record = recovery.recover(gan, epoch=2, kinds=["discriminator_wins"], batch=3)
    restored = values(gan.weights + list(gan.optimizer.variables))
    for path, value in kept.items():
        if "seed_generator_state" not in path and not path.endswith("learning_rate"):  # rates: below
            np.testing.assert_array_equal(restored[path], value, err_msg=path)
    # discriminator_wins lowers the discriminator's rate only.
    assert RECOVERABLE_FAILURES["discriminator_wins"] == ("discriminator",)
    assert float(gan.d_optimizer.learning_rate) == pytest.approx(5e-4)
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(1e-3)
    assert record == {
        "epoch": 2,
        "batch": 3,
        "kinds": ["discriminator_wins"],
        "restored_epoch": 0,
        "learning_rates": {
            "generator": pytest.approx((1e-3, 1e-3)),
            "discriminator": pytest.approx((2e-3, 5e-4)),
        },
    }
    assert recovery.recoveries == [record] and recovery.exhausted


def test_save_moves_the_good_state_and_give_up_keeps_the_rates():
    gan = trained_gan()
    recovery = FailureRecovery(learning_rate_factor=0.5, max_recoveries=0)
    recovery.start(gan)
    gan.fit(mixture("ring", 128, seed=1), batch_size=32, epochs=1, verbose=0)
    recovery.save(gan, epoch=1)
    saved = values(gan.trainable_variables)
    gan.generator.trainable_variables[0].assign(np.full(gan.generator.trainable_variables[0].shape, np.nan))
    assert recovery.exhausted and recovery.good_epoch == 1
    recovery.give_up(gan, epoch=2, kinds=["non_finite_loss"])
    for path, value in values(gan.trainable_variables).items():
        np.testing.assert_array_equal(value, saved[path], err_msg=path)
    assert recovery.gave_up == {"epoch": 2, "batch": None, "kinds": ["non_finite_loss"], "restored_epoch": 1}
    assert float(gan.g_optimizer.learning_rate) == pytest.approx(1e-3)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"learning_rate_factor": 0.0}, "`learning_rate_factor` must be in \\(0, 1\\]"),
        ({"max_recoveries": -1}, "`max_recoveries` must be an integer >= 0"),
        ({"max_recoveries": 1.5}, "`max_recoveries` must be an integer >= 0"),
    ],
)
def test_bad_options_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        FailureRecovery(**kwargs)


def test_schedules_cannot_be_lowered():
    gan = GAN(generator=mlp_generator(4, 2, (8,)), discriminator=mlp_discriminator(2, (8,)), latent_dim=4)
    schedule = keras.optimizers.schedules.ExponentialDecay(1e-3, 100, 0.9)
    gan.compile(g_optimizer=keras.optimizers.Adam(schedule), d_optimizer=keras.optimizers.Adam(1e-3))
    with pytest.raises(ValueError, match="needs float learning rates, but the generator optimizer uses"):
        FailureRecovery().start(gan)
    FailureRecovery(learning_rate_factor=1.0).start(gan)  # restoring alone works with schedules
