"""Mixed precision: loss-scaled optimizers, scaled penalties, float32 outputs."""

import keras
import numpy as np
import pytest

from keras_gans import models
from keras_gans import penalties
from tests.reference_critic import gradient_penalty_numpy
from tests.reference_critic import tanh_critic
from tests.reference_critic import weights64


def critic():
    return keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            keras.layers.Conv2D(8, 3, strides=2, padding="same", activation="leaky_relu"),
            keras.layers.Conv2D(16, 3, strides=2, padding="same", activation="leaky_relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(1, dtype="float32"),
        ]
    )


def test_float16_gradient_penalty_matches_a_float64_reference():
    """The penalty of a float16 critic (loss-scaled input gradient, float32
    norms) against the same critic's penalty computed in float64 NumPy."""
    rng = np.random.default_rng(0)
    real = rng.uniform(-1, 1, (64, 6)).astype("float32")
    fake = rng.uniform(-1, 1, (64, 6)).astype("float32")
    alpha = rng.uniform(size=64).astype("float32")
    reference = weights64(tanh_critic(6, hidden=16, seed=2))
    expected = gradient_penalty_numpy(reference, real, fake, alpha)
    keras.mixed_precision.set_global_policy("mixed_float16")
    half = tanh_critic(6, hidden=16, seed=2)
    assert half.layers[0].compute_dtype == "float16"
    got = penalties.gradient_penalty(
        lambda x: half(x, training=True), real, fake, alpha=alpha, loss_scale=2.0**8
    )
    assert keras.backend.standardize_dtype(got.dtype) == "float32"
    assert expected > 0.1
    np.testing.assert_allclose(float(keras.ops.convert_to_numpy(got)), expected, rtol=2e-3)


def test_logged_means_skip_the_updates_the_loss_scaler_skipped():
    """An initial loss scale of 2^60 overflows the first float16 gradients; the
    loss scaler skips those updates (and lowers the scale) and the logged
    epoch means leave those steps out instead of turning NaN."""
    keras.mixed_precision.set_global_policy("mixed_float16")
    gan = models.WGANGP(image_shape=(8, 8, 1), latent_dim=16, n_critic=1)
    scaled = [
        keras.optimizers.LossScaleOptimizer(keras.optimizers.Adam(1e-4), initial_scale=2.0**60)
        for _ in range(2)
    ]
    gan.compile(g_optimizer=scaled[0], d_optimizer=scaled[1])
    images = np.random.default_rng(0).uniform(-1, 1, (96, 8, 8, 1)).astype("float32")
    history = gan.fit(images, batch_size=8, epochs=1, verbose=0)
    assert float(keras.ops.convert_to_numpy(gan.d_optimizer.dynamic_scale)) < 2.0**60  # steps were skipped
    for name, values in history.history.items():
        assert np.all(np.isfinite(values)), name


@pytest.mark.parametrize("policy", ["mixed_float16", "mixed_bfloat16"])
@pytest.mark.parametrize("variant", ["GAN", "WGANGP"])
def test_one_epoch_under_mixed_precision(policy, variant):
    keras.mixed_precision.set_global_policy(policy)
    gan = getattr(models, variant)(image_shape=(8, 8, 1), latent_dim=16, n_critic=2)
    gan.compile()
    if policy == "mixed_float16":
        assert isinstance(gan.g_optimizer, keras.optimizers.LossScaleOptimizer)
        assert isinstance(gan.d_optimizer, keras.optimizers.LossScaleOptimizer)
    else:
        assert not isinstance(gan.d_optimizer, keras.optimizers.LossScaleOptimizer)
    images = np.random.default_rng(0).uniform(-1, 1, (64, 8, 8, 1)).astype("float32")
    history = gan.fit(images, batch_size=16, epochs=1, verbose=0)
    for name, values in history.history.items():
        assert np.all(np.isfinite(values)), name
    z = keras.random.normal((4, 16))
    samples = gan.generator(z)
    logits = gan.discriminator(samples)
    assert keras.backend.standardize_dtype(samples.dtype) == "float32"
    assert keras.backend.standardize_dtype(logits.dtype) == "float32"
    # 2 steps of 2 critic batches of 16 (batch_size is the batch of one critic update).
    assert int(keras.ops.convert_to_numpy(gan.d_optimizer.iterations)) == 4
