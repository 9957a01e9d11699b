"""SemiSupervisedGAN: the (K+1)-class discriminator's losses, feature matching, labels, learning.

The objectives are checked against NumPy on fixed tiny networks: a linear
generator `G(z) = z A + c` and a discriminator `l(x) = tanh(x W1 + b1) W2 + b2`
whose hidden layer is the feature-matching layer `"features"`.
"""

import keras
import numpy as np
import pytest
from keras import ops

from keras_gans import data
from keras_gans import models
from keras_gans.models.semi_supervised_gan import check_semi_supervised_labels
from keras_gans.terms.semi_supervised_classification import masked_cross_entropy

from testing import run_variant_checks

SemiSupervisedGAN = models.SemiSupervisedGAN
K = 3
LATENT = 2
HIDDEN = 4

_rng = np.random.default_rng(7)
A = _rng.normal(size=(LATENT, 2)).astype("float32")
C = np.array([0.3, -0.2], "float32")
W1 = _rng.normal(size=(2, HIDDEN)).astype("float32")
B1 = (0.1 * _rng.normal(size=HIDDEN)).astype("float32")
W2 = _rng.normal(size=(HIDDEN, K)).astype("float32")
B2 = np.array([0.2, -0.1, 0.05], "float32")
REAL = _rng.normal(size=(12, 2)).astype("float32")
LABELS = np.array([0, -1, 2, -1, -1, 1, -1, 0, -1, -1, 2, -1], "int32")  # 5 labelled, 7 unlabelled


def to_numpy(x):
    return ops.convert_to_numpy(x)


# ------------------------------------------------------------ NumPy references


def softplus(x):
    return np.logaddexp(0.0, x)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def logsumexp(x):
    top = x.max(-1, keepdims=True)
    return (top + np.log(np.exp(x - top).sum(-1, keepdims=True)))[:, 0]


def softmax(x):
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def features(x):
    return np.tanh(x.astype("float64") @ W1 + B1)


def class_logits(x):
    return features(x) @ W2 + B2


def unsupervised_loss(real, fake):
    """-E log D(x) - E log(1 - D(G(z))), D(x) = Z / (Z + 1), Z = sum_k exp l_k(x)."""
    z_real, z_fake = np.exp(class_logits(real)).sum(-1), np.exp(class_logits(fake)).sum(-1)
    return -np.mean(np.log(z_real / (z_real + 1))) - np.mean(np.log(1 / (z_fake + 1)))


def supervised_loss(real, labels):
    """-mean over the labelled rows of log softmax(l(x))_y."""
    rows = labels >= 0
    p = softmax(class_logits(real[rows]))
    return -np.mean(np.log(p[np.arange(rows.sum()), labels[rows]]))


def feature_matching(real, fake):
    return np.sum((features(real).mean(0) - features(fake).mean(0)) ** 2)


# ------------------------------------------------------------ tiny networks


def tiny_networks():
    z = keras.Input((LATENT,), name="z")
    generator = keras.Model(z, keras.layers.Dense(2, name="points")(z), name="generator")
    generator.get_layer("points").set_weights([A, C])
    x = keras.Input((2,), name="images")
    h = keras.layers.Dense(HIDDEN, activation="tanh", name="features")(x)
    discriminator = keras.Model(x, keras.layers.Dense(K, name="class_logits")(h), name="discriminator")
    discriminator.get_layer("features").set_weights([W1, B1])
    discriminator.get_layer("class_logits").set_weights([W2, B2])
    return generator, discriminator


def tiny_gan(**kwargs):
    return SemiSupervisedGAN(*tiny_networks(), num_classes=K, seed=0, **kwargs)


def next_latents(gan, n, draws=1):
    """The latents of the model's next `draws` draws of `n` (its latent stream replayed)."""
    replay = keras.random.SeedGenerator(0)
    replay.state.assign(to_numpy(gan.latent_stream.state))
    return [to_numpy(keras.random.normal((n, LATENT), seed=replay)).astype("float64") for _ in range(draws)]


def logs_of(gan):
    return {k: float(to_numpy(v)) for k, v in gan.get_metrics_result().items()}


# ------------------------------------------------------------ objectives


