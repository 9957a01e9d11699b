"""ACGAN: the auxiliary classification losses reach both networks."""

import keras
import numpy as np
import pytest
from keras import ops

from keras_gans import models
from keras_gans.networks.conditional import auxiliary_classifier_discriminator
from keras_gans.networks.conditional import conditional_generator

K = 3
LATENT = 2


def to_numpy(x):
    return ops.convert_to_numpy(x)


def softplus(x):
    return np.logaddexp(0.0, x)


def log_softmax(x):
    shifted = x - x.max(-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), -1, keepdims=True))


def networks(w, b, c):
    g_body = keras.Sequential([keras.Input((LATENT + K,)), keras.layers.Dense(2, kernel_initializer="zeros")])
    generator = conditional_generator(g_body, K, LATENT)  # every fake is the origin
    features = keras.Sequential([keras.Input((2,)), keras.layers.Identity()], name="phi")
    discriminator = auxiliary_classifier_discriminator(features, K)
    discriminator.get_layer("source").set_weights([w, b])
    discriminator.get_layer("classes").set_weights([c, np.zeros(K, "float32")])
    return generator, discriminator


def test_classification_losses_and_their_gradient():
    rng = np.random.default_rng(0)
    w = np.array([[1.0], [-0.5]], "float32")
    b = np.array([0.2], "float32")
    c = rng.normal(size=(2, K)).astype("float32")
    real = rng.normal(size=(40, 2)).astype("float32")
    labels = rng.integers(0, K, 40).astype("int32")
    lr, weight = 0.1, 0.7
    gan = models.ACGAN(*networks(w, b, c), num_classes=K, classification_weight=weight, seed=0)
    gan.compile(
        g_optimizer=keras.optimizers.SGD(0.0), d_optimizer=keras.optimizers.SGD(lr), jit_compile=False
    )
    gan.fit(real, labels, batch_size=40, epochs=1, shuffle=False, verbose=0)
    logs = {k: float(to_numpy(v)) for k, v in gan.get_metrics_result().items()}
    r = real @ w[:, 0] + b[0]
    logits = real @ c
    ce_real = -np.mean(log_softmax(logits)[np.arange(40), labels])
    # Fakes sit at the origin: uniform class logits, cross-entropy log K whatever the label.
    np.testing.assert_allclose(logs["d_classification_loss"], ce_real + np.log(K), rtol=1e-5)
    np.testing.assert_allclose(logs["d_loss"], np.mean(softplus(-r)) + softplus(b[0]), rtol=1e-5)
    probabilities = np.exp(log_softmax(logits))
    onehot = np.eye(K)[labels]
    grad_c = weight * real.T @ (probabilities - onehot) / 40  # fakes (x = 0) add nothing
    np.testing.assert_allclose(
        to_numpy(gan.discriminator.get_layer("classes").kernel), c - lr * grad_c, rtol=1e-5, atol=1e-6
    )
    names = [m.name for m in gan.metrics]
    assert names == ["d_loss", "g_loss", "d_classification_loss", "g_classification_loss"]


def test_generator_classification_loss():
    w = np.array([[1.0], [-0.5]], "float32")
    b = np.array([0.2], "float32")
    c = np.random.default_rng(1).normal(size=(2, K)).astype("float32")
    gan = models.ACGAN(*networks(w, b, c), num_classes=K, classification_weight=2.0, seed=0)
    gan.compile(
        g_optimizer=keras.optimizers.SGD(0.0), d_optimizer=keras.optimizers.SGD(0.0), jit_compile=False
    )
    real = np.ones((8, 2), "float32")
    gan.fit(real, np.zeros(8, "int32"), batch_size=8, epochs=1, verbose=0)
    logs = {k: float(to_numpy(v)) for k, v in gan.get_metrics_result().items()}
    # Fakes at the origin: uniform class logits, source logit b.
    np.testing.assert_allclose(logs["g_classification_loss"], np.log(K), rtol=1e-5)
    np.testing.assert_allclose(logs["g_loss"], softplus(-b[0]), rtol=1e-5)


def test_discriminator_must_have_two_heads():
    generator, _ = networks(np.ones((2, 1), "float32"), np.zeros(1, "float32"), np.ones((2, K), "float32"))
    plain = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="source logits"):
        models.ACGAN(generator, plain, num_classes=K)


def test_default_networks_train_and_save_reload(tmp_path):
    gan = models.ACGAN(num_classes=4, image_shape=(8, 8, 1), latent_dim=6, seed=1, ema_decay=0.9)
    gan.compile()
    images = np.random.default_rng(0).uniform(-1, 1, (16, 8, 8, 1)).astype("float32")
    history = gan.fit(images, np.arange(16) % 4, batch_size=8, epochs=1, verbose=0)
    assert all(np.isfinite(v).all() for v in history.history.values())
    path = str(tmp_path / "acgan.keras")
    gan.save(path)
    loaded = keras.models.load_model(path)
    assert (loaded.num_classes, loaded.classification_weight) == (4, 1.0)
    np.testing.assert_allclose(
        loaded.generate(3, labels=1, seed=0), gan.generate(3, labels=1, seed=0), rtol=1e-6
    )
