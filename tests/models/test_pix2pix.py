"""Pix2Pix on the engine: its objectives against NumPy, dropout as noise, the
standard checks (config, save/resume, jit, mixed precision), bad input, learning."""

import os
import sys

import keras
import numpy as np
import pytest

from keras_gans import data
from keras_gans import models
from keras_gans import networks

from testing import to_numpy

sys.path.insert(
    0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "image_to_image")
)

from numpy_losses import binary_cross_entropy  # noqa: E402
from numpy_losses import l1  # noqa: E402
from translator_checks import run_translator_checks  # noqa: E402

RNG = np.random.default_rng(7)
INPUTS = RNG.uniform(-1, 1, (8, 8, 8, 2)).astype("float32")
TARGETS = np.tanh(INPUTS[..., :1] + INPUTS[..., 1:]).astype("float32")


def tiny(dropout_rate=0.0, **kwargs):
    generator = networks.unet_generator(
        (8, 8, 2), output_channels=1, filters=4, num_downsamplings=2, dropout_rate=dropout_rate, seed=3
    )
    discriminator = networks.patchgan_discriminator(
        (8, 8, 1), condition_shape=(8, 8, 2), filters=4, num_downsamplings=1
    )
    return models.Pix2Pix(generator, discriminator, seed=0, **kwargs)


def test_objectives_match_numpy():
    model = tiny()
    model.compile()
    fake = to_numpy(model.generator(INPUTS, training=False))
    real_logits = to_numpy(model.discriminator([INPUTS, TARGETS], training=False))
    fake_logits = to_numpy(model.discriminator([INPUTS, fake], training=False))
    assert real_logits.shape == (8, 2, 2, 1)  # one logit per patch
    # The engine's objectives take (real samples, labels) = (targets, inputs).
    g_total, g_logs = model.objective("generator", TARGETS, INPUTS, training=False)
    expected_g = binary_cross_entropy(fake_logits, 1.0)
    expected_l1 = l1(fake, TARGETS)
    np.testing.assert_allclose(float(to_numpy(g_logs["g_loss"])), expected_g, rtol=1e-5)
    np.testing.assert_allclose(float(to_numpy(g_logs["l1_loss"])), expected_l1, rtol=1e-5)
    np.testing.assert_allclose(float(to_numpy(g_total)), expected_g + 100 * expected_l1, rtol=1e-5)
    d_total, d_logs = model.objective("discriminator", TARGETS, INPUTS, training=False)
    expected_d = binary_cross_entropy(real_logits, 1.0) + binary_cross_entropy(fake_logits, 0.0)
    np.testing.assert_allclose(float(to_numpy(d_logs["d_loss"])), expected_d, rtol=1e-5)
    np.testing.assert_allclose(float(to_numpy(d_total)), 0.5 * expected_d, rtol=1e-5)  # D's loss halved
    # The discriminator judges pairs: another condition changes its loss.
    shuffled = INPUTS[::-1]
    _, other = model.objective("discriminator", TARGETS, shuffled, training=False)
    assert abs(float(to_numpy(other["d_loss"])) - expected_d) > 1e-6
    assert [(p.name, [t.name for t in p.terms]) for p in model.phases] == [
        ("discriminator", ["d_loss"]),
        ("generator", ["g_loss", "l1_loss"]),
    ]


def test_weights_are_options():
    model = tiny(l1_weight=10.0, discriminator_weight=1.0)
    model.compile()
    g_total, logs = model.objective("generator", TARGETS, INPUTS, training=False)
    expected = float(to_numpy(logs["g_loss"])) + 10.0 * float(to_numpy(logs["l1_loss"]))
    np.testing.assert_allclose(float(to_numpy(g_total)), expected, rtol=1e-5)


def test_dropout_is_the_noise_in_training_and_translation():
    model = models.Pix2Pix(source_shape=(8, 8, 2), output_channels=1, filters=4, seed=0)
    first, second = model.translate(INPUTS), model.translate(INPUTS)
    assert first.shape == (8, 8, 8, 1)
    # Dropout on when translating: two calls differ by more than float round-off
    # (a fresh network's outputs are small, so the bound is relative to them).
    assert np.abs(first - second).max() > 1e-3 * np.abs(first).max()
    model.compile()
    a = float(to_numpy(model.objective("generator", TARGETS, INPUTS, training=True)[1]["l1_loss"]))
    b = float(to_numpy(model.objective("generator", TARGETS, INPUTS, training=True)[1]["l1_loss"]))
    assert a != b
    # The default discriminator takes (input, output) pairs of these shapes.
    assert [tuple(s[1:]) for s in model.discriminator.input_shape] == [(8, 8, 2), (8, 8, 1)]


