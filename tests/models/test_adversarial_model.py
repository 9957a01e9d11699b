"""The shared engine: construction errors, the step's math, save/reload/resume, jit."""

import keras
import numpy as np
import pytest

from keras_gans import models
from tests.reference_critic import gradient_penalty_numpy
from tests.reference_critic import numerical_gradient
from tests.reference_critic import tanh_critic
from tests.reference_critic import weights64


def mlp(input_dim, output_dim, units=16):
    return keras.Sequential(
        [
            keras.Input((input_dim,)),
            keras.layers.Dense(units, activation="relu"),
            keras.layers.Dense(output_dim),
        ]
    )


def points(n=64, seed=0):
    return np.random.default_rng(seed).normal(size=(n, 2)).astype("float32")


def to_numpy(x):
    return keras.ops.convert_to_numpy(x)


# ----------------------------------------------------------- bad input


def test_generator_output_must_match_discriminator_input():
    with pytest.raises(ValueError, match="does not match the discriminator's input"):
        models.GAN(mlp(4, 3), mlp(2, 1), latent_dim=4)


def test_latent_dim_must_match_generator():
    with pytest.raises(ValueError, match="latent_dim.*does not match the generator.*latent_dim=8"):
        models.GAN(mlp(4, 2), mlp(2, 1), latent_dim=8)


@pytest.mark.parametrize("n_critic", [0, -1, 1.5, "5"])
def test_n_critic_must_be_a_positive_integer(n_critic):
    with pytest.raises(ValueError, match="n_critic` must be an integer >= 1"):
        models.WGANGP(mlp(4, 2), mlp(2, 1), n_critic=n_critic)


def test_discriminator_must_output_one_logit():
    with pytest.raises(ValueError, match=r"logits of shape \(batch, 1\)"):
        models.GAN(mlp(4, 2), mlp(2, 3))


def test_networks_or_image_shape_required_and_unknown_loss_rejected():
    with pytest.raises(ValueError, match="image_shape"):
        models.GAN()
    with pytest.raises(ValueError, match="Unknown adversarial loss"):
        models.GAN(mlp(4, 2), mlp(2, 1), loss="wasserstain")


def test_compile_rejects_shared_optimizer_and_keras_loss():
    gan = models.GAN(mlp(4, 2), mlp(2, 1))
    opt = keras.optimizers.Adam()
    with pytest.raises(ValueError, match="two different optimizer objects"):
        gan.compile(g_optimizer=opt, d_optimizer=opt)
    with pytest.raises(ValueError, match="does not take `loss`"):
        gan.compile(loss="mse")


def test_latent_dim_is_read_from_the_generator():
    gan = models.GAN(mlp(5, 2), mlp(2, 1))
    assert gan.latent_dim == 5
    assert gan.image_shape == (2,)


# ------------------------------------------------------- the step's math


def linear(input_dim, output_dim, kernel, bias):
    layer = keras.layers.Dense(output_dim)
    model = keras.Sequential([keras.Input((input_dim,)), layer])
    layer.set_weights([np.asarray(kernel, "float32"), np.asarray(bias, "float32")])
    return model


JIT_OPTIONS = [False, True] if keras.backend.backend() != "torch" else [False]


@pytest.mark.parametrize("jit_compile", JIT_OPTIONS)
def test_wgan_gp_critic_step_matches_finite_differences(jit_compile):
    """One SGD critic step of WGAN-GP with a nonlinear (tanh) critic.

    Every fake equals the real point `p` (a constant generator and constant
    real data), so the interpolates are `p` whatever their weights, the
    Wasserstein term has zero gradient and the step is
    `theta - lr * 10 * dGP/dtheta` with `GP = (|grad_x D(p)| - 1)^2`; the
    gradient of the penalty (a double back-propagation on every backend) is
    checked against central finite differences of the NumPy formula.
    """
    critic = tanh_critic(2, hidden=5, seed=3)
    point = np.array([0.25, -0.75], "float32")
    generator = linear(3, 2, np.zeros((3, 2)), point)  # every fake = point
    gan = models.WGANGP(generator, critic, n_critic=1, gp_weight=10.0)
    lr = 0.05
    gan.compile(
        g_optimizer=keras.optimizers.SGD(lr), d_optimizer=keras.optimizers.SGD(lr), jit_compile=jit_compile
    )
    params = weights64(critic)
    real = np.tile(point, (16, 1))
    gan.fit(real, batch_size=16, epochs=1, shuffle=False, verbose=0)

    def penalty(p):
        return gradient_penalty_numpy(
            p, point[None].astype("float64"), point[None].astype("float64"), np.ones(1)
        )

    grads = numerical_gradient(penalty, params)
    for got, start, grad in zip(critic.get_weights(), params, grads):
        np.testing.assert_allclose(got, start - lr * 10.0 * grad, rtol=1e-4, atol=1e-6)
    logs = gan.get_metrics_result()
    np.testing.assert_allclose(float(logs["gradient_penalty"]), penalty(params), rtol=1e-4)
    np.testing.assert_allclose(float(logs["d_loss"]), 0.0, atol=1e-5)


