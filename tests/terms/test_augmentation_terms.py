"""DiffAugmentation and AdaptiveAugmentation: what D sees, gradients, ADA's p and its resumption.

Linear critics on 8x8x1 images and constant generators keep every loss and
gradient computable in NumPy; the transforms are the independent NumPy/SciPy
versions of tests/augment/numpy_augment.py, applied to the parameters the
layer drew (redrawn from the same seed state).
"""

import os

import keras
import numpy as np
import pytest
from keras import ops
from term_test_networks import PIXELS
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
from keras_gans.backend import input_gradient
from tests.augment import numpy_augment

CUTOUT = (4, 4)  # half of 8 x 8


def recorded_gan(**kwargs):
    kernel, bias = critic_weights(0, outputs=1)
    channels = kwargs.get("packing", 1)
    if channels > 1:
        kernel = np.tile(kernel, (channels, 1))
    discriminator = linear_critic(kernel, bias, record=True)
    return models.GAN(constant_generator(np.full(SHAPE, 0.5)), discriminator, seed=3, **kwargs)


def zero_rectangle(image):
    """(rows, cols) of the zero pixels of an HxW image if they form one rectangle, else None."""
    rows, cols = np.nonzero(image == 0.0)
    if len(rows) == 0:
        return (0, 0)
    height, width = rows.max() - rows.min() + 1, cols.max() - cols.min() + 1
    return (height, width) if height * width == len(rows) else None


def test_diff_augmentation_cuts_out_everything_the_discriminator_sees_in_training_only():
    gan = recorded_gan(diff_augment="cutout")
    recorder = gan.discriminator.get_layer("recorder")
    real = real_images(8, seed=0, low=0.2, high=1.0)
    recorder.seen.clear()
    gan.objective("discriminator", real, training=True)
    gan.objective("generator", real, training=True)
    assert len(recorder.seen) == 3  # D: real and fake; G: fake
    for batch in recorder.seen:
        is_real = np.allclose(np.where(batch == 0, real, batch), real)
        raw = real if is_real else np.full_like(batch, 0.5)
        for seen, original in zip(batch[..., 0], raw[..., 0]):
            size = zero_rectangle(seen)
            # A 4x4 square, cut by the border when its centre is near it.
            assert size is not None and 2 <= size[0] <= 4 and 2 <= size[1] <= 4, size
            np.testing.assert_array_equal(seen[seen != 0], original[seen != 0])
    recorder.seen.clear()
    gan.objective("discriminator", real, training=False)
    assert len(recorder.seen) == 2
    np.testing.assert_array_equal(recorder.seen[0], real)
    np.testing.assert_array_equal(recorder.seen[1], np.full_like(real, 0.5))


def test_augmentation_comes_before_instance_noise_and_packing():
    real = real_images(8, seed=0, low=0.2, high=1.0)
    gan = recorded_gan(diff_augment="cutout", packing=2)
    recorder = gan.discriminator.get_layer("recorder")
    gan.objective("discriminator", real, training=True)
    packed_real = recorder.seen[0]
    assert packed_real.shape == (4, 8, 8, 2)
    # Each packed sample was cut on its own: the two halves' squares differ.
    different = [not np.array_equal(p[..., 0] == 0, p[..., 1] == 0) for p in packed_real]
    assert sum(different) >= 3, different
    gan = recorded_gan(diff_augment="cutout", instance_noise=0.01)
    recorder = gan.discriminator.get_layer("recorder")
    gan.objective("discriminator", real, training=True)
    for seen in recorder.seen[0][..., 0]:
        assert not np.any(seen == 0.0)  # noise came after the cutout
        cut = np.abs(seen) < 0.08
        assert 4 <= cut.sum() <= 16 and zero_rectangle(np.where(cut, 0.0, 1.0)) is not None


def affine_map(transform, images):
    """`(A, b)` per image with `transform(image) = A image + b` (flattened), from basis images."""
    maps = []
    for b in range(len(images)):
        offset = transform(b, np.zeros(SHAPE)).reshape(-1)
        columns = []
        for j in range(PIXELS):
            basis = np.zeros(PIXELS)
            basis[j] = 1.0
            columns.append(transform(b, basis.reshape(SHAPE)).reshape(-1) - offset)
        maps.append((np.stack(columns, axis=1), offset))
    return maps