def test_standard_checks():
    run_translator_checks(tiny, INPUTS, TARGETS, INPUTS[:3], batch_size=4)


def test_fit_on_a_dataset_of_pairs_and_evaluate():
    model = tiny()
    model.compile()
    dataset = data.paired_dataset(INPUTS, TARGETS, batch_size=4, shuffle=False)
    history = model.fit(dataset, epochs=1, verbose=0)
    assert set(history.history) == {"d_loss", "g_loss", "l1_loss"}
    logs = model.evaluate(INPUTS, TARGETS, batch_size=8, verbose=0, return_dict=True)
    _, expected = model.objective("generator", TARGETS, INPUTS, training=False)
    np.testing.assert_allclose(logs["l1_loss"], float(to_numpy(expected["l1_loss"])), rtol=1e-4)


def test_bad_pairs_are_named():
    model = tiny()
    model.compile()
    with pytest.raises(ValueError, match="same number of examples"):
        model.fit(INPUTS, TARGETS[:5], batch_size=4, verbose=0)
    with pytest.raises(ValueError, match=r"turns 8x8x2 inputs into 8x8x1 images .* targets are 16x16x1"):
        model.fit(INPUTS, np.zeros((8, 16, 16, 1), "float32"), batch_size=4, verbose=0)
    with pytest.raises(ValueError, match=r"takes inputs of 8x8x2, but the paired data's inputs are 8x8x3"):
        model.fit(np.zeros((8, 8, 8, 3), "float32"), TARGETS, batch_size=4, verbose=0)
    with pytest.raises(ValueError, match=r"scaled to \[-1, 1\]"):
        model.fit(INPUTS, TARGETS * 255, batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="height and width must be the inputs' times one integer factor"):
        model.fit(INPUTS, np.zeros((8, 12, 12, 1), "float32"), batch_size=4, verbose=0)
    with pytest.raises(ValueError, match="paired images"):
        model.fit(INPUTS, batch_size=4, verbose=0)


def test_bad_translation_inputs_are_named():
    model = tiny()
    with pytest.raises(ValueError, match=r"takes images of 8x8 pixels .* Received: images of 16x16 pixels"):
        model.translate(np.zeros((2, 16, 16, 2), "float32"))
    with pytest.raises(ValueError, match=r"with 2 channel\(s\) .* Received: images with 1 channels"):
        model.translate(np.zeros((2, 8, 8, 1), "float32"))
    with pytest.raises(
        ValueError, match=r"in \[-1, 1\]. Received: images with values from 0 to 255.*x / 127.5 - 1"
    ):
        model.translate(np.arange(256, dtype="float32").reshape(2, 8, 8, 2))
    with pytest.raises(ValueError, match="NaN or Inf"):
        model.translate(np.full((2, 8, 8, 2), np.nan, "float32"))
    with pytest.raises(ValueError, match="translates images; it does not sample"):
        model.generate(4)
    # uint8 images are scaled; one image gives one image back.
    single = model.translate(np.full((8, 8, 2), 255, "uint8"))
    np.testing.assert_allclose(single, model.translate(np.ones((1, 8, 8, 2), "float32"))[0], atol=1e-6)


def test_bad_networks_are_named():
    with pytest.raises(ValueError, match="source_shape"):
        models.Pix2Pix()
    resize = keras.Sequential(
        [keras.Input((8, 8, 2)), keras.layers.UpSampling2D(), keras.layers.Conv2D(1, 1)]
    )
    with pytest.raises(ValueError, match="keeps the image size.*Use SRGAN"):
        models.Pix2Pix(resize)
    with pytest.raises(ValueError, match=r"takes inputs of 8x8x2. Received: source_shape=\(8, 8, 3\)"):
        models.Pix2Pix(tiny().generator, source_shape=(8, 8, 3))


@pytest.mark.slow
def test_learns_to_denoise_fashion_mnist():
    noisy, clean = data.fashion_mnist_pairs("denoising", num_examples=512, seed=0)
    test_noisy, test_clean = data.fashion_mnist_pairs("denoising", "test", num_examples=256, seed=1)
    model = models.Pix2Pix(source_shape=(28, 28, 1), filters=8, seed=0)
    model.compile()

    def psnr(images):
        return float(np.mean(10 * np.log10(4.0 / np.mean((images - test_clean) ** 2, axis=(1, 2, 3)))))

    before = psnr(model.translate(test_noisy))
    model.fit(noisy, clean, batch_size=8, epochs=4, verbose=0)
    after = psnr(model.translate(test_noisy))
    print(
        f"\n{keras.backend.backend()} pix2pix denoising PSNR: input {psnr(test_noisy):.2f}, "
        f"before {before:.2f}, after {after:.2f} dB"
    )
    assert after > psnr(test_noisy) + 2.0 and after > before + 5.0
