"""ProGAN: growth schedule, fade-in blend, resume mid-phase, serialization, export."""

import os

import keras
import numpy as np
import pytest
from keras import ops

from keras_gans import export
from keras_gans import models
from keras_gans import presets
from keras_gans.models.progan import growth_schedule
from keras_gans.models.progan import total_schedule_images
from keras_gans.networks.progan import ProGANDiscriminator
from keras_gans.networks.progan import ProGANGenerator
from keras_gans.networks.progan import average_downsample
from keras_gans.networks.progan import nearest_upsample
from keras_gans.networks.progan import progressive_resize

LATENT_DIM = 8
FADE, STABLE, BATCH = 32, 32, 16  # two batches per fade-in, two per stabilization


def _numpy(x):
    return ops.convert_to_numpy(x)


def _images(n=64, size=16, seed=0):
    return np.random.default_rng(seed).uniform(-1, 1, (n, size, size, 1)).astype("float32")


def small_progan(**kwargs):
    options = dict(
        image_shape=(16, 16, 1),
        latent_dim=LATENT_DIM,
        filters=4,
        seed=0,
        fade_in_images=FADE,
        stabilize_images=STABLE,
    )
    options.update(kwargs)
    return models.ProGAN(**options)


def _expected_schedule(images, num_levels, fade, stable):
    if images < stable:
        return 0, 1.0
    u = images - stable
    grown = u // (fade + stable) + 1
    if grown > num_levels - 1:
        return num_levels - 1, 1.0
    return grown, min((u - (grown - 1) * (fade + stable)) / fade, 1.0)


def test_growth_schedule_matches_reference():
    for images in [0, 10, 31, 32, 40, 48, 63, 64, 80, 96, 100, 112, 127, 160, 1000]:
        level, alpha = growth_schedule(images, 3, 32, 32)
        expected = _expected_schedule(images, 3, 32, 32)
        assert (float(_numpy(level)), float(_numpy(alpha))) == pytest.approx(expected), images
    assert total_schedule_images(3, 32, 32) == 160


def test_fit_follows_schedule_then_resumes_mid_phase(tmp_path):
    gan = small_progan(ema_decay=0.9)
    gan.compile()
    images = _images()
    assert (gan.level, gan.alpha) == (0, 1.0)

    def fit(num_images, model=gan):
        model.fit(images[:num_images], batch_size=BATCH, epochs=1, verbose=0, shuffle=False)
        return int(_numpy(model.images_seen)), model.level, model.alpha

    # 4x4 stabilization, then the 8x8 fade-in (alpha 0 -> 0.5).
    assert fit(32) == (32, 1, 0.0)
    assert fit(16) == (48, 1, 0.5)
    for network in (gan.generator, gan.discriminator, gan.get_layer("generator_ema").average):
        assert (float(_numpy(network.level)), float(_numpy(network.alpha))) == (1.0, 0.5)
    assert gan.resolution == 8

    # A checkpoint mid-fade-in resumes at the same level and alpha.
    path = str(tmp_path / "progan.keras")
    gan.save(path)
    weights_path = str(tmp_path / "progan.weights.h5")
    gan.save_weights(weights_path)
    restored = keras.saving.load_model(path)
    assert isinstance(restored, models.ProGAN)
    assert (int(_numpy(restored.images_seen)), restored.level, restored.alpha) == (48, 1, 0.5)
    z = np.random.default_rng(1).normal(size=(4, LATENT_DIM)).astype("float32")
    np.testing.assert_allclose(_numpy(restored.generator(z)), _numpy(gan.generator(z)), atol=1e-5)
    fresh = small_progan()
    fresh.load_weights(weights_path)
    assert (int(_numpy(fresh.images_seen)), fresh.level, fresh.alpha) == (48, 1, 0.5)

    # Training continues from there: end of the fade-in, stabilization, next level.
    assert fit(16, restored) == (64, 1, 1.0)
    assert fit(32, restored) == (96, 2, 0.0)
    assert fit(16, restored) == (112, 2, 0.5)
    assert fit(64, restored) == (176, 2, 1.0)  # the last level stays
    samples = restored.generate(4, seed=0)
    assert samples.shape == (4, 16, 16, 1) and np.isfinite(samples).all()


def test_generator_fade_in_equals_documented_blend():
    g = ProGANGenerator(latent_dim=LATENT_DIM, resolution=8, filters=4)
    z = np.random.default_rng(2).normal(size=(3, LATENT_DIM)).astype("float32")

    # Level 1 (8x8) and level 0 (4x4) branches, computed layer by layer.
    def lrelu_norm(x):
        x = ops.leaky_relu(x, 0.2)
        return x / ops.sqrt(ops.mean(ops.square(x), axis=-1, keepdims=True) + 1e-8)

    h = g.input_dense(z / ops.sqrt(ops.mean(ops.square(z), axis=-1, keepdims=True) + 1e-8))
    h = lrelu_norm(g.input_conv(lrelu_norm(ops.reshape(h, (-1, 4, 4, 4)))))
    old_rgb = g.to_rgb[0](h)  # 4x4
    x = ops.repeat(ops.repeat(h, 2, axis=1), 2, axis=2)
    x = lrelu_norm(g.block_convs[1](lrelu_norm(g.block_convs[0](x))))
    new_rgb = g.to_rgb[1](x)  # 8x8

    for alpha in (0.0, 0.3, 1.0):
        g.set_growth(1, alpha)
        out = _numpy(g(z))
        # out = alpha * new_block(x) + (1 - alpha) * upsample(old_to_rgb(x))
        blend = alpha * _numpy(new_rgb) + (1 - alpha) * _numpy(nearest_upsample(old_rgb, 2))
        np.testing.assert_allclose(out, blend, atol=1e-5)
        assert out.shape == (3, 8, 8, 1)
    g.set_growth(0, 0.4)  # level 0 has nothing to fade from; upsampled to the target size
    np.testing.assert_allclose(_numpy(g(z)), _numpy(nearest_upsample(old_rgb, 2)), atol=1e-5)


