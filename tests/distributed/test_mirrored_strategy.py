"""tf.distribute.MirroredStrategy on two logical CPU devices equals one device."""

import numpy as np
import pytest
from distributed_runs import environment
from distributed_runs import run
from distributed_runs import scenarios


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    # Logical devices must be configured before TensorFlow starts: a fresh process.
    return run("mirrored", tmp_path_factory.mktemp("mirrored") / "out.npz", environment("tensorflow"))


def initial_weights(name):
    gan = scenarios.build(name)
    return [np.asarray(w) for w in gan.generator.get_weights() + gan.discriminator.get_weights()]


@pytest.mark.parametrize("name", scenarios.SCENARIOS)
def test_mirrored_step_equals_single_device_step(results, name):
    single, mirrored = results[f"single_{name}"], results[f"mirrored_{name}"]
    assert int(mirrored["replicas"]) == 2
    for key, value in single.items():
        # Weights after one step (n_critic critic updates and a generator
        # update) and the logged, unscaled losses and penalties.
        np.testing.assert_allclose(mirrored[key], value, rtol=1e-5, atol=1e-6, err_msg=key)
    # The step did move the weights (by more than the tolerance above).
    count = {p: sum(k[0] == p and k[1:].isdigit() for k in single) for p in "gd"}
    after = [single[f"{p}{i}"] for p in "gd" for i in range(count[p])]
    moved = [np.abs(a - b).max() for a, b in zip(after, initial_weights(name))]
    assert max(moved) > 1e-3


def test_logged_penalty_is_the_global_batch_mean(results):
    # R1 = mean over the batch of ||grad D(x)||^2, checked independently here.
    gan = scenarios.build("gan_r1_mlp")
    (w1, b1), (w2, _) = [layer.get_weights() for layer in gan.discriminator.layers]
    x = scenarios._points(scenarios.GLOBAL_BATCH, seed=4)
    hidden = np.tanh(x @ w1 + b1)
    grads = ((1.0 - hidden**2) * w2[:, 0]) @ w1.T
    expected = np.mean(np.sum(grads**2, axis=1))
    np.testing.assert_allclose(results["mirrored_gan_r1_mlp"]["log_r1_penalty"], expected, rtol=1e-5)


def test_replicas_draw_different_noise_and_stay_in_sync(results):
    streams = results["streams"]
    assert not np.allclose(streams["replica_0"], streams["replica_1"])
    states = streams["states"]
    np.testing.assert_array_equal(states[0], states[1])
