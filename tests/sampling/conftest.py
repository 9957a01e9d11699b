"""Toy GANs whose discriminator logit is a known log density ratio.

The generator is the identity, `G(z) = z` with `z ~ N(0, 1)`, so `p_g = N(0, 1)`.
The discriminator's logit is exactly `log N(x; MU, SIGMA) - log N(x; 0, 1)`
(times `logit_scale`, plus `logit_shift`, to make it miscalibrated), a quadratic
in `x`, so every sampler has a closed-form target: `N(MU, SIGMA)` for an optimal
discriminator.
"""

import keras
import numpy as np
import pytest
from scipy import stats

from keras_gans.models import GAN
from keras_gans.models import ConditionalGAN

MU, SIGMA = 0.5, 0.5
# log N(x; MU, SIGMA) - log N(x; 0, 1) = QUAD x^2 + LIN x + CONST
QUAD = 0.5 - 1.0 / (2 * SIGMA**2)
LIN = MU / SIGMA**2
CONST = -(MU**2) / (2 * SIGMA**2) - np.log(SIGMA)
# Its maximum, at x = -LIN / (2 QUAD).
MAX_LOG_RATIO = CONST - LIN**2 / (4 * QUAD)
# Class y of the conditional toy is shifted by CLASS_OFFSET * y.
CLASS_OFFSET = 3.0


def log_ratio(x):
    """The optimal logit, computed with SciPy's densities."""
    return stats.norm(MU, SIGMA).logpdf(x) - stats.norm(0, 1).logpdf(x)


def _quadratic_logit(x, logit_scale, logit_shift):
    features = keras.layers.Concatenate()([x, keras.ops.square(x)])
    head = keras.layers.Dense(1)
    logits = head(features)
    head.set_weights(
        [
            np.array([[LIN * logit_scale], [QUAD * logit_scale]], "float32"),
            np.array([CONST * logit_scale + logit_shift], "float32"),
        ]
    )
    return logits


def toy_gan(logit_scale=1.0, logit_shift=0.0, latent_dim=1, **options):
    generator = keras.Sequential(
        [
            keras.Input((latent_dim,)),
            keras.layers.Dense(latent_dim, kernel_initializer="identity", bias_initializer="zeros"),
        ]
    )
    x = keras.Input((latent_dim,))
    logit = _quadratic_logit(x[:, :1], logit_scale, logit_shift)
    discriminator = keras.Model(x, logit)
    return GAN(generator=generator, discriminator=discriminator, latent_dim=latent_dim, **options)


def toy_conditional_gan():
    """Class y: `G(z, y) = z + 3y` and the logit of the unconditional toy at `x - 3y`."""
    z = keras.Input((1,))
    y = keras.Input((1,), dtype="int32")
    offset = CLASS_OFFSET * keras.ops.cast(y, "float32")
    generator = keras.Model([z, y], z + offset)
    x = keras.Input((1,))
    label = keras.Input((1,), dtype="int32")
    centred = x - CLASS_OFFSET * keras.ops.cast(label, "float32")
    discriminator = keras.Model([x, label], _quadratic_logit(centred, 1.0, 0.0))
    return ConditionalGAN(generator=generator, discriminator=discriminator, num_classes=2, latent_dim=1)


def numeric_cdf(density, low=-10.0, high=10.0, points=20_001):
    """The normalised CDF of an unnormalised 1D density (trapezoidal rule on a
    fine grid), and its mass."""
    grid = np.linspace(low, high, points)
    values = density(grid)
    cumulative = np.concatenate([[0.0], np.cumsum((values[1:] + values[:-1]) / 2 * np.diff(grid))])
    return (lambda x: np.interp(x, grid, cumulative / cumulative[-1])), float(cumulative[-1])


def target_cdf(x):
    return stats.norm(MU, SIGMA).cdf(x)


@pytest.fixture
def gan():
    return toy_gan()
