"""The standard variant checks (`testing.run_variant_checks`) for every GAN variant of
keras_gans.models: config round trip, save/load, one fit step, jit, mixed precision.
The models' own tests (tests/models/) check what each variant computes."""

import os

import numpy as np
import pytest

from keras_gans import models
from keras_gans import networks

from testing import run_variant_checks

RNG = np.random.default_rng(0)
POINTS = RNG.normal(size=(32, 2)).astype("float32")
LABELS = RNG.integers(0, 3, size=32).astype("int32")
IMAGES_8 = RNG.uniform(-1, 1, size=(16, 8, 8, 1)).astype("float32")


def _mlps(latent_dim=2):
    return networks.mlp_generator(latent_dim, 2, hidden_units=(8,)), networks.mlp_discriminator(
        2, hidden_units=(8,)
    )


# variant -> (build, data, generate_kwargs)
VARIANTS = {
    "GAN": (lambda: models.GAN(*_mlps(), latent_dim=2, seed=0), POINTS, None),
    "LSGAN": (lambda: models.LSGAN(*_mlps(), latent_dim=2, seed=0), POINTS, None),
    "WGAN": (lambda: models.WGAN(*_mlps(), latent_dim=2, n_critic=2, seed=0), POINTS, None),
    "WGANGP": (lambda: models.WGANGP(*_mlps(), latent_dim=2, n_critic=2, seed=0), POINTS, None),
    "SNGAN": (lambda: models.SNGAN(image_shape=(8, 8, 1), latent_dim=4, filters=2, seed=0), IMAGES_8, None),
    "SAGAN": (
        lambda: models.SAGAN(image_shape=(16, 16, 1), latent_dim=4, filters=2, seed=0),
        RNG.uniform(-1, 1, size=(8, 16, 16, 1)).astype("float32"),
        None,
    ),
    "ConditionalGAN": (
        lambda: models.ConditionalGAN(num_classes=3, image_shape=(2,), latent_dim=2, seed=0),
        (POINTS, LABELS),
        {"labels": LABELS},
    ),
    "ACGAN": (
        lambda: models.ACGAN(num_classes=3, image_shape=(2,), latent_dim=2, seed=0),
        (POINTS, LABELS),
        {"labels": LABELS},
    ),
    "ProGAN": (
        lambda: models.ProGAN(
            image_shape=(8, 8, 1), latent_dim=4, filters=4, seed=0, fade_in_images=16, stabilize_images=16
        ),
        IMAGES_8,
        None,
    ),
    "StyleGAN": (
        lambda: models.StyleGAN(image_shape=(8, 8, 1), latent_dim=8, filters=4, mapping_layers=1, seed=0),
        IMAGES_8,
        None,
    ),
}


# Variants whose data is not plain samples run the same checks in their own test file,
# tests/models/test_<module>.py: the image-to-image translators ((input, target) pairs
# or two domains: `run_translator_checks`) and SemiSupervisedGAN (labels with -1 for
# unlabelled examples).
OWN_CHECKS = {
    "Pix2Pix": ("pix2pix", "run_translator_checks("),
    "CycleGAN": ("cycle_gan", "run_translator_checks("),
    "SRGAN": ("srgan", "run_translator_checks("),
    "SemiSupervisedGAN": ("semi_supervised_gan", "run_variant_checks("),
}


def test_every_variant_has_a_case():
    exported = {
        name
        for name in models.__all__
        if isinstance(getattr(models, name), type)
        and issubclass(getattr(models, name), models.AdversarialModel)
        and getattr(models, name) is not models.AdversarialModel
    }
    assert exported == set(VARIANTS) | set(OWN_CHECKS)
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models")
    for name, (module, checks) in OWN_CHECKS.items():
        with open(os.path.join(folder, f"test_{module}.py")) as file:
            assert checks in file.read(), f"{name} lacks the standard checks"


# The image variants compile the largest train steps (most of a minute each).
SLOW_VARIANTS = {"SAGAN", "StyleGAN", "SNGAN", "ProGAN"}


@pytest.mark.parametrize(
    "variant",
    [pytest.param(v, marks=[pytest.mark.slow] if v in SLOW_VARIANTS else []) for v in sorted(VARIANTS)],
)
def test_standard_variant_checks(variant):
    build, data, generate_kwargs = VARIANTS[variant]
    run_variant_checks(build, data, batch_size=8, generate_kwargs=generate_kwargs)
