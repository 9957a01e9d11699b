"""Training tricks of AdversarialModel: each changes exactly what it claims.

Most checks use linear networks (D(x) = w.x + b) and constant generators, whose
losses and gradients are computed in NumPy, and one full-batch SGD step.
"""

import keras
import numpy as np
import pytest
from keras import ops

from keras_gans import models
from keras_gans import terms
from keras_gans.terms.packing import pack_samples
from tests.reference_critic import input_gradient_numpy
from tests.reference_critic import tanh_critic
from tests.reference_critic import weights64


def to_numpy(x):
    return ops.convert_to_numpy(x)


def softplus(x):
    return np.logaddexp(0.0, x)


def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def linear(input_dim, output_dim, kernel, bias, name=None):
    layer = keras.layers.Dense(output_dim, name=name)
    model = keras.Sequential([keras.Input((input_dim,)), layer])
    layer.set_weights([np.asarray(kernel, "float32"), np.asarray(bias, "float32")])
    return model


W = np.array([[3.0], [-4.0]], "float32")  # |w| = 5
B = np.array([0.5], "float32")
FAKE = np.array([0.25, -0.75], "float32")


def constant_generator(point=FAKE, latent_dim=3):
    return linear(latent_dim, len(point), np.zeros((latent_dim, len(point))), point)


def real_points(n=64, seed=0):
    return np.random.default_rng(seed).normal(size=(n, 2)).astype("float32")


def one_step(gan, real, d_lr=0.0, g_lr=0.0, steps=1):
    # Eager steps (no XLA): one or two steps of tiny models are checked here;
    # the jit path is covered by test_stateful_tricks_save_reload_and_jit.
    if not gan.compiled:
        gan.compile(
            g_optimizer=keras.optimizers.SGD(g_lr), d_optimizer=keras.optimizers.SGD(d_lr), jit_compile=False
        )
    for _ in range(steps):
        gan.fit(real, batch_size=len(real), epochs=1, shuffle=False, verbose=0)
    return {k: float(to_numpy(v)) for k, v in gan.get_metrics_result().items()}


def d_kernel(gan):
    return to_numpy(gan.discriminator.layers[-1].kernel)


# ------------------------------------------------------------ label smoothing and noisy labels


def test_one_sided_label_smoothing_reaches_loss_and_gradient():
    real = real_points()
    gan = models.GAN(constant_generator(), linear(2, 1, W, B), label_smoothing=0.1)
    logs = one_step(gan, real, d_lr=0.1)
    r = real @ W[:, 0] + B[0]
    f = FAKE @ W[:, 0] + B[0]
    expected = np.mean(softplus(r) - 0.9 * r) + softplus(f)
    np.testing.assert_allclose(logs["d_loss"], expected, rtol=1e-5)
    grad_w = ((sigmoid(r) - 0.9)[:, None] * real).mean(0) + sigmoid(f) * FAKE
    np.testing.assert_allclose(d_kernel(gan)[:, 0], W[:, 0] - 0.1 * grad_w, rtol=1e-5, atol=1e-6)


def test_flipped_labels_swap_targets():
    real = real_points()
    gan = models.GAN(
        constant_generator(), linear(2, 1, W, B), label_smoothing=0.2, label_flip_probability=1.0
    )
    logs = one_step(gan, real)
    r = real @ W[:, 0] + B[0]
    f = FAKE @ W[:, 0] + B[0]
    # Every real sample gets the fake target 0, every fake the real target 0.8.
    expected = np.mean(softplus(r)) + softplus(f) - 0.8 * f
    np.testing.assert_allclose(logs["d_loss"], expected, rtol=1e-5)


def test_flip_probability_is_the_fraction_of_flipped_targets():
    class Logits:  # the step tensors the targets are shaped like
        real_logits = fake_logits = ops.zeros((20_000, 1))

    smoothing, flips = terms.LabelSmoothing(0.1), terms.LabelFlips(0.3, seed=7)
    real_target, fake_target = smoothing.adjust_targets(1.0, 0.0, Logits())
    assert (real_target, fake_target) == (0.9, 0.0)
    real_target, fake_target = flips.adjust_targets(real_target, fake_target, Logits())
    real_target, fake_target = to_numpy(real_target), to_numpy(fake_target)
    assert real_target.shape == fake_target.shape == (20_000, 1)
    np.testing.assert_allclose(np.unique(real_target), [0.0, 0.9], rtol=1e-6)
    np.testing.assert_allclose(np.unique(fake_target), [0.0, 0.9], rtol=1e-6)
    assert np.mean((real_target == 0.0) == (fake_target > 0.0)) < 0.8  # independent draws
    np.testing.assert_allclose(np.mean(real_target == 0.0), 0.3, atol=0.015)
    np.testing.assert_allclose(np.mean(fake_target > 0.0), 0.3, atol=0.015)


