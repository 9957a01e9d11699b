"""SNGAN: Table 1 settings, a spectrally normalized discriminator, Fashion-MNIST training."""

import keras
import numpy as np
import pytest

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


@pytest.mark.slow
def test_trains_on_fashion_mnist(fashion_mnist_check):
    keras.utils.set_random_seed(0)
    gan = models.SNGAN(image_shape=(28, 28, 1), latent_dim=16, filters=8, loss="hinge", seed=0)
    # CI-sized run (120 steps), so larger learning rates than Table 1's.
    fashion_mnist_check(
        gan,
        keras.optimizers.Adam(2e-3, beta_1=0.0, beta_2=0.9),
        keras.optimizers.Adam(1e-3, beta_1=0.0, beta_2=0.9),
    )