def test_generator_gradient_through_diff_augment_matches_numpy():
    policy = "color,translation,cutout"
    kernel, bias = critic_weights(1)
    gan = models.GAN(
        constant_generator(np.zeros(SHAPE)), linear_critic(kernel, bias), seed=4, diff_augment=policy
    )
    term = gan.get_layer("diff_augment")
    phase = next(p for p in gan.phases if p.network == "generator")
    real, fake = real_images(8, seed=2), real_images(8, seed=3)
    states = seed_states(term)

    def generator_loss(images):
        tensors = gan.step_tensors("generator", ops.convert_to_tensor(real), None, training=True)
        tensors.__dict__["fake"] = images  # differentiate at these fakes
        return gan.phase_objective(phase, tensors)[0]

    grad = to_numpy(input_gradient(generator_loss, ops.convert_to_tensor(fake)))
    restore_seed_states(term, states)
    loss = float(to_numpy(generator_loss(ops.convert_to_tensor(fake))))
    restore_seed_states(term, states)
    params = numpy_parameters(term.augment.sample_parameters((8,) + SHAPE))

    def transform(b, image):
        return numpy_augment.diff_augment(
            image, numpy_augment.per_image(params, b), policy.split(","), CUTOUT
        )

    w, c = kernel[:, 0].astype(np.float64), float(bias[0])
    want_loss, want_grad = 0.0, []
    for b, (matrix, offset) in enumerate(affine_map(transform, fake)):
        logit = w @ (matrix @ fake[b].reshape(-1) + offset) + c
        want_loss += softplus(-logit) / len(fake)
        want_grad.append((-sigmoid(-logit) / len(fake) * (matrix.T @ w)).reshape(SHAPE))
    assert loss == pytest.approx(want_loss, rel=1e-5)
    np.testing.assert_allclose(grad, np.stack(want_grad), rtol=1e-4, atol=1e-6)
    assert np.abs(grad).max() > 1e-3


GEOMETRIC = ["xflip", "rotate90", "xint", "scale", "rotate", "aniso", "xfrac"]


def test_ada_view_at_p_1_keeps_the_range_and_is_differentiable_as_numpy_says():
    term = terms.AdaptiveAugmentation(initial_probability=1.0, transforms=GEOMETRIC, seed=5)
    gan = models.GAN(constant_generator(np.zeros(SHAPE)), linear_critic(*critic_weights(0)), terms=[term])
    images = real_images(6, seed=4)
    weights = np.random.default_rng(7).normal(size=(6,) + SHAPE).astype("float32")
    states = seed_states(term)
    seen = to_numpy(gan.discriminator_view(ops.convert_to_tensor(images), training=True))
    assert seen.min() >= -1.0 - 1e-6 and seen.max() <= 1.0 + 1e-6
    assert not np.allclose(seen, images)
    np.testing.assert_array_equal(to_numpy(gan.discriminator_view(images, training=False)), images)
    restore_seed_states(term, states)
    grad = to_numpy(
        input_gradient(
            lambda x: gan.discriminator_view(x, training=True) * ops.convert_to_tensor(weights),
            ops.convert_to_tensor(images),
        )
    )
    restore_seed_states(term, states)
    params = numpy_parameters(term.augment.sample_parameters(images.shape, 1.0))

    def transform(b, image):
        return numpy_augment.ada(image, numpy_augment.per_image(params, b))

    for b, (matrix, offset) in enumerate(affine_map(transform, images)):
        np.testing.assert_allclose(seen[b].reshape(-1), matrix @ images[b].reshape(-1) + offset, atol=2e-5)
        np.testing.assert_allclose(grad[b].reshape(-1), matrix.T @ weights[b].reshape(-1), atol=2e-5)


# ----------------------------------------------------------------- ADA's p


def simulate_ada(signs, images_per_update, target, ada_kimg, interval, p):
    """The paper's controller in NumPy: per update (p logged, then counted)."""
    logged, sign_sum, count, r_t = [], 0.0, 0, 0.0
    for update, sign in enumerate(signs, start=1):
        logged.append(p)
        sign_sum, count = sign_sum + sign * images_per_update, count + images_per_update
        if update % interval == 0:
            r_t = sign_sum / count
            p = float(np.clip(p + np.sign(r_t - target) * count / (ada_kimg * 1000), 0.0, 1.0))
            sign_sum, count = 0.0, 0
    return p, r_t, logged


