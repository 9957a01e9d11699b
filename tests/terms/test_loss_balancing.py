"""LossBalancing: an update is kept exactly when the network's loss (NumPy) is above the floor."""

import keras
import numpy as np
import pytest
from keras import ops

from keras_gans import models
from keras_gans.terms.loss_balancing import LossBalancing

W = np.array([[3.0], [-4.0]], "float32")
B = np.array([0.5], "float32")
FAKE = np.array([0.25, -0.75], "float32")


def linear(input_dim, output_dim, kernel, bias):
    layer = keras.layers.Dense(output_dim)
    model = keras.Sequential([keras.Input((input_dim,)), layer])
    layer.set_weights([np.asarray(kernel, "float32"), np.asarray(bias, "float32")])
    return model


def softplus(x):
    return np.logaddexp(0.0, x)


def real_points(n=64):
    return np.random.default_rng(0).normal(size=(n, 2)).astype("float32")


def numpy_losses(real, kernel, bias, fake=FAKE):
    """Non-saturating losses of a linear D on real points and a constant fake point."""
    real_logits = real @ kernel[:, 0] + bias[0]
    fake_logit = fake @ kernel[:, 0] + bias[0]
    d_loss = softplus(-real_logits).mean() + softplus(fake_logit)
    g_loss = softplus(-fake_logit)
    return d_loss, g_loss


def weights(network):
    return [np.array(ops.convert_to_numpy(v)) for v in network.trainable_variables]


def trained(terms, steps=1, lr=0.1):
    """A linear D and a generator with a constant output, after full-batch SGD steps."""
    generator = linear(3, 2, np.zeros((3, 2), "float32"), FAKE)
    gan = models.GAN(generator, linear(2, 1, W, B), seed=0, terms=terms)
    gan.compile(g_optimizer=keras.optimizers.SGD(lr), d_optimizer=keras.optimizers.SGD(lr), jit_compile=False)
    real = real_points()
    history = gan.fit(real, batch_size=len(real), epochs=steps, shuffle=False, verbose=0)
    return gan, history.history


def test_an_update_is_kept_only_above_the_floor():
    real = real_points()
    d_loss, _ = numpy_losses(real, W, B)
    plain, _ = trained([])
    # Floor just below D's loss: the update is kept (the same weights as without the term).
    kept, logs = trained([LossBalancing("discriminator", min_loss=d_loss - 1e-3)])
    for got, want in zip(weights(kept.discriminator), weights(plain.discriminator)):
        np.testing.assert_allclose(got, want, rtol=1e-6)
    assert logs["d_update_rate"] == [1.0]
    assert not np.allclose(weights(plain.discriminator)[0], W)
    # Floor just above it: the update is undone, D keeps its initial weights.
    skipped, logs = trained([LossBalancing("discriminator", min_loss=d_loss + 1e-3)])
    np.testing.assert_allclose(weights(skipped.discriminator)[0], W, rtol=1e-7)
    np.testing.assert_allclose(weights(skipped.discriminator)[1], B, rtol=1e-7)
    assert logs["d_update_rate"] == [0.0]
    # The generator trained against the unchanged D: its bias moved by -lr * dg_loss/dbias.
    fake_logit = FAKE @ W[:, 0] + B[0]
    gradient = -(1.0 / (1.0 + np.exp(fake_logit))) * W[:, 0]  # d softplus(-l) / d fake
    np.testing.assert_allclose(weights(skipped.generator)[1], FAKE - 0.1 * gradient, rtol=1e-5)
    # The loss itself is unchanged by the (zero-weighted) term.
    assert logs["d_loss"][0] == pytest.approx(d_loss, rel=1e-5)


def test_the_generator_gate_uses_the_generator_loss():
    # The generator's update comes after D's in a step: its loss is the one
    # against the updated D (the same D with or without the generator gate).
    real = real_points()
    plain, _ = trained([])
    _, g_loss = numpy_losses(real, *weights(plain.discriminator))
    skipped, logs = trained([LossBalancing("generator", min_loss=g_loss + 1e-3)])
    np.testing.assert_allclose(weights(skipped.generator)[1], FAKE, rtol=1e-7)
    for got, want in zip(weights(skipped.discriminator), weights(plain.discriminator)):
        np.testing.assert_allclose(got, want, rtol=1e-6)  # D is not gated
    assert logs["g_update_rate"] == [0.0]
    kept, logs = trained([LossBalancing("generator", min_loss=g_loss - 1e-3)])
    np.testing.assert_allclose(weights(kept.generator)[1], weights(plain.generator)[1], rtol=1e-6)
    assert logs["g_update_rate"] == [1.0]


def test_gates_follow_the_loss_step_by_step_and_survive_saving(tmp_path):
    # Over several steps, the logged rate is the fraction of steps whose loss
    # (recomputed in NumPy from the weights before each step) was above the floor.
    # The generator is frozen (learning rate 0): D's loss falls while D
    # trains, then stays below the floor, where D stops moving.
    real = real_points()
    floor = 5.93  # D's loss: 6.21, 6.13, 6.05, 5.97, then 5.89 (NumPy)
    generator = linear(3, 2, np.zeros((3, 2), "float32"), FAKE)
    gan = models.GAN(generator, linear(2, 1, W, B), seed=0, terms=[LossBalancing("discriminator", floor)])
    gan.compile(g_optimizer=keras.optimizers.SGD(0.0), d_optimizer=keras.optimizers.SGD(0.05))
    decisions = []
    for _ in range(6):
        kernel, bias = weights(gan.discriminator)
        decisions.append(numpy_losses(real, kernel, bias)[0] > floor)
        before = weights(gan.discriminator)
        gan.fit(real, batch_size=len(real), epochs=1, shuffle=False, verbose=0)
        moved = not np.allclose(weights(gan.discriminator)[0], before[0])
        assert moved == decisions[-1]
    assert any(decisions) and not all(decisions)
    path = str(tmp_path / "balanced.keras")
    gan.save(path)
    loaded = keras.models.load_model(path)
    (term,) = [t for t in loaded.terms if isinstance(t, LossBalancing)]
    assert term.min_loss == floor and term.network == "discriminator"
    for a, b in zip(term.weights, [t for t in gan.terms if isinstance(t, LossBalancing)][0].weights):
        np.testing.assert_allclose(ops.convert_to_numpy(a), ops.convert_to_numpy(b))


def test_options_are_checked():
    with pytest.raises(ValueError, match="min_loss"):
        LossBalancing("discriminator", min_loss="high")
    with pytest.raises(ValueError, match="interval"):
        LossBalancing("discriminator", interval=4)
    with pytest.raises(ValueError, match="network"):
        LossBalancing("critic")