def test_discriminator_objective_matches_numpy():
    """d_loss: non-saturating loss on logsumexp(l) (the generated class's logit
    fixed at 0); d_classification_loss: cross-entropy on the labelled rows only;
    the loss is their sum with the supervised part times classification_weight."""
    weight = 0.7
    gan = tiny_gan(classification_weight=weight)
    (z,) = next_latents(gan, len(REAL))
    loss, logs = gan.discriminator_objective(REAL, LABELS)
    fake = z @ A + C
    expected_unsupervised = unsupervised_loss(REAL, fake)
    expected_supervised = supervised_loss(REAL, LABELS)
    np.testing.assert_allclose(float(to_numpy(logs["d_loss"])), expected_unsupervised, rtol=1e-5)
    np.testing.assert_allclose(float(to_numpy(logs["d_classification_loss"])), expected_supervised, rtol=1e-5)
    np.testing.assert_allclose(
        float(to_numpy(loss)), expected_unsupervised + weight * expected_supervised, rtol=1e-5
    )
    # The unlabelled rows do not enter the supervised loss, whatever their logits.
    changed = REAL.copy()
    changed[LABELS < 0] += 5.0
    np.testing.assert_allclose(
        float(to_numpy(masked_cross_entropy(class_logits(changed), LABELS))), expected_supervised, rtol=1e-5
    )
    assert float(to_numpy(masked_cross_entropy(class_logits(REAL), np.full(12, -1)))) == 0.0
    _, logs = gan.discriminator_objective(REAL)  # no labels: no supervised loss
    assert float(to_numpy(logs["d_classification_loss"])) == 0.0
    assert [m.name for m in gan.metrics] == ["d_loss", "g_loss", "d_classification_loss"]


def test_discriminator_step_follows_the_numpy_gradient():
    """One fit step with SGD moves the class-logit layer along the gradient of
    d_loss + weight * d_classification_loss, computed by hand."""
    weight, lr, n = 2.0, 0.1, len(REAL)
    gan = tiny_gan(classification_weight=weight)
    gan.compile(
        g_optimizer=keras.optimizers.SGD(0.0), d_optimizer=keras.optimizers.SGD(lr), jit_compile=False
    )
    z, _ = next_latents(gan, n, draws=2)  # draw 0: the critic's fakes
    gan.fit(REAL, LABELS, batch_size=n, epochs=1, shuffle=False, verbose=0)
    fake = z @ A + C
    logs = logs_of(gan)
    np.testing.assert_allclose(logs["d_loss"], unsupervised_loss(REAL, fake), rtol=1e-5)
    np.testing.assert_allclose(logs["d_classification_loss"], supervised_loss(REAL, LABELS), rtol=1e-5)

    lr_real, lr_fake = class_logits(REAL), class_logits(fake)
    # d/dl softplus(-lse(l)) = -sigmoid(-lse) softmax(l); d/dl softplus(lse(l)) = sigmoid(lse) softmax(l).
    grad_real = -sigmoid(-logsumexp(lr_real))[:, None] * softmax(lr_real) / n
    grad_fake = sigmoid(logsumexp(lr_fake))[:, None] * softmax(lr_fake) / n
    labelled = LABELS >= 0
    one_hot = np.eye(K)[np.where(labelled, LABELS, 0)]
    grad_real += weight * labelled[:, None] * (softmax(lr_real) - one_hot) / labelled.sum()
    grad_w2 = features(REAL).T @ grad_real + features(fake).T @ grad_fake
    grad_b2 = grad_real.sum(0) + grad_fake.sum(0)
    kernel, bias = (to_numpy(v) for v in gan.discriminator.get_layer("class_logits").weights)
    np.testing.assert_allclose(kernel, W2 - lr * grad_w2, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bias, B2 - lr * grad_b2, rtol=1e-5, atol=1e-6)