@pytest.mark.parametrize("sign,initial", [(1.0, 0.0), (-1.0, 0.03)])
def test_ada_p_follows_the_papers_rule_once_per_discriminator_main_update(sign, initial):
    kernel, _ = critic_weights(0)
    discriminator = linear_critic(kernel * 0.01, np.array([50.0 * sign], "float32"))  # sign(D) fixed
    # One transform: the rule does not depend on which (and the step compiles faster).
    term = terms.AdaptiveAugmentation(
        0.6, ada_kimg=1, interval=3, initial_probability=initial, transforms=["xflip"]
    )
    # n_critic=2 and a lazy R1 phase every 2 steps (its updates have no signs of their own).
    gan = models.GAN(
        constant_generator(np.zeros(SHAPE)),
        discriminator,
        n_critic=2,
        r1_gamma=1.0,
        r1_interval=2,
        terms=[term],
    )
    sgd_compile(gan)
    history = gan.fit(real_images(24), batch_size=4, epochs=2, shuffle=False, verbose=0)
    updates = 2 * 3 * 2  # epochs x steps x n_critic
    p, r_t, logged = simulate_ada([sign] * updates, 4, 0.6, 1.0, 3, initial)
    controller = term.controller
    assert float(to_numpy(controller.probability)) == pytest.approx(p, abs=1e-6)
    assert p != initial
    assert int(to_numpy(controller.call_count)) == updates
    assert float(to_numpy(controller.real_sign_mean)) == r_t == sign
    np.testing.assert_allclose(
        history.history["ada_p"], [np.mean(logged[:6]), np.mean(logged[6:])], atol=1e-6
    )
    assert history.history["ada_r_t"][-1] == pytest.approx(sign)


def small_ada_gan(seed=11):
    from keras_gans import networks

    keras.utils.set_random_seed(seed)  # the same initial weights for both runs
    generator = networks.dcgan_generator(4, SHAPE, filters=4)
    discriminator = networks.dcgan_discriminator(SHAPE, filters=4, normalization=None)
    # p moves by 24 / 500 = 0.048 per adjustment, up or down with sign(r_t - 0).
    term = terms.AdaptiveAugmentation(
        0.0, ada_kimg=0.5, interval=3, initial_probability=0.5, transforms=["xflip", "xint", "brightness"]
    )
    gan = models.GAN(generator, discriminator, seed=seed, terms=[term])
    gan.compile(g_optimizer=keras.optimizers.Adam(5e-3), d_optimizer=keras.optimizers.Adam(5e-3))
    return gan


def ada_state(gan):
    term = gan.get_layer("ada")
    return [
        float(to_numpy(v)) for v in term.controller.weights + [term.update_sign_sum, term.update_image_count]
    ]


def test_ada_p_resumes_exactly_after_save_and_load(tmp_path):
    images = real_images(40, seed=8)  # 5 steps of 8 per epoch: the intervals of 3 straddle epochs
    straight = small_ada_gan()
    straight.fit(images, batch_size=8, epochs=4, verbose=0)
    resumed = small_ada_gan()
    resumed.fit(images, batch_size=8, epochs=2, verbose=0)
    saved = ada_state(resumed)
    path = os.path.join(tmp_path, "ada.keras")
    resumed.save(path)
    loaded = keras.models.load_model(path)
    assert ada_state(loaded) == saved
    assert saved[0] != 0.5 and saved[-1] == 0.0  # p moved; no update pending between steps
    assert int(saved[4]) == 10 and saved[3] > 0  # a partial interval (10 = 3 * 3 + 1) is carried
    loaded.fit(images, batch_size=8, epochs=4, initial_epoch=2, verbose=0)
    assert ada_state(loaded) == ada_state(straight)
    assert ada_state(straight)[0] != saved[0]


# ------------------------------------------------------------ keywords and config


def test_augmentation_keywords_make_terms_and_survive_config_and_errors():
    gan = models.GAN(image_shape=SHAPE, latent_dim=4, diff_augment=True, ada_target=0.6, ada_kimg=20)
    assert gan.get_layer("diff_augment").policy == "color,translation,cutout"
    ada = gan.get_layer("ada")
    assert (ada.target, ada.ada_kimg, ada.ada_interval) == (0.6, 20.0, 4)
    clone = models.GAN.from_config(gan.get_config())
    assert clone.get_layer("ada").ada_kimg == 20.0 and clone.diff_augment is True
    assert [t.name for t in sorted(gan.terms, key=lambda t: t.view_order) if t.view_order][:2] == [
        "diff_augment",
        "ada",
    ]
    custom = terms.AdaptiveAugmentation(0.5, ada_kimg=3, interval=2, transforms=["xflip"], seed=1)
    rebuilt = terms.AdaptiveAugmentation.from_config(custom.get_config())
    assert rebuilt.get_config() == custom.get_config()
    with pytest.raises(ValueError, match="ada_target"):
        models.GAN(image_shape=SHAPE, latent_dim=4, ada_target=2.0)
    with pytest.raises(ValueError, match="ada_kimg"):
        models.GAN(image_shape=SHAPE, latent_dim=4, ada_target=0.6, ada_kimg=0)
    with pytest.raises(ValueError, match="diff_augment"):
        models.GAN(image_shape=SHAPE, latent_dim=4, diff_augment="")
    with pytest.raises(ValueError, match="Unknown DiffAugment policy"):
        models.GAN(image_shape=SHAPE, latent_dim=4, diff_augment="colour")