def test_discriminator_and_real_images_fade_in():
    images = _images(4, size=8)
    d = ProGANDiscriminator(resolution=8, filters=4, group_size=4)

    def lrelu(x):
        return ops.leaky_relu(x, 0.2)

    def head(h):
        h = lrelu(d.final_conv(d.minibatch_std(h)))
        return d.output_dense(lrelu(d.final_dense(ops.reshape(h, (-1, 16 * 4)))))

    x4 = average_downsample(images, 2)
    new = lrelu(d.from_rgb[1](images))
    new = average_downsample(lrelu(d.block_convs[1](lrelu(d.block_convs[0](new)))), 2)
    old = lrelu(d.from_rgb[0](x4))
    alpha = 0.25
    d.set_growth(1, alpha)
    np.testing.assert_allclose(
        _numpy(d(images)), _numpy(head(alpha * new + (1 - alpha) * old)), rtol=1e-4, atol=1e-5
    )
    d.set_growth(0, 1.0)
    np.testing.assert_allclose(_numpy(d(images)), _numpy(head(old)), rtol=1e-4, atol=1e-5)
    # Real images seen at level 1 of 3 (16x16 target) during a fade-in, blended the same way.
    images16 = _images(2, size=16)
    x8, x4 = average_downsample(images16, 2), average_downsample(images16, 4)
    resized = _numpy(progressive_resize(images16, 1.0, alpha, 3))
    expected = alpha * _numpy(nearest_upsample(x8, 2)) + (1 - alpha) * _numpy(nearest_upsample(x4, 4))
    np.testing.assert_allclose(resized, expected, atol=1e-6)
    np.testing.assert_allclose(_numpy(progressive_resize(images16, 2.0, 1.0, 3)), images16, atol=1e-6)


def test_drift_and_gradient_penalty_reach_the_loss():
    gan = small_progan(drift_weight=0.5, image_shape=(8, 8, 1))
    total, logs = gan.discriminator_objective(ops.convert_to_tensor(_images(8, size=8)), None)
    assert set(logs) == {"d_loss", "gradient_penalty", "drift_penalty"}
    assert float(_numpy(logs["drift_penalty"])) > 0
    expected = logs["d_loss"] + 10.0 * logs["gradient_penalty"] + 0.5 * logs["drift_penalty"]
    np.testing.assert_allclose(_numpy(total), _numpy(expected), rtol=1e-5)
    assert gan.n_critic == 1 and [o.beta_2 for o in gan.default_optimizers()] == [0.99, 0.99]
    with pytest.raises(ValueError, match="growing generator"):
        models.ProGAN(
            generator=keras.Sequential(
                [keras.Input((LATENT_DIM,)), keras.layers.Dense(16 * 16), keras.layers.Reshape((16, 16, 1))]
            ),
            discriminator=ProGANDiscriminator(resolution=16, filters=4),
        )
    with pytest.raises(ValueError, match="fade_in_images"):
        small_progan(fade_in_images=-1)


def test_config_round_trip_and_serving_export(tmp_path):
    gan = small_progan(fade_in_images=100, stabilize_images=50, drift_weight=0.002, image_shape=(8, 8, 1))
    gan.set_images_seen(120)  # level 1, alpha 0.7
    assert (gan.level, gan.alpha) == (1, pytest.approx(0.7))
    clone = models.ProGAN.from_config(gan.get_config())
    assert (clone.fade_in_images, clone.stabilize_images, clone.drift_weight) == (100, 50, 0.002)
    assert clone.generator.filters == [4, 4] and clone.num_levels == 2

    target = export.export_generator(gan, str(tmp_path / "progan"), version=2)
    assert os.path.isfile(os.path.join(target, "saved_model.pb"))
    import tensorflow as tf

    z = np.random.default_rng(3).normal(size=(5, LATENT_DIM)).astype("float32")
    serve = tf.saved_model.load(target).signatures["serving_default"]
    served = serve(z=tf.constant(z))["images"].numpy()
    np.testing.assert_allclose(served, _numpy(gan.generator(z)), atol=1e-4)

    # A zoo entry: the preset folder keeps the phase and the weights.
    preset = presets.save_to_preset(gan, str(tmp_path / "preset"))
    loaded = models.from_preset(preset)
    assert type(loaded) is models.ProGAN and (loaded.level, loaded.alpha) == (1, pytest.approx(0.7))
    np.testing.assert_allclose(_numpy(loaded.generator(z)), _numpy(gan.generator(z)), atol=1e-5)