@pytest.mark.parametrize("option", [{"label_smoothing": 0.1}, {"label_flip_probability": 0.1}])
def test_target_tricks_need_a_loss_with_targets(option):
    with pytest.raises(ValueError, match="has none"):
        models.GAN(constant_generator(), linear(2, 1, W, B), loss="hinge", **option)
    with pytest.raises(ValueError, match="has none"):
        models.WGANGP(constant_generator(), linear(2, 1, W, B), **option)


# ------------------------------------------------------------------------ instance noise


def test_instance_noise_reaches_the_discriminator_and_decays():
    real = np.zeros((4096, 2), "float32")
    fake = np.zeros(2, "float32")
    w = np.array([[0.6], [-0.8]], "float32")  # |w| = 1
    gan = models.LSGAN(
        constant_generator(fake), linear(2, 1, w, [0.0]), instance_noise=0.5, instance_noise_decay_steps=10
    )
    logs = one_step(gan, real)
    # LSGAN on D(x + n), n ~ N(0, s^2): E[(w.n - 1)^2] / 2 + E[(w.n)^2] / 2 = 0.5 + s^2 |w|^2
    np.testing.assert_allclose(logs["d_loss"], 0.5 + 0.25, atol=0.05)
    noise = gan.get_layer("instance_noise")
    # The standard deviation follows the model's train step counter.
    assert int(to_numpy(gan.optimizer.iterations)) == 1
    np.testing.assert_allclose(
        float(to_numpy(noise.current_stddev(gan.train_iteration()))), 0.5 * (1 - 1 / 10), rtol=1e-6
    )
    one_step(gan, real[:64], steps=3)
    np.testing.assert_allclose(
        float(to_numpy(noise.current_stddev(gan.train_iteration()))), 0.5 * (1 - 4 / 10), rtol=1e-6
    )
    noisy = noise.view(ops.zeros((20_000, 2)), gan, training=True)
    np.testing.assert_allclose(np.std(to_numpy(noisy)), 0.5 * (1 - 4 / 10), rtol=0.03)
    clean = noise.view(ops.ones((4, 2)), gan, training=False)
    np.testing.assert_array_equal(to_numpy(clean), np.ones((4, 2)))


# ---------------------------------------------------------------------- feature matching


def feature_discriminator(a, c):
    inputs = keras.Input((2,))
    features = keras.layers.Dense(3, name="features")(inputs)
    logits = keras.layers.Dense(1, name="logits")(keras.layers.ReLU()(features))
    model = keras.Model(inputs, logits)
    model.get_layer("features").set_weights([np.asarray(a, "float32"), np.asarray(c, "float32")])
    return model


def test_feature_matching_generator_loss_and_gradient():
    rng = np.random.default_rng(1)
    a = rng.normal(size=(2, 3)).astype("float32")
    c = rng.normal(size=3).astype("float32")
    real = real_points() + 1.0
    gan = models.GAN(constant_generator(), feature_discriminator(a, c), feature_matching_layer="features")
    logs = one_step(gan, real, g_lr=0.05)
    gap = real.mean(0) - FAKE
    np.testing.assert_allclose(logs["g_loss"], np.sum((gap @ a) ** 2), rtol=1e-5)
    # d/dp ||(m - p) A||^2 = -2 A A^T (m - p): the generator's bias moves towards the mean.
    grad = -2.0 * a @ (a.T @ gap)
    np.testing.assert_allclose(to_numpy(gan.generator.layers[-1].bias), FAKE - 0.05 * grad, rtol=1e-5)


def test_feature_matching_layer_must_exist():
    with pytest.raises(ValueError, match="not a layer of the discriminator"):
        discriminator = feature_discriminator(np.ones((2, 3)), np.zeros(3))
        models.GAN(constant_generator(), discriminator, feature_matching_layer="nope")


# ------------------------------------------------- historical averaging and weight decay


