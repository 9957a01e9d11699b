"""Mixed precision: loss-scaled optimizers, scaled penalties, float32 outputs."""

import keras
import numpy as np
import pytest

from keras_gans import models
from keras_gans import penalties


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


def test_float16_gradient_penalty_matches_float32():
    rng = np.random.default_rng(0)
    real = rng.uniform(-1, 1, (16, 8, 8, 1)).astype("float32")
    fake = rng.uniform(-1, 1, (16, 8, 8, 1)).astype("float32")
    keras.utils.set_random_seed(0)
    reference = critic()
    expected = penalties.gradient_penalty(lambda x: reference(x, training=True), real, fake, seed=5)

    keras.mixed_precision.set_global_policy("mixed_float16")
    half = critic()
    half.set_weights(reference.get_weights())
    assert half.layers[0].compute_dtype == "float16"
    got = penalties.gradient_penalty(
        lambda x: half(x, training=True), real, fake, seed=5, loss_scale=2.0**15
    )
    expected = float(keras.ops.convert_to_numpy(expected))
    got_value = float(keras.ops.convert_to_numpy(got))
    assert keras.backend.standardize_dtype(got.dtype) == "float32"
    assert expected > 0
    np.testing.assert_allclose(got_value, expected, rtol=1e-2)


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
    images = np.random.default_rng(0).uniform(-1, 1, (32, 8, 8, 1)).astype("float32")
    history = gan.fit(images, batch_size=16, epochs=1, verbose=0)
    for name, values in history.history.items():
        assert np.all(np.isfinite(values)), name
    z = keras.random.normal((4, 16))
    samples = gan.generator(z)
    logits = gan.discriminator(samples)
    assert keras.backend.standardize_dtype(samples.dtype) == "float32"
    assert keras.backend.standardize_dtype(logits.dtype) == "float32"
    assert int(keras.ops.convert_to_numpy(gan.d_optimizer.iterations)) == 4
