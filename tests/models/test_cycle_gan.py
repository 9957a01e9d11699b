"""CycleGAN on the engine: its objectives and history pool against NumPy, the standard
checks (config, save/resume, jit, mixed precision), bad input, learning."""

import itertools
import json
import os
import sys

import keras
import numpy as np
import pytest

from keras_gans import data
from keras_gans import models
from keras_gans.image_to_image import DiscriminatorPair
from keras_gans.image_to_image import GeneratorPair

from testing import to_numpy

sys.path.insert(
    0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "image_to_image")
)

from numpy_losses import l1  # noqa: E402
from numpy_losses import least_squares_discriminator  # noqa: E402
from translator_checks import run_translator_checks  # noqa: E402

RNG = np.random.default_rng(11)
# Two unpaired domains of 8x8 RGB images, of different sizes (6 and 5 images).
DOMAIN_A = RNG.uniform(-1, 1, (6, 8, 8, 3)).astype("float32")
DOMAIN_B = np.tanh(RNG.normal(0.3, 1.0, (5, 8, 8, 3))).astype("float32")
ALL_MEMBERS = ("a_to_b", "b_to_a", "d_a", "d_b")


def tiny_generator(name, channels=3):
    inputs = keras.Input((8, 8, channels))
    x = keras.layers.Conv2D(4, 3, padding="same", activation="relu")(inputs)
    x = keras.layers.Conv2D(channels, 3, padding="same")(x)
    outputs = keras.layers.Activation("tanh", dtype="float32")(x)
    return keras.Model(inputs, outputs, name=name)


def tiny_discriminator(name, channels=3):
    # 2x2 patch logits; "valid" last convolution (see the report: torch's CPU float16
    # convolution fails on "same"-padded single-channel outputs).
    inputs = keras.Input((8, 8, channels))
    x = keras.layers.Conv2D(4, 3, strides=2, padding="same")(inputs)
    x = keras.layers.LeakyReLU(0.2)(x)
    outputs = keras.layers.Conv2D(1, 3, dtype="float32")(x)
    return keras.Model(inputs, outputs, name=name)


def tiny(channels=3, **kwargs):
    kwargs.setdefault("seed", 0)
    kwargs.setdefault("pool_size", 4)
    generators = GeneratorPair(tiny_generator("g_a_to_b", channels), tiny_generator("g_b_to_a", channels))
    discriminators = DiscriminatorPair(
        tiny_discriminator("d_a", channels), tiny_discriminator("d_b", channels)
    )
    return models.CycleGAN(generators, discriminators, **kwargs)


def run(network, images):
    return to_numpy(network(images, training=False)).astype(np.float64)


def value(logs, name):
    return float(to_numpy(logs[name]))


def test_objectives_match_numpy():
    model = tiny()
    model.compile()
    a, b = DOMAIN_A[:4], DOMAIN_B[:4]
    g, f = model.generator.a_to_b, model.generator.b_to_a
    d_a, d_b = model.discriminator.d_a, model.discriminator.d_b
    fake_b, fake_a = run(g, a), run(f, b)
    reconstructed_a, reconstructed_b = run(f, fake_b.astype("float32")), run(g, fake_a.astype("float32"))
    fake_logits_b, fake_logits_a = run(d_b, fake_b.astype("float32")), run(d_a, fake_a.astype("float32"))
    assert fake_logits_b.shape == (4, 2, 2, 1)  # one logit per patch
    # The paper (Zhu et al., Eq. 1-3, least-squares GAN loss as in its Section 4):
    # G and F minimize E[(D(fake) - 1)^2]; lambda = 10 on the cycle L1; identity 0.5 * lambda.
    expected_adversarial = np.mean((fake_logits_b - 1) ** 2) + np.mean((fake_logits_a - 1) ** 2)
    expected_cycle = l1(reconstructed_a, a) + l1(reconstructed_b, b)
    expected_identity = l1(run(f, a), a) + l1(run(g, b), b)
    total, logs = model.objective("generator", a, b, training=False)
    np.testing.assert_allclose(value(logs, "g_loss"), 0.5 * expected_adversarial, rtol=1e-5)  # Mao's 1/2
    np.testing.assert_allclose(value(logs, "cycle_loss"), expected_cycle, rtol=1e-5)
    np.testing.assert_allclose(value(logs, "identity_loss"), expected_identity, rtol=1e-5)
    np.testing.assert_allclose(
        float(to_numpy(total)), expected_adversarial + 10 * expected_cycle + 5 * expected_identity, rtol=1e-5
    )
    # Each discriminator: 0.5 E[(D(real) - 1)^2] + 0.5 E[D(fake)^2], the two summed.
    expected_d = least_squares_discriminator(run(d_b, b), fake_logits_b) + least_squares_discriminator(
        run(d_a, a), fake_logits_a
    )
    d_total, d_logs = model.objective("discriminator", a, b, training=False)
    np.testing.assert_allclose(value(d_logs, "d_loss"), expected_d, rtol=1e-5)
    np.testing.assert_allclose(float(to_numpy(d_total)), expected_d, rtol=1e-5)
    assert [(p.name, [t.name for t in p.terms]) for p in model.phases] == [
        ("discriminator", ["d_loss"]),
        ("generator", ["g_loss", "cycle_loss", "identity_loss"]),
    ]


