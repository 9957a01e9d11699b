"""StyleGAN: truncation, style mixing, R1, EMA sampling, w_avg, serialization, export."""

import os

import keras
import numpy as np
import pytest
from keras import ops

from keras_gans import export
from keras_gans import models
from keras_gans import presets
from keras_gans import terms
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
    np.testing.assert_allclose(
        _numpy(mix_styles(w1, w2, np.array([num_ws] * 2), num_ws)), _numpy(g.broadcast(w1))
    )

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


def test_lazy_r1_and_path_length_phases():
    gan = small_stylegan(r1_gamma=4.0)
    assert [(p.name, p.interval) for p in gan.phases] == [
        ("discriminator", 1),
        ("discriminator_every_16", 16),
        ("generator", 1),
        ("generator_every_4", 4),
    ]
    real = ops.convert_to_tensor(np.random.default_rng(0).uniform(-1, 1, (4, 8, 8, 1)).astype("float32"))
    total, logs = gan.phase_objective(gan.phases[1], terms.StepTensors(gan, "discriminator", real, None))
    assert float(_numpy(logs["r1_penalty"])) > 0
    # gamma / 2 times the interval (StyleGAN2's lazy regularization).
    np.testing.assert_allclose(_numpy(total), 16 * 2.0 * _numpy(logs["r1_penalty"]), rtol=1e-5)
    _, main_logs = gan.discriminator_objective(real)
    assert set(main_logs) == {"d_loss"}
    plain = small_stylegan(r1_gamma=0.0, path_length_weight=0.0)
    assert [p.name for p in plain.phases] == ["discriminator", "generator"]


class ToyStyleGenerator(keras.Model):
    """styles(z) = [z, 2 z]; synthesis(ws) = tanh(flatten(ws) @ M) as 2x2 images:
    J^T y = ((1 - tanh^2(u)) * y) @ M^T in closed form."""

    def __init__(self, kernel, **kwargs):
        super().__init__(**kwargs)
        self.kernel = self.add_weight(
            shape=kernel.shape, initializer=keras.initializers.Constant(kernel), name="kernel"
        )
        self.build((None, kernel.shape[0] // 2))

    def build(self, input_shape):
        self.built = True

    def styles(self, z, training=False):
        return ops.stack([z, 2.0 * z], axis=1)

    def synthesis(self, ws, training=False):
        flat = ops.reshape(ws, (ops.shape(ws)[0], -1))
        return ops.reshape(ops.tanh(flat @ self.kernel), (-1, 2, 2, 1))

    def call(self, z, training=False):
        return self.synthesis(self.styles(z, training), training)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 2, 2, 1)

    @property
    def input_shape(self):
        return (None, self.kernel.shape[0] // 2)

    @property
    def output_shape(self):
        return (None, 2, 2, 1)


def test_path_length_penalty_matches_closed_form_and_tracks_its_mean():
    d = 3
    kernel = np.random.default_rng(4).normal(size=(2 * d, 4)).astype("float32")
    generator = ToyStyleGenerator(kernel)
    discriminator = keras.Sequential([keras.Input((2, 2, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    term = terms.PathLengthPenalty(weight=2.0, decay=0.5, batch_shrink=2, seed=9)
    gan = models.GAN(generator, discriminator, latent_dim=d, seed=1, terms=[term])
    real = ops.zeros((8, 2, 2, 1))
    for step in range(2):
        replay_z = keras.random.SeedGenerator(0)
        replay_z.state.assign(_numpy(gan.latent_stream.state))
        replay_y = keras.random.SeedGenerator(0)
        replay_y.state.assign(_numpy(term.seed_generator.state))
        z = _numpy(keras.random.normal((4, d), seed=replay_z)).astype("float64")
        y = _numpy(keras.random.normal((4, 2, 2, 1), seed=replay_y)).reshape(4, 4).astype("float64") / 2.0
        mean_before = float(_numpy(term.mean_length))
        value = float(
            _numpy(term.compute(terms.StepTensors(gan, "generator", real, None))["path_length_penalty"])
        )
        flat = np.concatenate([z, 2 * z], axis=1)
        grads = ((1 - np.tanh(flat @ kernel) ** 2) * y) @ kernel.T.astype("float64")
        lengths = np.sqrt(np.mean(np.sum(grads.reshape(4, 2, d) ** 2, axis=2), axis=1))
        mean = mean_before + 0.5 * (lengths.mean() - mean_before)
        np.testing.assert_allclose(float(_numpy(term.mean_length)), mean, rtol=1e-5)
        np.testing.assert_allclose(value, np.mean((lengths - mean) ** 2), rtol=1e-4, atol=1e-7)


@pytest.mark.slow
def test_fit_generate_uses_ema_save_reload_and_export(tmp_path):
    gan = small_stylegan(ema_decay=0.5, style_mixing_probability=0.5)
    gan.compile()
    images = np.random.default_rng(0).uniform(-1, 1, (16, 8, 8, 1)).astype("float32")
    history = gan.fit(images, batch_size=8, epochs=2, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss", "r1_penalty", "path_length_penalty"}
    assert all(np.isfinite(v).all() for v in history.history.values())
    ema = gan.get_layer("generator_ema").average
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
    np.testing.assert_allclose(
        restored.generate(4, seed=5, truncation_psi=0.7),
        gan.generate(4, seed=5, truncation_psi=0.7),
        atol=1e-5,
    )
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
