"""The PyTorch reference of the speed benchmark computes what keras-gans computes."""

import keras
import numpy as np
import pytest
import torch

from benchmarks.reference import training
from benchmarks.reference.weights import load_keras_weights
from benchmarks.reference.weights import parametric_modules
from benchmarks.setups import SETUPS
from benchmarks.setups import build_reference
from benchmarks.setups import keras_layer_weights
from benchmarks.setups import keras_networks
from benchmarks.setups import reference_networks
from benchmarks.setups import translator_reference_networks
from keras_gans import losses


def to_numpy(x):
    return keras.ops.convert_to_numpy(x)


# The Keras networks compute the same function on every backend (tests/networks);
# comparing all four setups once, on the fast eager backend, is enough. JAX
# compiles every eager op, which makes the SNGAN comparison slow there.
DCGAN_SETUPS = [name for name, setup in SETUPS.items() if hasattr(setup, "network")]
NETWORK_SETUPS = DCGAN_SETUPS if keras.backend.backend() == "torch" else ["dcgan28", "wgangp28"]


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


def pix2pix_pair(setup, dropout_rate):
    """The Keras and the PyTorch networks of a Pix2Pix setup, with the same weights."""
    from keras_gans import networks

    recipe = setup.load_recipe()
    g_args, d_args = recipe["generator"]["args"], recipe["discriminator"]["args"]
    keras_g = networks.unet_generator(**dict(g_args, dropout_rate=dropout_rate))
    keras_d = networks.patchgan_discriminator(**d_args)
    torch_g, torch_d = translator_reference_networks(setup, dropout_rate=dropout_rate)
    load_keras_weights(torch_g, keras_layer_weights(keras_g))
    load_keras_weights(torch_d, keras_layer_weights(keras_d))
    return (keras_g, keras_d), (torch_g, torch_d)


def nchw(images):
    return torch.from_numpy(np.ascontiguousarray(images.transpose(0, 3, 1, 2)))


def test_pix2pix_networks_compute_the_same_function():
    # Dropout off (its masks are random on each side); training mode: batch statistics.
    (keras_g, keras_d), (torch_g, torch_d) = pix2pix_pair(SETUPS["pix2pix28"], dropout_rate=0.0)
    inputs, targets = SETUPS["pix2pix28"].training_data(num_examples=4)
    outputs = to_numpy(keras_g(inputs, training=True))
    with torch.no_grad():
        torch_outputs = torch_g.train()(nchw(inputs)).numpy().transpose(0, 2, 3, 1)
    np.testing.assert_allclose(torch_outputs, outputs, atol=2e-5)
    assert outputs.shape == targets.shape and np.abs(outputs).max() > 0.01  # not a zero map
    logits = to_numpy(keras_d([inputs, targets], training=True))
    with torch.no_grad():
        torch_logits = torch_d.train()(nchw(inputs), nchw(targets)).numpy().transpose(0, 2, 3, 1)
    assert logits.shape == (4, 12, 12, 1)
    np.testing.assert_allclose(torch_logits, logits, rtol=1e-4, atol=1e-5)


def test_pix2pix_reference_step_is_the_keras_step():
    from keras_gans import models

    setup = SETUPS["pix2pix28"]
    (keras_g, keras_d), (torch_g, torch_d) = pix2pix_pair(setup, dropout_rate=0.0)
    inputs, targets = setup.training_data(num_examples=8)
    start = [to_numpy(w) for w in keras_g.trainable_weights + keras_d.trainable_weights]
    gan = models.Pix2Pix(keras_g, keras_d, l1_weight=100.0, seed=0)
    # Keras adds Adam's epsilon to sqrt(v) before the bias correction, PyTorch
    # after it; a negligible epsilon makes the two first steps the same.
    adam = dict(learning_rate=2e-4, beta_1=0.5, epsilon=1e-12)
    assert setup.load_recipe()["g_optimizer"]["config"] == {"learning_rate": 2e-4, "beta_1": 0.5}
    gan.compile(
        g_optimizer=keras.optimizers.Adam(**adam),
        d_optimizer=keras.optimizers.Adam(**adam),
        jit_compile=False,
    )
    history = gan.fit(inputs, targets, batch_size=8, epochs=1, shuffle=False, verbose=0).history
    trainer = build_reference(setup, torch_g, torch_d, epsilon=1e-12)
    logs = trainer.train_step(nchw(inputs), nchw(targets))
    # The logged losses (before the weights' update; the generator's after the discriminator's).
    for name in ("d_loss", "g_loss", "l1_loss"):
        np.testing.assert_allclose(float(logs[name]), history[name][0], rtol=1e-5, err_msg=name)
    # Both sides' weights after the step, in PyTorch layout: the Keras ones copied
    # into fresh modules.
    _, (copied_g, copied_d) = pix2pix_pair(setup, dropout_rate=0.0)
    load_keras_weights(copied_g, keras_layer_weights(keras_g))
    load_keras_weights(copied_d, keras_layer_weights(keras_d))
    # A first Adam step moves each weight by lr * g / |g| = +-2e-4, so a wrong
    # loss term moves many weights by up to 4e-4 differently. A gradient within
    # float error of zero may come out with the other sign on one side: at most
    # one weight in 10,000 may differ (and then by at most 2 lr).
    moved = 0
    for trained, copied in ((torch_g, copied_g), (torch_d, copied_d)):
        for (name, a), b in zip(trained.named_parameters(), copied.parameters()):
            difference = np.abs(a.detach().numpy() - b.detach().numpy())
            assert np.mean(difference > 1e-5) <= 1e-4 and difference.max() <= 4.01e-4, name
    for before, after in zip(start, keras_g.trainable_weights + keras_d.trainable_weights):
        moved += int(np.abs(to_numpy(after) - before).max() > 1e-4)  # Adam's first step: about lr = 2e-4
    assert moved == len(start)
