"""SAGAN: spectral norm and self-attention in both networks, hinge loss, TTUR."""

import keras
import numpy as np
import pytest

from keras_gans import models
from keras_gans.layers import SelfAttention
from keras_gans.networks.sngan import has_spectral_normalization
from keras_gans.networks.sngan import sngan_discriminator
from keras_gans.networks.sngan import sngan_generator


def attention_sides(model):
    return [tuple(layer.output.shape[1:3]) for layer in model.layers if isinstance(layer, SelfAttention)]


def test_paper_defaults():
    gan = models.SAGAN(image_shape=(16, 16, 1), latent_dim=4, filters=2)
    gan.compile()
    assert gan.adversarial_loss.name == "hinge" and gan.n_critic == 1
    for optimizer, lr in ((gan.g_optimizer, 1e-4), (gan.d_optimizer, 4e-4)):
        assert isinstance(optimizer, keras.optimizers.Adam)
        np.testing.assert_allclose(float(keras.ops.convert_to_numpy(optimizer.learning_rate)), lr, rtol=1e-6)
        assert (optimizer.beta_1, optimizer.beta_2) == (0.0, 0.9)
    assert has_spectral_normalization(gan.generator) and has_spectral_normalization(gan.discriminator)
    assert attention_sides(gan.generator) == [(8, 8)] and attention_sides(gan.discriminator) == [(8, 8)]
    other = models.SAGAN(image_shape=(16, 16, 1), latent_dim=4, filters=2, attention_resolution=4)
    assert attention_sides(other.generator) == [(4, 4)] and attention_sides(other.discriminator) == [(4, 4)]
    gamma = [layer.gamma for layer in other.generator.layers if isinstance(layer, SelfAttention)][0]
    assert float(keras.ops.convert_to_numpy(gamma)) == 0.0


def test_networks_must_be_spectrally_normalized():
    plain_g = sngan_generator(4, (16, 16, 1), filters=2)
    with pytest.raises(ValueError, match="SAGAN needs a generator with SpectralNormalization"):
        models.SAGAN(plain_g, sngan_discriminator((16, 16, 1), filters=2))
    with pytest.raises(ValueError, match="choose one of"):
        models.SAGAN(image_shape=(16, 16, 1), filters=2, attention_resolution=5)


def test_config_round_trip():
    gan = models.SAGAN(
        image_shape=(16, 16, 1), latent_dim=4, filters=2, attention_resolution=4, ema_decay=0.99
    )
    clone = models.SAGAN.from_config(gan.get_config())
    assert (clone.attention_resolution, clone.filters, clone.ema_decay, clone.latent_dim) == (4, 2, 0.99, 4)
    assert attention_sides(clone.generator) == [(4, 4)]


@pytest.mark.slow
def test_trains_on_fashion_mnist(fashion_mnist_check):
    keras.utils.set_random_seed(0)
    gan = models.SAGAN(image_shape=(28, 28, 1), latent_dim=16, filters=8, attention_resolution=7, seed=0)
    # CI-sized run (120 steps), so larger learning rates than the paper's 1e-4 / 4e-4.
    fashion_mnist_check(
        gan,
        keras.optimizers.Adam(2e-3, beta_1=0.0, beta_2=0.9),
        keras.optimizers.Adam(5e-4, beta_1=0.0, beta_2=0.9),
    )