def test_historical_averaging_pulls_towards_the_running_mean():
    real = real_points()
    lr, weight = 0.1, 0.5

    def make(**kwargs):
        g = linear(3, 2, np.full((3, 2), 0.1), FAKE)
        return models.GAN(g, linear(2, 1, W, B), seed=3, **kwargs)

    plain, averaged = make(), make(historical_averaging=weight)
    theta = [np.concatenate([W[:, 0], B])]
    for gan in (plain, averaged):
        one_step(gan, real, d_lr=lr, g_lr=lr)

    def d_weights(gan):
        return np.concatenate([d_kernel(gan)[:, 0], to_numpy(gan.discriminator.layers[-1].bias)])

    # Step 1: the history holds only theta_0, the penalty is 0.
    np.testing.assert_allclose(d_weights(averaged), d_weights(plain), rtol=1e-6)
    theta.append(d_weights(averaged))
    for gan in (plain, averaged):
        one_step(gan, real, d_lr=lr, g_lr=lr)
    # Step 2: extra gradient 2 * weight * (theta_1 - (theta_0 + theta_1) / 2).
    extra = weight * (theta[1] - theta[0])
    np.testing.assert_allclose(d_weights(averaged) - d_weights(plain), -lr * extra, rtol=1e-4, atol=1e-7)
    theta.append(d_weights(averaged))
    history = averaged.get_layer("discriminator_historical_averaging")
    assert float(to_numpy(history.count)) == 3.0
    means = np.concatenate([to_numpy(history.means[0])[:, 0], to_numpy(history.means[1])])
    np.testing.assert_allclose(means, np.mean(theta, axis=0), rtol=1e-5)


def test_weight_decay_shrinks_kernels_not_biases():
    real = real_points()
    lr, decay = 0.1, 0.2
    plain = models.GAN(constant_generator(), linear(2, 1, W, B), seed=1)
    decayed = models.GAN(constant_generator(), linear(2, 1, W, B), seed=1, weight_decay=decay)
    for gan in (plain, decayed):
        one_step(gan, real, d_lr=lr)
    np.testing.assert_allclose(d_kernel(decayed) - d_kernel(plain), -lr * 2 * decay * W, rtol=1e-4)
    np.testing.assert_allclose(
        to_numpy(decayed.discriminator.layers[-1].bias),
        to_numpy(plain.discriminator.layers[-1].bias),
        rtol=1e-6,
    )


# ------------------------------------------------------------------------- generator EMA


def test_generator_ema_is_the_running_average_and_is_sampled():
    real = real_points()
    decay, lr = 0.8, 0.5
    g = linear(3, 2, np.random.default_rng(0).normal(size=(3, 2)), FAKE)
    gan = models.GAN(g, linear(2, 1, W, B), seed=0, ema_decay=decay)
    gan.compile(g_optimizer=keras.optimizers.SGD(lr), d_optimizer=keras.optimizers.SGD(lr), jit_compile=False)
    weights = [[to_numpy(v) for v in gan.generator.weights]]
    for _ in range(3):
        gan.fit(real, batch_size=len(real), epochs=1, shuffle=False, verbose=0)
        weights.append([to_numpy(v) for v in gan.generator.weights])
    average = [w.copy() for w in weights[0]]
    for step in weights[1:]:
        average = [decay * a + (1 - decay) * w for a, w in zip(average, step)]
    for got, want in zip(gan.get_layer("generator_ema").average.weights, average):
        np.testing.assert_allclose(to_numpy(got), want, rtol=1e-5, atol=1e-6)
    assert not np.allclose(average[0], weights[-1][0])
    z = to_numpy(keras.random.normal((5, 3), seed=4))
    np.testing.assert_allclose(gan.generate(5, seed=4), z @ average[0] + average[1], rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="ema_decay"):
        models.GAN(constant_generator(), linear(2, 1, W, B), ema_decay=1.0)


# ------------------------------------------------------------------------------- packing


def test_pack_samples_matches_numpy():
    images = np.random.default_rng(0).normal(size=(7, 4, 4, 3)).astype("float32")
    packed = to_numpy(pack_samples(ops.convert_to_tensor(images), 2))
    # Sample j of each group fills channels j*C .. (j+1)*C - 1; the odd one out is dropped.
    expected = np.concatenate([images[0:6:2], images[1:6:2]], axis=-1)
    np.testing.assert_array_equal(packed, expected)
    flat = np.arange(12, dtype="float32").reshape(6, 2)
    np.testing.assert_array_equal(to_numpy(pack_samples(ops.convert_to_tensor(flat), 3)), flat.reshape(2, 6))