def test_weights_are_options():
    assert (tiny().cycle_weight, tiny().identity_weight) == (10.0, 5.0)
    model = tiny(cycle_weight=4.0, adversarial_weight=1.0)
    assert model.identity_weight == 2.0  # 0.5 * lambda follows lambda
    model.compile()
    total, logs = model.objective("generator", DOMAIN_A[:2], DOMAIN_B[:2], training=False)
    expected = value(logs, "g_loss") + 4.0 * value(logs, "cycle_loss") + 2.0 * value(logs, "identity_loss")
    np.testing.assert_allclose(float(to_numpy(total)), expected, rtol=1e-5)
    without_identity = tiny(identity_weight=0.0)
    assert [t.name for t in without_identity.terms_of("generator")] == ["g_loss", "cycle_loss"]
    with pytest.raises(ValueError, match="cycle_weight"):
        tiny(cycle_weight=-1.0)
    with pytest.raises(ValueError, match="pool_size"):
        tiny(pool_size=-1)


def _pool_answers(pool, fakes, size):
    """Every way a pool of `size` may answer `fakes` (NumPy): `(outputs, pool after)`.

    While the pool fills, an image is stored and returned; once full, either the
    image is returned, or a stored one (any slot) is returned and replaced."""
    choices = [[None] if len(pool) + i < size else [None] + list(range(size)) for i in range(len(fakes))]
    for choice in itertools.product(*choices):
        stored, outputs = [p.copy() for p in pool], []
        for image, slot in zip(fakes, choice):
            if len(stored) < size:
                stored.append(image)
                outputs.append(image)
            elif slot is None:
                outputs.append(image)
            else:
                outputs.append(stored[slot])
                stored[slot] = image
        yield np.stack(outputs), stored


def test_discriminators_judge_a_history_pool_of_fakes():
    size, batch = 4, 2
    model = tiny(pool_size=size)
    model.compile()
    g, f = model.generator.a_to_b, model.generator.b_to_a
    d_a, d_b = model.discriminator.d_a, model.discriminator.d_b
    pools = {"a": [], "b": []}
    history_answers = 0
    for step in range(6):
        a = RNG.uniform(-1, 1, (batch, 8, 8, 3)).astype("float32")
        b = RNG.uniform(-1, 1, (batch, 8, 8, 3)).astype("float32")
        fresh = {"b": to_numpy(g(a, training=False)), "a": to_numpy(f(b, training=False))}
        _, logs = model.objective("discriminator", a, b, training=True)
        actual = value(logs, "d_loss")
        # The NumPy pools that reproduce the model's pool variables, and their answers.
        candidates = {}
        for domain, pool_layer, judge, real in (("a", model.pool_a, d_a, a), ("b", model.pool_b, d_b, b)):
            count = int(to_numpy(pool_layer.count))
            stored = to_numpy(pool_layer.images)[:count]
            losses = []
            for outputs, after in _pool_answers(pools[domain], fresh[domain], size):
                if len(after) == count and np.allclose(np.stack(after), stored, atol=1e-6):
                    fresh_only = np.allclose(outputs, fresh[domain], atol=1e-6)
                    loss = least_squares_discriminator(
                        run(judge, real), run(judge, outputs.astype("float32"))
                    )
                    losses.append((loss, after, fresh_only))
            assert losses, f"step {step}: pool {domain} holds images no history pool would"
            candidates[domain] = losses
        matches = [
            (la, lb) for la in candidates["a"] for lb in candidates["b"] if abs(la[0] + lb[0] - actual) < 1e-5
        ]
        assert matches, f"step {step}: d_loss {actual} is no loss on the pools' answers"
        (_, pools["a"], fresh_a), (_, pools["b"], fresh_b) = matches[0]
        if step < size // batch:  # filling: the discriminators see the newest fakes
            assert fresh_a and fresh_b
        history_answers += (not fresh_a) + (not fresh_b)
    assert history_answers > 0  # a full pool (p = 0.5) answered from its history
    # Inference (evaluate) neither reads nor writes the pools.
    before = to_numpy(model.pool_a.images).copy()
    a, b = DOMAIN_A[:2], DOMAIN_B[:2]
    _, logs = model.objective("discriminator", a, b, training=False)
    expected = least_squares_discriminator(
        run(d_b, b), run(d_b, to_numpy(g(a)))
    ) + least_squares_discriminator(run(d_a, a), run(d_a, to_numpy(f(b))))
    np.testing.assert_allclose(value(logs, "d_loss"), expected, rtol=1e-5)
    np.testing.assert_array_equal(to_numpy(model.pool_a.images), before)