def test_generator_feature_matching_matches_numpy():
    """g_loss: ||mean f(x) - mean f(G(z))||^2 at the layer "features"; one SGD
    step moves the generator along its hand-computed gradient. With
    feature_matching_layer=None it is the non-saturating loss on logsumexp(l)."""
    lr, n = 0.5, len(REAL)
    gan = tiny_gan()
    (z,) = next_latents(gan, n)
    _, logs = gan.generator_objective(REAL, LABELS)
    np.testing.assert_allclose(float(to_numpy(logs["g_loss"])), feature_matching(REAL, z @ A + C), rtol=1e-5)

    gan.compile(
        g_optimizer=keras.optimizers.SGD(lr), d_optimizer=keras.optimizers.SGD(0.0), jit_compile=False
    )
    _, z = next_latents(gan, n, draws=2)  # draw 1: the generator's fakes
    gan.fit(REAL, LABELS, batch_size=n, epochs=1, shuffle=False, verbose=0)
    fake = z @ A + C
    np.testing.assert_allclose(logs_of(gan)["g_loss"], feature_matching(REAL, fake), rtol=1e-5)
    h_fake = features(fake)
    grad_h = -2.0 * (features(REAL).mean(0) - h_fake.mean(0)) / n  # d loss / d f(G(z_i))
    grad_fake = (grad_h * (1.0 - h_fake**2)) @ W1.T
    kernel, bias = (to_numpy(v) for v in gan.generator.get_layer("points").weights)
    np.testing.assert_allclose(kernel, A - lr * (z.T @ grad_fake), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(bias, C - lr * grad_fake.sum(0), rtol=1e-5, atol=1e-6)

    adversarial = tiny_gan(feature_matching_layer=None)
    (z,) = next_latents(adversarial, n)
    _, logs = adversarial.generator_objective(REAL, LABELS)
    expected = np.mean(softplus(-logsumexp(class_logits(z @ A + C))))
    np.testing.assert_allclose(float(to_numpy(logs["g_loss"])), expected, rtol=1e-5)


# ------------------------------------------------------------ labels and arrays


def test_label_checks():
    np.testing.assert_array_equal(check_semi_supervised_labels([0, 2, -1], K, 3), [0, 2, -1])
    out = check_semi_supervised_labels(np.array([[1.0], [-1.0]]), K, 2)
    assert out.dtype == np.int32 and out.tolist() == [1, -1]
    with pytest.raises(ValueError, match=r"in \[0, 3\) or -1 .* labels\[1\] = 3"):
        check_semi_supervised_labels([0, 3], K, 2)
    with pytest.raises(ValueError, match=r"labels\[0\] = -2"):
        check_semi_supervised_labels([-2, 0], K, 2)
    with pytest.raises(ValueError, match=r"integers. Received: labels\[1\] = 0.5"):
        check_semi_supervised_labels([1.0, 0.5], K, 2)
    with pytest.raises(ValueError, match="integers"):
        check_semi_supervised_labels([np.nan, 1.0], K, 2)
    with pytest.raises(ValueError, match="integers"):
        check_semi_supervised_labels(["a", "b"], K, 2)
    with pytest.raises(ValueError, match=r"not one-hot.*shape \(2, 3\)"):
        check_semi_supervised_labels(np.eye(3)[:2], K, 2)
    with pytest.raises(ValueError, match="Got 4 images but 3 labels"):
        check_semi_supervised_labels([0, 1, -1], K, 4)
    with pytest.raises(ValueError, match="Every one of the 3 labels is -1"):
        check_semi_supervised_labels([-1, -1, -1], K, 3)
    np.testing.assert_array_equal(
        check_semi_supervised_labels([-1, -1], K, 2, require_labelled=False), [-1, -1]
    )


def test_fit_rejects_bad_labels():
    import tensorflow as tf

    gan = tiny_gan()
    gan.compile(jit_compile=False)
    with pytest.raises(ValueError, match=r"labels\[2\] = 3"):
        gan.fit(REAL, np.where(np.arange(12) == 2, 3, LABELS), batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="pass the labels"):
        gan.fit(REAL, batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="Every one of the 12 labels is -1"):
        gan.fit(REAL, np.full(12, -1), batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="Got 12 images but 11 labels"):
        gan.fit(REAL, LABELS[:11], batch_size=4, verbose=0)
    one_hot = tf.data.Dataset.from_tensor_slices((REAL, np.eye(K)[np.maximum(LABELS, 0)])).batch(4)
    with pytest.raises(ValueError, match=r"not one-hot.*shape \(4, 3\)"):
        gan.fit(one_hot, verbose=0)
    unlabelled = tf.data.Dataset.from_tensor_slices(REAL).batch(4)
    with pytest.raises(ValueError, match=r"must yield \(images, labels\)"):
        gan.fit(unlabelled, verbose=0)
    # A bad label in a later batch of a dataset stops training with a ValueError.
    late = np.where(np.arange(12) == 9, 5, LABELS)
    dataset = tf.data.Dataset.from_tensor_slices((REAL, late)).batch(4)
    with pytest.raises(
        ValueError,
        match="Bad training data: semi-supervised labels must be integers from -1 .unlabelled. to 2; batch 2",
    ):
        gan.fit(dataset, epochs=1, verbose=0)


def test_semi_supervised_arrays():
    labelled = np.arange(2 * 3, dtype="float32").reshape(2, 3) + 100
    unlabelled = np.arange(3 * 3, dtype="float32").reshape(3, 3)
    images, labels = SemiSupervisedGAN.semi_supervised_arrays(labelled, [2, 0], unlabelled, repeat_labelled=2)
    np.testing.assert_array_equal(images, np.concatenate([unlabelled, labelled, labelled]))
    assert labels.dtype == np.int32 and labels.tolist() == [-1, -1, -1, 2, 0, 2, 0]
    np.testing.assert_array_equal(check_semi_supervised_labels(labels, K, len(images)), labels)
    _, labels = SemiSupervisedGAN.semi_supervised_arrays(labelled, np.array([[1], [0]]), unlabelled)
    assert labels.tolist() == [-1, -1, -1, 1, 0]

    for repeat in (0, True, 1.5):
        with pytest.raises(ValueError, match="`repeat_labelled` must be an integer >= 1"):
            SemiSupervisedGAN.semi_supervised_arrays(labelled, [2, 0], unlabelled, repeat_labelled=repeat)
    with pytest.raises(ValueError, match=r"Got 2 labelled images.*shape \(3,\)"):
        SemiSupervisedGAN.semi_supervised_arrays(labelled, [2, 0, 1], unlabelled)
    with pytest.raises(ValueError, match=r"not one-hot.*shape \(2, 3\)"):
        SemiSupervisedGAN.semi_supervised_arrays(labelled, np.eye(3)[:2], unlabelled)
    with pytest.raises(ValueError, match=r"must be >= 0.*labels\[1\] = -1"):
        SemiSupervisedGAN.semi_supervised_arrays(labelled, [2, -1], unlabelled)
    with pytest.raises(ValueError, match=r"integers. Received: labels\[0\] = 1.5"):
        SemiSupervisedGAN.semi_supervised_arrays(labelled, [1.5, 0.0], unlabelled)
    with pytest.raises(ValueError, match="same shape per image"):
        SemiSupervisedGAN.semi_supervised_arrays(labelled, [2, 0], unlabelled[:, :2])
    with pytest.raises(ValueError, match="at least one labelled image"):
        SemiSupervisedGAN.semi_supervised_arrays(labelled[:0], [], unlabelled)


def test_constructor_checks():
    for bad in (None, 1, True, 2.0):
        with pytest.raises(ValueError, match="integer >= 2"):
            SemiSupervisedGAN(*tiny_networks(), num_classes=bad)
    with pytest.raises(ValueError, match="classification_weight"):
        SemiSupervisedGAN(*tiny_networks(), num_classes=K, classification_weight=-1.0)
    with pytest.raises(ValueError, match="dropout"):
        SemiSupervisedGAN(num_classes=K, image_shape=(2,), dropout=1.0)
    with pytest.raises(ValueError, match="packing"):
        SemiSupervisedGAN(num_classes=K, image_shape=(2,), packing=2)
    with pytest.raises(ValueError, match=r"logits of shape \(batch, 4\)"):
        SemiSupervisedGAN(*tiny_networks(), num_classes=4)


# ------------------------------------------------------------ standard checks


POINTS = np.random.default_rng(0).normal(size=(32, 2)).astype("float32")
POINT_LABELS = np.where(np.arange(32) % 4 == 0, np.arange(32) % K, -1).astype("int32")


def test_standard_variant_checks():
    """Config round trip, save/load (optimizer step kept, fit continues), jit,
    mixed precision, with the default networks for 2D points."""

    def build():
        return SemiSupervisedGAN(
            num_classes=K, image_shape=(2,), latent_dim=2, discriminator_filters=2, dropout=0.25, seed=0
        )

    gan = run_variant_checks(build, (POINTS, POINT_LABELS), batch_size=8)
    config = gan.get_config()
    assert (config["num_classes"], config["discriminator_filters"], config["dropout"]) == (K, 2, 0.25)
    assert config["feature_matching_layer"] == "features"


def test_image_networks_save_reload_and_classify(tmp_path):
    """Default DCGAN-style networks on 8x8 images: one step, then the reloaded
    model classifies exactly as the trained one."""
    rng = np.random.default_rng(1)
    images = rng.uniform(-1, 1, (16, 8, 8, 1)).astype("float32")
    labels = np.where(np.arange(16) < 6, np.arange(16) % 4, -1)
    gan = SemiSupervisedGAN(
        num_classes=4, image_shape=(8, 8, 1), latent_dim=4, discriminator_filters=4, seed=1
    )
    gan.compile()
    history = gan.fit(images, labels, batch_size=8, epochs=1, verbose=0)
    assert all(np.isfinite(v).all() for v in history.history.values())
    probabilities = gan.class_probabilities(images, batch_size=5)
    assert probabilities.shape == (16, 4) and probabilities.dtype == np.float32
    np.testing.assert_allclose(probabilities.sum(-1), 1.0, rtol=1e-5)
    predicted = gan.classify(images)
    assert predicted.dtype == np.int32 and predicted.tolist() == probabilities.argmax(-1).tolist()
    with pytest.raises(ValueError, match=r"classifies images of shape \(8, 8, 1\)"):
        gan.classify(images[:, :4])
    path = str(tmp_path / "sgan.keras")
    gan.save(path)
    loaded = keras.models.load_model(path)
    assert type(loaded) is SemiSupervisedGAN
    assert (loaded.num_real_classes, loaded.classification_weight, loaded.num_classes) == (4, 1.0, None)
    np.testing.assert_allclose(loaded.class_probabilities(images), probabilities, rtol=1e-5, atol=1e-6)


def test_a_resumed_run_continues_exactly(tmp_path):
    """Two epochs in one go equal one epoch, save, load, one more: data order,
    the discriminator's dropout and every stream are restored."""

    def build():
        gan = SemiSupervisedGAN(
            num_classes=K, image_shape=(2,), latent_dim=2, discriminator_filters=2, seed=3
        )
        gan.compile(
            g_optimizer=keras.optimizers.Adam(1e-2),
            d_optimizer=keras.optimizers.Adam(1e-2),
            jit_compile=False,
        )
        return gan

    straight, first = build(), build()
    first.set_weights(straight.get_weights())
    straight.fit(POINTS, POINT_LABELS, batch_size=8, epochs=2, verbose=0)
    first.fit(POINTS, POINT_LABELS, batch_size=8, epochs=1, verbose=0)
    path = str(tmp_path / "run.keras")
    first.save(path)
    resumed = keras.models.load_model(path)
    resumed.fit(POINTS, POINT_LABELS, batch_size=8, epochs=2, initial_epoch=1, verbose=0)
    for a, b in zip(straight.weights, resumed.weights):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), rtol=1e-5, atol=1e-6, err_msg=a.path)


