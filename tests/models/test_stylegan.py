"""StyleGAN: truncation, style mixing, R1, EMA sampling, w_avg, serialization, export."""

import os

import keras
import numpy as np
from keras import ops

from keras_gans import export
from keras_gans import models
from keras_gans import presets
from keras_gans.networks.stylegan import StyleGANGenerator
from keras_gans.networks.stylegan import mix_styles

LATENT_DIM = 8


def _numpy(x):
    return ops.convert_to_numpy(x)


def _z(n=3, seed=0):
    return np.random.default_rng(seed).normal(size=(n, LATENT_DIM)).astype("float32")


def small_generator(**kwargs):
    options = dict(latent_dim=LATENT_DIM, resolution=8, filters=4, mapping_layers=2, seed=0)
    options.update(kwargs)
    return StyleGANGenerator(**options)


def small_stylegan(**kwargs):
    options = dict(image_shape=(8, 8, 1), latent_dim=LATENT_DIM, filters=4, mapping_layers=2, seed=0)
    options.update(kwargs)
    return models.StyleGAN(**options)


def _with_noise(generator):
    # Noise scales start at 0; make the noise matter.
    for layer in generator.noises:
        layer.scale.assign(np.full(layer.scale.shape, 0.5, "float32"))


def test_truncation_psi_0_gives_mean_style_and_psi_1_no_change():
    g = small_generator()
    _with_noise(g)
    w_avg = np.random.default_rng(1).normal(size=(LATENT_DIM,)).astype("float32")
    g.w_avg.assign(w_avg)
    z = _z()
    mean_image = _numpy(g.synthesis(g.broadcast(ops.convert_to_tensor(np.tile(w_avg, (3, 1))))))
    truncated = _numpy(g(z, truncation_psi=0.0))
    np.testing.assert_allclose(truncated, mean_image, atol=1e-5)
    np.testing.assert_allclose(truncated[0], truncated[1], atol=1e-5)  # every latent -> same image
    plain = _numpy(g.synthesis(g.broadcast(g.mapping(z))))
    np.testing.assert_allclose(_numpy(g(z, truncation_psi=1.0)), plain, atol=1e-5)
    half = _numpy(g.synthesis(g.truncate(g.broadcast(g.mapping(z)), 0.5)))
    np.testing.assert_allclose(_numpy(g(z, truncation_psi=0.5)), half, atol=1e-5)
    assert not np.allclose(half, plain, atol=1e-4)

    # The model samples with truncation from its (EMA) generator's w_avg.
    gan = small_stylegan(ema_decay=None)
    gan.generator.w_avg.assign(w_avg)
    samples = gan.generate(4, seed=0, truncation_psi=0.0)
    np.testing.assert_allclose(samples[0], samples[3], atol=1e-5)


def test_style_mixing_uses_both_styles_from_the_crossover():
    g = small_generator()
    num_ws = g.num_ws
    assert num_ws == 4  # 8x8: two resolutions, two styles each
    w1, w2 = (g.mapping(_z(2, seed)) for seed in (1, 2))
    crossover = np.array([2, 2], "int32")
    ws = _numpy(mix_styles(w1, w2, crossover, num_ws))
    np.testing.assert_allclose(ws[:, :2], np.repeat(_numpy(w1)[:, None], 2, axis=1))
    np.testing.assert_allclose(ws[:, 2:], np.repeat(_numpy(w2)[:, None], 2, axis=1))
    mixed = _numpy(g.synthesis(ops.convert_to_tensor(ws)))
    only_w1 = _numpy(g.synthesis(g.broadcast(w1)))
    only_w2 = _numpy(g.synthesis(g.broadcast(w2)))
    assert not np.allclose(mixed, only_w1, atol=1e-4) and not np.allclose(mixed, only_w2, atol=1e-4)
    # Changing either style changes the mixed image; every style index is used.
    w3 = g.mapping(_z(2, 3))
    for changed in (mix_styles(w3, w2, crossover, num_ws), mix_styles(w1, w3, crossover, num_ws)):
        assert not np.allclose(_numpy(g.synthesis(changed)), mixed, atol=1e-4)
    for i in range(num_ws):
        perturbed = ws.copy()
        perturbed[:, i] += 1.0
        assert not np.allclose(_numpy(g.synthesis(ops.convert_to_tensor(perturbed))), mixed, atol=1e-5), i
    # Crossover num_ws means no mixing.
    np.testing.assert_allclose(_numpy(mix_styles(w1, w2, np.array([num_ws] * 2), num_ws)), _numpy(g.broadcast(w1)))

    # In training calls with probability 1 the image differs from the unmixed one
    # (noise off, w_avg restored so that only mixing differs).
    always = small_generator(style_mixing_probability=1.0)
    never = small_generator(style_mixing_probability=0.0)
    never.set_weights(always.get_weights())
    z = _z(4)
    unmixed = _numpy(never(z, training=True, noise_mode="none"))
    np.testing.assert_allclose(unmixed, _numpy(never(z, noise_mode="none")), atol=1e-5)
    assert not np.allclose(_numpy(always(z, training=True, noise_mode="none")), unmixed, atol=1e-4)


