"""The PyTorch reference of the speed benchmark computes what keras-gans computes."""

import keras
import numpy as np
import pytest
import torch

from benchmarks.reference import training
from benchmarks.reference.weights import load_keras_weights
from benchmarks.reference.weights import parametric_modules
from benchmarks.setups import SETUPS
from benchmarks.setups import keras_layer_weights
from benchmarks.setups import keras_networks
from benchmarks.setups import reference_networks
from keras_gans import losses


def to_numpy(x):
    return keras.ops.convert_to_numpy(x)


# The Keras networks compute the same function on every backend (tests/networks);
# comparing all four setups once, on the fast eager backend, is enough. JAX
# compiles every eager op, which makes the SNGAN comparison slow there.
NETWORK_SETUPS = sorted(SETUPS) if keras.backend.backend() == "torch" else ["dcgan28", "wgangp28"]


@pytest.mark.parametrize("name", NETWORK_SETUPS)
def test_networks_compute_the_same_function(name):
    setup = SETUPS[name].replace(filters=4)
    keras_g, keras_d = keras_networks(setup)
    torch_g, torch_d = reference_networks(setup)
    load_keras_weights(torch_g, keras_layer_weights(keras_g))
    load_keras_weights(torch_d, keras_layer_weights(keras_d))
    z = np.random.default_rng(0).normal(size=(4, setup.latent_dim)).astype("float32")
    # Training mode: batch statistics, and one power iteration per SN layer.
    images = to_numpy(keras_g(z, training=True))
    with torch.no_grad():
        torch_images = torch_g.train()(torch.from_numpy(z)).numpy().transpose(0, 2, 3, 1)
    np.testing.assert_allclose(torch_images, images, atol=2e-5)
    logits = to_numpy(keras_d(images, training=True))
    with torch.no_grad():
        torch_logits = torch_d.train()(torch.from_numpy(images.transpose(0, 3, 1, 2).copy())).numpy()
    np.testing.assert_allclose(torch_logits, logits, rtol=1e-4, atol=1e-6)
    keras_u = [to_numpy(w.value) for w in keras_d.weights if w.path.endswith("/u")]
    torch_u = [m.u.numpy() for m in parametric_modules(torch_d) if hasattr(m, "u")]
    assert len(keras_u) == len(torch_u) == (8 if setup.network == "sngan" else 0)
    for a, b in zip(keras_u, torch_u):
        np.testing.assert_allclose(b, a, atol=1e-5)


@pytest.mark.parametrize("loss", training.LOSSES)
def test_losses_match(loss):
    rng = np.random.default_rng(1)
    real, fake = rng.normal(size=(2, 16, 1)).astype("float32")
    expected = losses.get(loss)
    np.testing.assert_allclose(
        training.discriminator_loss(loss, torch.from_numpy(real), torch.from_numpy(fake)).numpy(),
        to_numpy(expected.discriminator_loss(real, fake)),
        rtol=1e-6,
    )
    np.testing.assert_allclose(
        training.generator_loss(loss, torch.from_numpy(fake)).numpy(),
        to_numpy(expected.generator_loss(fake)),
        rtol=1e-6,
    )


def test_gradient_penalty_of_a_linear_critic():
    # The input gradient of D(x) = w.x is w everywhere: GP = (|w| - 1)^2 = 16.
    critic = torch.nn.Linear(2, 1)
    with torch.no_grad():
        critic.weight.copy_(torch.tensor([[3.0, -4.0]]))
    real, fake = torch.randn(2, 8, 2).unbind(0)
    np.testing.assert_allclose(training.gradient_penalty(critic, real, fake).item(), 16.0, rtol=1e-5)


def test_reference_step_updates_both_networks():
    setup = SETUPS["wgangp28"].replace(filters=4, batch_size=4, n_critic=2)
    trainer = training.AdversarialTrainer(
        *reference_networks(setup), setup.latent_dim, loss="wasserstein", n_critic=2, gp_weight=10.0
    )
    before = [p.detach().clone() for p in trainer.g_params + trainer.d_params]
    logs = trainer.train_step(torch.rand(4, 1, 28, 28) * 2 - 1)
    assert sorted(logs) == ["d_loss", "g_loss", "gradient_penalty"]
    after = trainer.g_params + trainer.d_params
    unchanged = [i for i, (a, b) in enumerate(zip(before, after)) if torch.equal(a, b)]
    # Only the critic's output bias: it cancels in E[D(fake)] - E[D(real)] and
    # the penalty does not see it (the Keras hand-gradient test shows the same).
    assert unchanged == [len(after) - 1]
    assert trainer.d_optimizer.state[trainer.d_params[0]]["step"] == 2
    assert trainer.g_optimizer.state[trainer.g_params[0]]["step"] == 1
