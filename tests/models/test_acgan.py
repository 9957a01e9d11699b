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


POINTS = np.array([[1.0, 0.0], [-0.5, 1.5], [0.3, -1.2]], "float32")  # the fake of class k is POINTS[k]


def networks(w, b, c, points=POINTS):
    body = keras.Sequential([keras.Input((LATENT + K,)), keras.layers.Dense(2)])
    # z has weight 0; the one-hot label picks a class point.
    body.layers[-1].set_weights(
        [np.concatenate([np.zeros((LATENT, 2)), points]).astype("float32"), np.zeros(2, "float32")]
    )
    generator = conditional_generator(body, K, LATENT)
    features = keras.Sequential([keras.Input((2,)), keras.layers.Identity()], name="phi")
    discriminator = auxiliary_classifier_discriminator(features, K)
    discriminator.get_layer("source").set_weights([w, b])
    discriminator.get_layer("classes").set_weights([c, np.zeros(K, "float32")])
    return generator, discriminator


def fake_labels_of_step(gan, n, draw):
    """The labels the `draw`-th fake batch of the next step is generated for: the
    model's label stream replayed from its current state."""
    replay = keras.random.SeedGenerator(0)
    replay.state.assign(to_numpy(gan.label_stream.state))
    for _ in range(draw + 1):
        labels = to_numpy(keras.random.randint((n, 1), 0, K, seed=replay, dtype="int32"))[:, 0]
    return labels


def cross_entropy(logits, labels):
    return -np.mean(log_softmax(logits)[np.arange(len(labels)), labels])


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
    fake_labels = fake_labels_of_step(gan, 40, draw=0)
    assert len(set(fake_labels)) == K
    gan.fit(real, labels, batch_size=40, epochs=1, shuffle=False, verbose=0)
    logs = {k: float(to_numpy(v)) for k, v in gan.get_metrics_result().items()}
    fakes = POINTS[fake_labels]
    np.testing.assert_allclose(
        logs["d_classification_loss"],
        cross_entropy(real @ c, labels) + cross_entropy(fakes @ c, fake_labels),
        rtol=1e-5,
    )
    r, f = real @ w[:, 0] + b[0], fakes @ w[:, 0] + b[0]
    np.testing.assert_allclose(logs["d_loss"], np.mean(softplus(-r)) + np.mean(softplus(f)), rtol=1e-5)

    def grad_c(x, y):
        return x.T @ (np.exp(log_softmax(x @ c)) - np.eye(K)[y]) / len(y)

    expected = c - lr * weight * (grad_c(real, labels) + grad_c(fakes, fake_labels))
    np.testing.assert_allclose(
        to_numpy(gan.discriminator.get_layer("classes").kernel), expected, rtol=1e-5, atol=1e-6
    )
    names = [m.name for m in gan.metrics]
    assert names == ["d_loss", "g_loss", "d_classification_loss", "g_classification_loss"]


def test_generator_classification_loss_and_the_generator_class_gradient():
    """The generator is pushed to make each fake recognizable as ITS label: the
    class point P_k moves along the gradient of the adversarial loss plus
    weight * CE(D_class(P_k), k), for the labels the step drew."""
    w = np.array([[1.0], [-0.5]], "float32")
    b = np.array([0.2], "float32")
    c = np.random.default_rng(1).normal(size=(2, K)).astype("float32")
    weight, lr, n = 2.0, 0.3, 24
    gan = models.ACGAN(*networks(w, b, c), num_classes=K, classification_weight=weight, seed=0)
    gan.compile(
        g_optimizer=keras.optimizers.SGD(lr), d_optimizer=keras.optimizers.SGD(0.0), jit_compile=False
    )
    fake_labels = fake_labels_of_step(gan, n, draw=1)  # draw 0: the critic's fakes
    gan.fit(np.ones((n, 2), "float32"), np.zeros(n, "int32"), batch_size=n, epochs=1, verbose=0)
    logs = {k: float(to_numpy(v)) for k, v in gan.get_metrics_result().items()}
    fakes = POINTS[fake_labels].astype("float64")
    s = fakes @ w[:, 0] + b[0]
    np.testing.assert_allclose(
        logs["g_classification_loss"], cross_entropy(fakes @ c, fake_labels), rtol=1e-5
    )
    np.testing.assert_allclose(logs["g_loss"], np.mean(softplus(-s)), rtol=1e-5)
    per_sample = (
        -(1 - 1 / (1 + np.exp(-s)))[:, None] * w[:, 0]
        + weight * (np.exp(log_softmax(fakes @ c)) - np.eye(K)[fake_labels]) @ c.T
    ) / n
    grad_points = np.zeros_like(POINTS, dtype="float64")
    np.add.at(grad_points, fake_labels, per_sample)
    body = next(layer for layer in gan.generator.layers if isinstance(layer, keras.Sequential))
    learned = to_numpy(body.layers[-1].kernel)[LATENT:]
    np.testing.assert_allclose(learned, POINTS - lr * grad_points, rtol=1e-5, atol=1e-6)


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