def test_training_calls_track_w_avg():
    g = small_generator(w_avg_beta=0.5, style_mixing_probability=0.0)
    z = _z(6)
    w = _numpy(g.mapping(z))
    g(z, training=True)
    np.testing.assert_allclose(_numpy(g.w_avg), 0.5 * w.mean(axis=0), rtol=1e-4, atol=1e-6)
    g(z)  # inference does not move it
    np.testing.assert_allclose(_numpy(g.w_avg), 0.5 * w.mean(axis=0), rtol=1e-4, atol=1e-6)


def test_r1_penalty_reaches_the_discriminator_loss():
    gan = small_stylegan(r1_gamma=4.0)
    real = ops.convert_to_tensor(np.random.default_rng(0).uniform(-1, 1, (4, 8, 8, 1)).astype("float32"))
    total, logs = gan.discriminator_objective(real, None)
    assert float(_numpy(logs["r1_penalty"])) > 0
    np.testing.assert_allclose(_numpy(total), _numpy(logs["d_loss"] + 2.0 * logs["r1_penalty"]), rtol=1e-5)
    assert "r1_penalty" not in small_stylegan(r1_gamma=0.0).discriminator_objective(real, None)[1]


def test_fit_generate_uses_ema_save_reload_and_export(tmp_path):
    gan = small_stylegan(ema_decay=0.5, style_mixing_probability=0.5)
    gan.compile()
    images = np.random.default_rng(0).uniform(-1, 1, (16, 8, 8, 1)).astype("float32")
    history = gan.fit(images, batch_size=8, epochs=2, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss", "r1_penalty"}
    assert all(np.isfinite(v).all() for v in history.history.values())
    ema = gan.generator_ema.average
    assert gan.sampling_generator() is ema
    z = _numpy(gan.sample_latent(4, seed=5))
    samples = gan.generate(4, seed=5)
    np.testing.assert_allclose(samples, _numpy(ema(z)), atol=1e-5)
    assert not np.allclose(samples, _numpy(gan.generator(z)), atol=1e-4)
    # w_avg moved away from 0 and the EMA copy carries it.
    assert np.abs(_numpy(gan.generator.w_avg)).sum() > 0
    np.testing.assert_allclose(_numpy(ema.w_avg), _numpy(gan.generator.w_avg))

    path = str(tmp_path / "stylegan.keras")
    gan.save(path)
    restored = keras.saving.load_model(path)
    assert isinstance(restored, models.StyleGAN) and restored.style_mixing_probability == 0.5
    np.testing.assert_allclose(restored.generate(4, seed=5, truncation_psi=0.7),
                               gan.generate(4, seed=5, truncation_psi=0.7), atol=1e-5)
    config = models.StyleGAN.from_config(gan.get_config()).get_config()
    assert (config["mapping_layers"], config["filters"], config["r1_gamma"]) == (2, 4, 10.0)

    target = export.export_generator(gan, str(tmp_path / "stylegan"), version=1)
    assert os.path.isfile(os.path.join(target, "saved_model.pb"))
    import tensorflow as tf

    serve = tf.saved_model.load(target).signatures["serving_default"]
    np.testing.assert_allclose(serve(z=tf.constant(z))["images"].numpy(), samples, atol=1e-4)

    # A zoo entry: the preset folder restores the EMA generator that `generate` uses.
    loaded = models.from_preset(presets.save_to_preset(gan, str(tmp_path / "preset")))
    assert type(loaded) is models.StyleGAN
    np.testing.assert_allclose(loaded.generate(4, seed=5), samples, atol=1e-5)