def test_packed_discriminator_sees_m_times_the_channels():
    gan = models.GAN(image_shape=(8, 8, 1), latent_dim=8, packing=3)
    assert tuple(gan.discriminator.input_shape) == (None, 8, 8, 3)
    assert gan.image_shape == (8, 8, 1) and gan.generate(2, seed=0).shape == (2, 8, 8, 1)
    with pytest.raises(ValueError, match="does not match the discriminator"):
        models.GAN(constant_generator(), linear(2, 1, W, B), packing=2)


def test_packed_discriminator_loss_matches_numpy():
    real = real_points(8)
    w = np.array([[1.0], [-2.0], [0.5], [0.25]], "float32")
    gan = models.GAN(constant_generator(), linear(4, 1, w, B), packing=2)
    logs = one_step(gan, real)
    r = real.reshape(4, 4) @ w[:, 0] + B[0]
    f = np.tile(FAKE, 2) @ w[:, 0] + B[0]
    np.testing.assert_allclose(logs["d_loss"], np.mean(softplus(-r)) + softplus(f), rtol=1e-5)


# ----------------------------------------------------------------- R1, R2, DRAGAN penalties


def test_r1_r2_dragan_penalties_in_loss_logs_and_gradient():
    real = real_points()
    lr, gamma1, gamma2, dragan = 0.01, 2.0, 4.0, 3.0
    gan = models.GAN(
        constant_generator(), linear(2, 1, W, B), r1_gamma=gamma1, r2_gamma=gamma2, dragan_weight=dragan
    )
    logs = one_step(gan, real, d_lr=lr)
    # A linear D has input gradient w everywhere: R1 = R2 = |w|^2, DRAGAN = (|w| - 1)^2
    # (the penalties' own math with a nonlinear critic: tests/test_penalties.py).
    logged = [logs["r1_penalty"], logs["r2_penalty"], logs["dragan_penalty"]]
    np.testing.assert_allclose(logged, [25, 25, 16], rtol=1e-5)
    r = real @ W[:, 0] + B[0]
    f = FAKE @ W[:, 0] + B[0]
    grad_adv = (-(1 - sigmoid(r))[:, None] * real).mean(0) + sigmoid(f) * FAKE
    grad_pen = (gamma1 / 2 + gamma2 / 2) * 2 * W[:, 0] + dragan * 2 * (5 - 1) * W[:, 0] / 5
    np.testing.assert_allclose(d_kernel(gan)[:, 0], W[:, 0] - lr * (grad_adv + grad_pen), rtol=1e-5)
    assert [m.name for m in gan.metrics] == ["d_loss", "g_loss", "r1_penalty", "r2_penalty", "dragan_penalty"]


def test_penalties_take_the_gradient_of_what_the_packed_discriminator_sees():
    """PacGAN: R1 is the mean squared input gradient of D at the PACKED inputs
    (one per group of m samples), computed here with a tanh critic in NumPy."""
    real = real_points(32)
    critic = tanh_critic(4, seed=6)
    gan = models.GAN(constant_generator(), critic, packing=2, r1_gamma=1.0)
    _, logs = gan.discriminator_objective(real)
    packed = np.concatenate([real[0::2], real[1::2]], axis=1).astype("float64")
    expected = np.mean(np.sum(input_gradient_numpy(weights64(critic), packed) ** 2, axis=1))
    np.testing.assert_allclose(float(to_numpy(logs["r1_penalty"])), expected, rtol=1e-4)


# ---------------------------------------------------------------------- dropout in G