def test_standard_checks():
    # Pools of 2 fill in the first step: the resumed step draws from the pools' saved streams.
    model = run_translator_checks(
        lambda: tiny(pool_size=2),
        DOMAIN_A,
        DOMAIN_B,
        DOMAIN_B[:3],
        batch_size=2,
        direction="b_to_a",
        generators=ALL_MEMBERS,
    )
    assert int(to_numpy(model.pool_a.count)) == 2


def test_linear_decay_of_the_default_optimizers():
    model = tiny(constant_steps=2, decay_steps=4, learning_rate=1e-3)
    model.compile()
    for network in ("generator", "discriminator"):
        schedule = model.network_optimizer(network).learning_rate
        if not callable(schedule):
            schedule = model.network_optimizer(network)._learning_rate
        steps = np.arange(9)
        expected = 1e-3 * (1 - np.clip((steps - 2) / 4, 0, 1))  # constant 2 updates, then linear to 0
        np.testing.assert_allclose([float(to_numpy(schedule(s))) for s in steps], expected, rtol=1e-6)
    with pytest.raises(ValueError, match="constant_steps and decay_steps go together"):
        tiny(decay_steps=4)
    config = model.get_config()
    assert (config["constant_steps"], config["decay_steps"]) == (2, 4)


def test_default_networks_translate_both_ways():
    model = models.CycleGAN(image_shape=(8, 8, 1), filters=4, num_residual_blocks=1, discriminator_filters=4)
    images = DOMAIN_A[:2, :, :, :1]
    assert model.translate(images).shape == (2, 8, 8, 1)
    b_to_a = run(model.generator.b_to_a, images)
    np.testing.assert_allclose(model.translate(images, direction="b_to_a"), b_to_a, atol=1e-6)
    assert model.discriminator.d_a.output_shape == model.discriminator.d_b.output_shape == (None, 2, 2, 1)
    config = model.get_config()
    rebuilt = models.CycleGAN.from_config(config)
    assert json.loads(json.dumps(rebuilt.get_config())) == json.loads(json.dumps(config))  # config kept
    reverse = models.CycleGAN(model.generator, model.discriminator, serving_direction="b_to_a")
    np.testing.assert_allclose(reverse.translate(images), b_to_a, atol=1e-6)
    assert tuple(reverse.serving_signature().inputs[0].shape) == (None, 8, 8, 1)


def test_ema_copies_translate_in_the_serving_direction():
    model = tiny(ema_decay=0.5, serving_direction="b_to_a")
    model.compile()
    model.fit(DOMAIN_A, DOMAIN_B, batch_size=2, epochs=1, verbose=0)
    average = next(t for t in model.terms if t.name == "generator_ema").average  # the EMA GeneratorPair
    images = DOMAIN_B[:2]
    expected = run(average.b_to_a, images)
    assert np.abs(expected - run(model.generator.b_to_a, images)).max() > 1e-6  # averaged weights
    np.testing.assert_allclose(model.translate(images), expected, atol=1e-6)
    np.testing.assert_allclose(run(model.sampling_generator(), images), expected, atol=1e-6)  # exported
    np.testing.assert_allclose(
        model.translate(DOMAIN_A[:2], direction="a_to_b"), run(average.a_to_b, DOMAIN_A[:2]), atol=1e-6
    )


