"""SNGAN: Table 1 settings, a spectrally normalized discriminator, Fashion-MNIST training."""

import keras
import numpy as np
import pytest

from keras_gans import data
from keras_gans import metrics
from keras_gans import models
from keras_gans.models.sngan import SNGAN_SETTINGS

TABLE_1 = {  # Miyato et al. 2018, Table 1: (learning rate, beta_1, beta_2, n_dis)
    "A": (1e-4, 0.5, 0.9, 5),
    "B": (1e-4, 0.5, 0.999, 1),
    "C": (2e-4, 0.5, 0.999, 1),
    "D": (1e-3, 0.5, 0.9, 5),
    "E": (1e-3, 0.5, 0.999, 5),
    "F": (1e-3, 0.9, 0.999, 5),
}


def small_sngan(**kwargs):
    return models.SNGAN(image_shape=(8, 8, 1), latent_dim=4, filters=2, **kwargs)


def test_settings_a_to_f_set_adam_and_n_dis():
    assert sorted(SNGAN_SETTINGS) == sorted(TABLE_1)
    reference = small_sngan()
    networks = (reference.generator, reference.discriminator)
    for name, (lr, beta_1, beta_2, n_dis) in TABLE_1.items():
        gan = models.SNGAN(*networks, setting=name)
        assert gan.n_critic == n_dis
        for optimizer in gan.default_optimizers():
            assert isinstance(optimizer, keras.optimizers.Adam)
            learning_rate = float(keras.ops.convert_to_numpy(optimizer.learning_rate))
            np.testing.assert_allclose(learning_rate, lr, rtol=1e-6)
            assert (optimizer.beta_1, optimizer.beta_2) == (beta_1, beta_2)
    gan = models.SNGAN(*networks, setting="F")
    gan.compile()
    assert (gan.g_optimizer.beta_1, gan.d_optimizer.beta_1) == (0.9, 0.9)
    assert models.SNGAN(*networks, setting="A", n_critic=2).n_critic == 2
    assert reference.setting == "C" and reference.latent_dim == 4
    with pytest.raises(ValueError, match="Unknown SNGAN setting"):
        models.SNGAN(*networks, setting="G")


def test_loss_option_and_spectral_norm_required():
    assert small_sngan().adversarial_loss.name == "non_saturating"
    assert small_sngan(loss="hinge").adversarial_loss.name == "hinge"
    generator = small_sngan().generator
    plain = keras.Sequential([keras.Input((8, 8, 1)), keras.layers.Flatten(), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="SpectralNormalization"):
        models.SNGAN(generator, plain)


def test_config_and_save_reload(tmp_path):
    gan = small_sngan(setting="B", loss="hinge", seed=3)
    clone = models.SNGAN.from_config(gan.get_config())
    assert (clone.setting, clone.filters, clone.n_critic, clone.adversarial_loss.name) == ("B", 2, 1, "hinge")
    assert models.SNGAN.from_config(small_sngan(setting="E").get_config()).n_critic == 5
    gan.compile()
    path = str(tmp_path / "sngan.keras")
    gan.save(path)
    loaded = keras.models.load_model(path)
    assert (loaded.setting, loaded.n_critic) == ("B", 1)
    np.testing.assert_allclose(float(keras.ops.convert_to_numpy(loaded.d_optimizer.learning_rate)), 1e-4)
    np.testing.assert_allclose(loaded.generate(4, seed=1), gan.generate(4, seed=1), rtol=1e-6)
    for a, b in zip(gan.discriminator.non_trainable_weights, loaded.discriminator.non_trainable_weights):
        np.testing.assert_allclose(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b))


# ------------------------------------------------------------------ Fashion-MNIST


@pytest.fixture(scope="module")
def fashion_mnist():
    images = data.load_numpy("fashion_mnist", num_examples=384)
    reference = data.load_numpy("fashion_mnist", split="test", num_examples=1000)
    extractor = metrics.DomainFeatures()
    reference_features = extractor(reference)

    def fid(samples):
        return float(metrics.fid_from_features(reference_features, extractor(samples)))

    noise = np.random.default_rng(0).uniform(-1, 1, (500, 28, 28, 1)).astype("float32")
    return images, fid, fid(noise)


@pytest.mark.slow
def test_trains_on_fashion_mnist(fashion_mnist):
    images, fid, noise_fid = fashion_mnist
    keras.utils.set_random_seed(0)
    gan = models.SNGAN(image_shape=(28, 28, 1), latent_dim=16, filters=8, loss="hinge", seed=0)
    # CI-sized run (120 steps), so larger learning rates than Table 1's.
    gan.compile(
        g_optimizer=keras.optimizers.Adam(2e-3, beta_1=0.0, beta_2=0.9),
        d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.0, beta_2=0.9),
    )
    before = fid(gan.generate(500, seed=1))
    history = gan.fit(images, batch_size=16, epochs=5, verbose=0)
    for name, values in history.history.items():
        assert np.all(np.isfinite(values)), name
    samples = gan.generate(500, seed=1)
    after = fid(samples)
    print(
        f"\n{keras.backend.backend()} SNGAN domain FID: noise {noise_fid:.1f}, "
        f"before {before:.1f}, after {after:.1f}"
    )
    assert after < 0.8 * noise_fid and after < 0.75 * before
    # The average sample looks like the average garment, not like flat noise.
    correlation = np.corrcoef(samples.mean(0).ravel(), images.mean(0).ravel())[0, 1]
    assert correlation > 0.5