def test_generator_step_follows_the_critic_update_and_changes_only_the_generator():
    """D(x) = w.x + b and a constant generator G = c: one step updates D (its
    NumPy gradient) and then c along the gradient of the UPDATED critic, and the
    generator update leaves D as the critic update left it."""
    w, b = np.array([1.0, 2.0]), 0.1
    c = np.array([0.5, -0.5])
    d = linear(2, 1, w[:, None], [b])
    g = linear(2, 2, np.zeros((2, 2)), c)
    gan = models.GAN(g, d, n_critic=1)
    lr_d, lr_g = 0.3, 0.2
    gan.compile(
        g_optimizer=keras.optimizers.SGD(lr_g), d_optimizer=keras.optimizers.SGD(lr_d), jit_compile=False
    )
    real = points(16).astype("float64")
    gan.fit(real.astype("float32"), batch_size=16, epochs=1, verbose=0)

    def sigmoid(t):
        return 1 / (1 + np.exp(-t))

    r, f = real @ w + b, c @ w + b
    grad_w = (-(1 - sigmoid(r))[:, None] * real).mean(0) + sigmoid(f) * c
    grad_b = (-(1 - sigmoid(r))).mean() + sigmoid(f)
    w1, b1 = w - lr_d * grad_w, b - lr_d * grad_b
    np.testing.assert_allclose(to_numpy(d.layers[-1].kernel)[:, 0], w1, rtol=1e-5)
    np.testing.assert_allclose(to_numpy(d.layers[-1].bias), [b1], rtol=1e-5)
    # Non-saturating: g_loss = softplus(-D1(c)); d/dc = -(1 - sigmoid(D1(c))) w1.
    grad_c = -(1 - sigmoid(c @ w1 + b1)) * w1
    np.testing.assert_allclose(to_numpy(g.layers[-1].bias), c - lr_g * grad_c, rtol=1e-5)


def test_wgan_clips_critic_weights_and_counts_critic_steps():
    gan = models.WGAN(mlp(4, 2, 32), mlp(2, 1, 32), clip_value=0.01)
    gan.compile(g_optimizer=keras.optimizers.RMSprop(1e-2), d_optimizer=keras.optimizers.RMSprop(1e-2))
    gan.fit(points(160), batch_size=16, epochs=1, verbose=0)  # 10 batches: 2 steps of 5
    for v in gan.discriminator.trainable_variables:
        assert np.abs(to_numpy(v)).max() <= 0.01 + 1e-7
    assert int(to_numpy(gan.optimizer.iterations)) == 2
    assert int(to_numpy(gan.d_optimizer.iterations)) == 2 * 5
    assert int(to_numpy(gan.g_optimizer.iterations)) == 2
    rms = gan.default_optimizers()[1]
    assert (rms.rho, rms.epsilon) == (0.99, 1e-8)  # PyTorch's RMSprop, as the reference code


def test_logs_have_each_tracker_once():
    gan = models.WGANGP(mlp(4, 2), mlp(2, 1))
    gan.compile()
    history = gan.fit(points(32), batch_size=16, epochs=1, verbose=0)
    assert sorted(history.history) == ["d_loss", "g_loss", "gradient_penalty"]
    assert [m.name for m in gan.metrics] == ["d_loss", "g_loss", "gradient_penalty"]


def test_labels_and_datasets_are_accepted():
    import tensorflow as tf

    gan = models.GAN(mlp(4, 2), mlp(2, 1))
    gan.compile()
    x = points(32)
    y = np.arange(32) % 4
    gan.fit(x, y, batch_size=16, epochs=1, verbose=0)
    gan.fit(tf.data.Dataset.from_tensor_slices(x).batch(16), epochs=1, verbose=0)
    gan.fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(16), epochs=1, verbose=0)
    assert int(to_numpy(gan.optimizer.iterations)) == 6
    results = gan.evaluate(x, batch_size=16, verbose=0, return_dict=True)
    assert set(results) == {"d_loss", "g_loss"} and all(np.isfinite(list(results.values())))