def test_fit_on_an_unpaired_dataset_and_evaluate():
    model = tiny()
    model.compile()
    dataset = data.unpaired_dataset(DOMAIN_A, DOMAIN_B, batch_size=2, seed=0)
    history = model.fit(dataset, epochs=1, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss", "cycle_loss", "identity_loss"}
    assert int(to_numpy(model.optimizer.iterations)) == 3  # one pass over the larger domain, 6 // 2
    logs = model.evaluate(DOMAIN_A, DOMAIN_B, verbose=0, return_dict=True)
    _, expected = model.objective("generator", DOMAIN_A[:5], DOMAIN_B, training=False)
    np.testing.assert_allclose(logs["cycle_loss"], value(expected, "cycle_loss"), rtol=1e-4)


def test_bad_domains_are_named():
    model = tiny()
    model.compile()
    grey = DOMAIN_B[..., :1]
    with pytest.raises(ValueError, match="same number of channels. Received: domain_a has 3, domain_b has 1"):
        model.fit(DOMAIN_A, grey, batch_size=2, verbose=0)
    with pytest.raises(ValueError, match="same number of channels"):
        model.fit(_dataset(DOMAIN_A, grey), verbose=0)
    with pytest.raises(ValueError, match="same size. Received: domain_a 8x8, domain_b 4x4"):
        model.fit(DOMAIN_A, DOMAIN_B[:, :4, :4], batch_size=2, verbose=0)
    with pytest.raises(ValueError, match=r"translates 8x8x3 images; the domains passed to fit hold 4x4x3"):
        model.fit(DOMAIN_A[:, :4, :4], DOMAIN_B[:, :4, :4], batch_size=2, verbose=0)
    with pytest.raises(ValueError, match=r"scaled to \[-1, 1\]"):
        model.fit(DOMAIN_A * 255, DOMAIN_B, batch_size=2, verbose=0)
    with pytest.raises(ValueError, match="takes two image domains"):
        model.fit(DOMAIN_A, batch_size=2, verbose=0)
    with pytest.raises(ValueError, match="Neither domain fills one batch"):
        model.fit(DOMAIN_A, DOMAIN_B, batch_size=8, verbose=0)
    # Networks of two shapes cannot be a pair, nor judge each other's images.
    with pytest.raises(ValueError, match="must take images of one shape"):
        GeneratorPair(tiny_generator("g", 3), tiny_generator("f", 1))
    with pytest.raises(ValueError, match="judge 8x8x1 images, the generators make 8x8x3"):
        models.CycleGAN(
            GeneratorPair(tiny_generator("g"), tiny_generator("f")),
            DiscriminatorPair(tiny_discriminator("d_a", 1), tiny_discriminator("d_b", 1)),
        )
    with pytest.raises(ValueError, match="image_shape"):
        models.CycleGAN()
    # A penalty on one critic's input gradients would regularize d_b alone.
    with pytest.raises(ValueError, match=r"two discriminators; r1_gamma .* Received: r1_gamma=1.0"):
        models.CycleGAN(
            GeneratorPair(tiny_generator("g"), tiny_generator("f")),
            DiscriminatorPair(tiny_discriminator("d_a"), tiny_discriminator("d_b")),
            r1_gamma=1.0,
        )


def _dataset(domain_a, domain_b):
    import tensorflow as tf

    return tf.data.Dataset.from_tensor_slices((domain_a[:4], domain_b[:4])).batch(2)


def test_bad_translation_inputs_are_named():
    model = tiny()
    with pytest.raises(ValueError, match=r"takes images of 8x8 pixels .* Received: images of 16x16 pixels"):
        model.translate(np.zeros((2, 16, 16, 3), "float32"))
    with pytest.raises(ValueError, match=r"with 3 channel\(s\) .* Received: images with 1 channels"):
        model.translate(np.zeros((2, 8, 8, 1), "float32"), direction="b_to_a")
    with pytest.raises(
        ValueError, match=r"in \[-1, 1\]. Received: images with values from 0 to 255.*x / 127.5 - 1"
    ):
        model.translate(np.linspace(0, 255, 2 * 8 * 8 * 3, dtype="float32").reshape(2, 8, 8, 3))
    with pytest.raises(ValueError, match=r"`direction` must be one of \['a_to_b', 'b_to_a'\]"):
        model.translate(DOMAIN_A[:1], direction="a_to_a")
    with pytest.raises(ValueError, match="translates images; it does not sample"):
        model.generate(4)
    with pytest.raises(ValueError, match="serving_direction"):
        tiny(serving_direction="sideways")


@pytest.mark.slow
def test_cycle_l1_falls_on_fashion_mnist():
    sneakers, boots = data.fashion_mnist_domains("sneaker", "ankle_boot", num_examples=128)
    test_sneakers, test_boots = data.fashion_mnist_domains("sneaker", "ankle_boot", "test", num_examples=64)
    model = models.CycleGAN(
        image_shape=(28, 28, 1),
        filters=8,
        num_residual_blocks=1,
        discriminator_filters=8,
        pool_size=16,
        learning_rate=1e-3,
        seed=0,
    )
    model.compile()

    def cycle_l1():
        forward = model.translate(model.translate(test_sneakers), direction="b_to_a")
        backward = model.translate(model.translate(test_boots, direction="b_to_a"))
        return l1(forward, test_sneakers) + l1(backward, test_boots)

    before = cycle_l1()
    model.fit(sneakers, boots, batch_size=8, epochs=1, verbose=0)  # 16 steps
    after = cycle_l1()
    print(
        f"\n{keras.backend.backend()} CycleGAN cycle L1 (test images): before {before:.3f}, after {after:.3f}"
    )
    assert after < 0.5 * before
