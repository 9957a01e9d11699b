"""LeCamRegularization and BalancedConsistencyRegularization against NumPy training steps.

A linear critic on 8x8x1 images and a constant generator: every step of the
discriminator (SGD) is simulated in NumPy, anchors and augmentations included.
"""

import keras
import numpy as np
import pytest
from term_test_networks import SHAPE
from term_test_networks import constant_generator
from term_test_networks import critic_weights
from term_test_networks import linear_critic
from term_test_networks import numpy_parameters
from term_test_networks import real_images
from term_test_networks import restore_seed_states
from term_test_networks import seed_states
from term_test_networks import sgd_compile
from term_test_networks import sigmoid
from term_test_networks import softplus
from term_test_networks import to_numpy

from keras_gans import models
from keras_gans import terms
from tests.augment import numpy_augment

LEARNING_RATE = 0.05


def adversarial_gradient(w, c, x, g):
    """`(d_loss, dL/dw, dL/dc)` of the non-saturating D loss, real rows `x`, one fake image `g`."""
    r, f = x @ w + c, g @ w + c
    loss = np.mean(softplus(-r)) + softplus(f)
    dr, df = -sigmoid(-r) / len(x), sigmoid(f)
    return loss, x.T @ dr + g * df, dr.sum() + df


def test_lecam_steps_match_numpy_and_evaluation_leaves_the_anchors():
    kernel, bias = critic_weights(2)
    fake_image = real_images(1, seed=5)[0]
    weight, decay = 0.5, 0.99
    gan = models.GAN(constant_generator(fake_image), linear_critic(kernel, bias), lecam_weight=weight)
    sgd_compile(gan, d_lr=LEARNING_RATE)
    real = real_images(24, seed=6)
    history = gan.fit(real, batch_size=8, epochs=1, shuffle=False, verbose=0)

    w, c = kernel[:, 0].astype(np.float64), float(bias[0])
    g = fake_image.reshape(-1).astype(np.float64)
    real_ema = fake_ema = 0.0
    penalties = []
    for t, start in enumerate(range(0, 24, 8), start=1):
        x = real[start : start + 8].reshape(8, -1).astype(np.float64)
        r, f = x @ w + c, g @ w + c
        real_ema = decay * real_ema + (1 - decay) * r.mean()
        fake_ema = decay * fake_ema + (1 - decay) * f
        real_anchor, fake_anchor = real_ema / (1 - decay**t), fake_ema / (1 - decay**t)
        penalties.append(np.mean((r - fake_anchor) ** 2) + (f - real_anchor) ** 2)
        _, dw, dc = adversarial_gradient(w, c, x, g)
        dw = dw + weight * (x.T @ (2 * (r - fake_anchor)) / 8 + 2 * (f - real_anchor) * g)
        dc = dc + weight * (np.mean(2 * (r - fake_anchor)) + 2 * (f - real_anchor))
        w, c = w - LEARNING_RATE * dw, c - LEARNING_RATE * dc

    dense = gan.discriminator.get_layer("logits")
    np.testing.assert_allclose(to_numpy(dense.kernel)[:, 0], w, rtol=1e-4, atol=1e-6)
    assert float(to_numpy(dense.bias)[0]) == pytest.approx(c, rel=1e-4, abs=1e-6)
    assert history.history["lecam_penalty"][0] == pytest.approx(np.mean(penalties), rel=1e-4)
    regularizer = gan.get_layer("lecam_penalty").regularizer
    assert float(to_numpy(regularizer.real_ema)) == pytest.approx(real_ema, rel=1e-4, abs=1e-7)
    assert float(to_numpy(regularizer.fake_ema)) == pytest.approx(fake_ema, rel=1e-4, abs=1e-7)
    assert int(to_numpy(regularizer.update_count)) == 3
    gan.objective("discriminator", real[:8], training=False)
    assert int(to_numpy(regularizer.update_count)) == 3