def test_generator_dropout_drops_hidden_units_in_training_only():
    inputs = keras.Input((64,))
    hidden = keras.layers.Dense(64, activation="relu", kernel_initializer="identity", name="hidden")(inputs)
    outputs = keras.layers.Dense(64, kernel_initializer="identity", name="out")(hidden)
    generator = keras.Model(inputs, outputs)
    gan = models.GAN(generator, linear(64, 1, np.ones((64, 1)), [0.0]), generator_dropout=0.25, seed=0)
    z = np.random.default_rng(0).uniform(0.5, 1.5, (200, 64)).astype("float32")
    out = to_numpy(gan.generator(z, training=True))
    dropped = out == 0
    np.testing.assert_allclose(dropped.mean(), 0.25, atol=0.02)
    np.testing.assert_allclose(out[~dropped], z[~dropped] / 0.75, rtol=1e-5)
    np.testing.assert_allclose(to_numpy(gan.generator(z, training=False)), z, rtol=1e-6)
    clone = models.GAN.from_config(gan.get_config())
    names = [layer.name for layer in clone.generator.layers]
    assert names.count("generator_dropout_0") == 1 and len(names) == len(gan.generator.layers)


def test_generator_dropout_can_stay_on_when_sampling():
    inputs = keras.Input((64,))
    hidden = keras.layers.Dense(64, activation="relu", kernel_initializer="identity")(inputs)
    generator = keras.Model(inputs, keras.layers.Dense(64, kernel_initializer="identity")(hidden))
    gan = models.GAN(
        generator,
        linear(64, 1, np.ones((64, 1)), [0.0]),
        generator_dropout=0.5,
        generator_dropout_at_sampling=True,
        seed=0,
    )
    z = np.random.default_rng(0).uniform(0.5, 1.5, (4, 64)).astype("float32")
    first, second = gan.generate(latents=z), gan.generate(latents=z)
    np.testing.assert_allclose(np.mean(first == 0), 0.5, atol=0.1)  # dropped at sampling
    assert not np.array_equal(first == 0, second == 0)  # fresh masks: a source of noise
    clone = models.GAN.from_config(gan.get_config())
    assert clone.generator_dropout_at_sampling is True


# ------------------------------------------------------------- serialization and jit


def mlp(input_dim, output_dim, name):
    inputs = keras.Input((input_dim,))
    hidden = keras.layers.Dense(16, activation="relu", name="hidden")(inputs)
    return keras.Model(inputs, keras.layers.Dense(output_dim, name="out")(hidden), name=name)


ALL_TRICKS = dict(
    label_smoothing=0.1,
    label_flip_probability=0.05,
    instance_noise=0.1,
    instance_noise_decay_steps=100,
    feature_matching_layer="hidden",
    historical_averaging=0.01,
    ema_decay=0.9,
    r1_gamma=1.0,
    r2_gamma=0.5,
    dragan_weight=0.5,
    generator_dropout=0.1,
    weight_decay=1e-4,
)


def test_config_round_trip_keeps_every_trick():
    gan = models.GAN(mlp(4, 2, "g"), mlp(2, 1, "d"), **ALL_TRICKS)
    clone = models.GAN.from_config(gan.get_config())
    for key, value in ALL_TRICKS.items():
        assert getattr(clone, key) == value, key
    packed = models.LSGAN.from_config(models.LSGAN(image_shape=(8, 8, 1), packing=2).get_config())
    assert packed.packing == 2 and tuple(packed.discriminator.input_shape) == (None, 8, 8, 2)


def test_stateful_tricks_save_reload_and_jit(tmp_path):
    gan = models.GAN(mlp(4, 2, "g"), mlp(2, 1, "d"), seed=5, **ALL_TRICKS)
    gan.compile(g_optimizer=keras.optimizers.Adam(1e-2), d_optimizer=keras.optimizers.Adam(1e-2))
    x = real_points(64)
    history = gan.fit(x, batch_size=16, epochs=1, verbose=0)
    for name, values in history.history.items():
        assert np.all(np.isfinite(values)), name
    history = gan.get_layer("generator_historical_averaging")
    assert float(to_numpy(history.count)) == 5  # reset + 4 updates
    path = str(tmp_path / "tricks.keras")
    gan.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_allclose(loaded.generate(8, seed=0), gan.generate(8, seed=0), rtol=1e-6)
    trained = to_numpy(gan.generator(keras.random.normal((8, 4), seed=0)))
    assert not np.allclose(gan.generate(8, seed=0), trained)  # generate() samples the EMA
    name = "discriminator_historical_averaging"
    for a, b in zip(gan.get_layer(name).weights, loaded.get_layer(name).weights):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b))
    assert int(to_numpy(loaded.optimizer.iterations)) == 4
    loaded.fit(x, batch_size=16, epochs=1, verbose=0)
    assert float(to_numpy(loaded.get_layer("generator_historical_averaging").count)) == 9