# ------------------------------------------------------------ learning


def test_learns_the_ring_classes_from_few_labels():
    """8 modes of the ring, 2 labels per mode among 1,024 points: after a short
    fit, classify() is right on nearly all held-out points (chance: 1/8)."""
    points, modes = data.mixture("ring", 1024, seed=0, with_labels=True)
    test_points, test_modes = data.mixture("ring", 512, seed=1, with_labels=True)
    first_two = np.concatenate([np.flatnonzero(modes == k)[:2] for k in range(8)])
    x, y = SemiSupervisedGAN.semi_supervised_arrays(
        points[first_two], modes[first_two], np.delete(points, first_two, axis=0), repeat_labelled=8
    )
    gan = SemiSupervisedGAN(
        num_classes=8, image_shape=(2,), latent_dim=4, discriminator_filters=8, dropout=0.25, seed=0
    )
    gan.compile(g_optimizer=keras.optimizers.Adam(1e-3), d_optimizer=keras.optimizers.Adam(1e-2))
    assert np.mean(gan.classify(test_points) == test_modes) < 0.5
    gan.fit(x, y, batch_size=64, epochs=6, verbose=0)
    accuracy = np.mean(gan.classify(test_points) == test_modes)
    print(f"\n{keras.backend.backend()} SemiSupervisedGAN ring accuracy: {accuracy:.3f}")
    assert accuracy > 0.9