def test_bcr_step_matches_numpy_with_the_drawn_flips_and_shifts():
    kernel, bias = critic_weights(3)
    fake_image = real_images(1, seed=7)[0]
    weight = 2.0
    gan = models.GAN(constant_generator(fake_image), linear_critic(kernel, bias), bcr_weight=weight)
    term = gan.get_layer("bcr_penalty")
    assert term.transforms == ("xflip", "xint")
    sgd_compile(gan, d_lr=LEARNING_RATE)
    real = real_images(8, seed=8)
    states = seed_states(term)
    history = gan.fit(real, batch_size=8, epochs=1, shuffle=False, verbose=0)
    restore_seed_states(term, states)  # the step drew T for the reals, then for the fakes
    draws = [numpy_parameters(term.augment.sample_parameters(real.shape, 1.0)) for _ in range(2)]
    assert 0 < draws[0]["xflip"].sum() < 8  # some images flipped, some not

    def augmented(images, params):
        return np.stack(
            [numpy_augment.ada(image, numpy_augment.per_image(params, b)) for b, image in enumerate(images)]
        ).reshape(len(images), -1)

    w, c = kernel[:, 0].astype(np.float64), float(bias[0])
    x = real.reshape(8, -1).astype(np.float64)
    g = fake_image.reshape(-1).astype(np.float64)
    tx, tg = augmented(real, draws[0]), augmented(np.stack([fake_image] * 8), draws[1])
    real_gap, fake_gap = (x - tx) @ w, (g - tg) @ w  # D(x) - D(T(x)): the bias cancels
    penalty = np.mean(real_gap**2) + np.mean(fake_gap**2)
    _, dw, dc = adversarial_gradient(w, c, x, g)
    dw = dw + weight * ((x - tx).T @ (2 * real_gap) / 8 + (g - tg).T @ (2 * fake_gap) / 8)
    assert history.history["bcr_penalty"][0] == pytest.approx(penalty, rel=1e-4)
    assert penalty > 1e-3
    dense = gan.discriminator.get_layer("logits")
    np.testing.assert_allclose(to_numpy(dense.kernel)[:, 0], w - LEARNING_RATE * dw, rtol=1e-4, atol=1e-6)
    assert float(to_numpy(dense.bias)[0]) == pytest.approx(c - LEARNING_RATE * dc, rel=1e-4, abs=1e-6)


def test_regularization_keywords_config_and_errors():
    gan = models.GAN(image_shape=SHAPE, latent_dim=4, lecam_weight=0.3, bcr_weight=10.0)
    assert gan.get_layer("lecam_penalty").weight == 0.3 and gan.get_layer("bcr_penalty").weight == 10.0
    clone = models.GAN.from_config(gan.get_config())
    assert (clone.lecam_weight, clone.bcr_weight) == (0.3, 10.0)
    assert "lecam_penalty" in [t.name for t in clone.phases[0].terms]
    assert not [t for t in models.GAN(image_shape=SHAPE, latent_dim=4).terms if t.name in ("lecam_penalty",)]
    term = terms.BalancedConsistencyRegularization(5.0, transforms=["xflip"], seed=2)
    assert (
        terms.BalancedConsistencyRegularization.from_config(term.get_config()).get_config()
        == term.get_config()
    )
    lecam = terms.LeCamRegularization(0.1, decay=0.9, one_sided=True)
    assert terms.LeCamRegularization.from_config(lecam.get_config()).get_config() == lecam.get_config()
    with pytest.raises(ValueError, match="lecam_weight"):
        models.GAN(image_shape=SHAPE, latent_dim=4, lecam_weight=-1.0)
    with pytest.raises(ValueError, match="bcr_weight"):
        models.GAN(image_shape=SHAPE, latent_dim=4, bcr_weight="a lot")
    with pytest.raises(ValueError, match="transforms"):
        terms.BalancedConsistencyRegularization(transforms=["flip"])


def test_all_data_efficient_terms_train_save_load_jit_and_mixed_precision():
    from keras_gans import networks

    from testing import run_variant_checks

    def build():
        # Cheap transforms: this checks the wiring (state, saving, XLA, float16), and
        # every compile of the step lowers the transforms again.
        return models.GAN(
            networks.dcgan_generator(4, SHAPE, filters=4),
            networks.dcgan_discriminator(SHAPE, filters=4),
            seed=1,
            diff_augment="color",
            lecam_weight=0.3,
            freeze_discriminator_layers=1,
            terms=[
                terms.AdaptiveAugmentation(0.6, ada_kimg=1, transforms=["xflip", "brightness"]),
                terms.BalancedConsistencyRegularization(1.0, transforms=["xflip"]),
            ],
        )

    model = run_variant_checks(build, real_images(16, seed=9), batch_size=8)
    assert keras.backend.standardize_dtype(model.get_layer("ada").probability.dtype) == "float32"