def test_generate_is_deterministic_with_a_seed_and_returns_numpy():
    gan = models.GAN(mlp(4, 2), mlp(2, 1))
    a = gan.generate(10, seed=3)
    b = gan.generate(10, seed=3)
    c = gan.generate(10, seed=4)
    assert isinstance(a, np.ndarray) and a.shape == (10, 2) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)
    assert gan.generate(600, seed=1, batch_size=256).shape == (600, 2)
    np.testing.assert_allclose(
        to_numpy(gan.predict(np.ones((3, 4), "float32"), verbose=0)),
        to_numpy(gan.generator(np.ones((3, 4), "float32"))),
        rtol=1e-6,
    )


# -------------------------------------------------- save, reload, resume


@pytest.mark.parametrize("variant", ["GAN", "WGANGP"])
def test_save_reload_and_resume_training(tmp_path, variant):
    cls = getattr(models, variant)
    gan = cls(mlp(4, 2), mlp(2, 1), n_critic=2, seed=11)
    gan.compile(g_optimizer=keras.optimizers.Adam(1e-3), d_optimizer=keras.optimizers.Adam(2e-3))
    x = points(64)
    gan.fit(x, batch_size=16, epochs=1, shuffle=False, verbose=0)
    path = str(tmp_path / "gan.keras")
    gan.save(path)

    loaded = keras.models.load_model(path)
    assert type(loaded) is cls
    assert loaded.n_critic == 2 and loaded.latent_dim == 4
    np.testing.assert_allclose(loaded.generate(8, seed=0), gan.generate(8, seed=0), rtol=1e-6)
    for a, b in [
        (gan.optimizer, loaded.optimizer),
        (gan.g_optimizer, loaded.g_optimizer),
        (gan.d_optimizer, loaded.d_optimizer),
    ]:
        assert int(to_numpy(a.iterations)) == int(to_numpy(b.iterations)) > 0
    np.testing.assert_allclose(float(to_numpy(loaded.d_optimizer.learning_rate)), 2e-3)

    # Continuing both gives the same weights: optimizer moments and the noise
    # stream were restored, not re-initialized.
    gan.fit(x, batch_size=16, epochs=1, shuffle=False, verbose=0)
    loaded.fit(x, batch_size=16, epochs=1, shuffle=False, verbose=0)
    assert int(to_numpy(loaded.optimizer.iterations)) == 4  # 2 steps of 2 critic batches per epoch
    np.testing.assert_allclose(loaded.generate(8, seed=0), gan.generate(8, seed=0), rtol=1e-5, atol=1e-6)
    for a, b in zip(gan.discriminator.weights, loaded.discriminator.weights):
        np.testing.assert_allclose(to_numpy(a), to_numpy(b), rtol=1e-5, atol=1e-6)


def test_config_round_trip_keeps_variant_arguments():
    gan = models.WGANGP(mlp(4, 2), mlp(2, 1), gp_weight=3.0, one_sided=True, n_critic=4)
    clone = models.WGANGP.from_config(gan.get_config())
    assert (clone.gp_weight, clone.one_sided, clone.n_critic) == (3.0, True, 4)
    wgan = models.WGAN.from_config(models.WGAN(mlp(4, 2), mlp(2, 1), clip_value=0.05).get_config())
    assert wgan.clip_value == 0.05
    gan = models.GAN.from_config(models.GAN(mlp(4, 2), mlp(2, 1), loss="hinge").get_config())
    assert gan.adversarial_loss.name == "hinge"


def test_compile_config_names_public_optimizer_classes():
    """A checkpoint saved under one backend must compile under the others:
    optimizers are named by their public class, not the backend's subclass."""
    gan = models.GAN(mlp(4, 2), mlp(2, 1))
    gan.compile(g_optimizer=keras.optimizers.Adam(1e-3), d_optimizer=keras.optimizers.RMSprop(1e-3))
    config = gan.get_compile_config()
    for key, name in (("g_optimizer", "Adam"), ("d_optimizer", "RMSprop")):
        assert (config[key]["module"], config[key]["class_name"]) == ("keras.optimizers", name)
        rebuilt = keras.saving.deserialize_keras_object(config[key])
        assert type(rebuilt).__name__ == name
