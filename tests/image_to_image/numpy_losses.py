"""Adversarial losses written out in NumPy (float64), for the image-to-image tests."""

import numpy as np


def binary_cross_entropy(logits, target):
    """`mean(-t log sigmoid(x) - (1 - t) log(1 - sigmoid(x)))`."""
    logits = np.asarray(logits, np.float64)
    probability = 1.0 / (1.0 + np.exp(-logits))
    return float(np.mean(-(target * np.log(probability) + (1 - target) * np.log(1 - probability))))


def least_squares_discriminator(real_logits, fake_logits):
    """Mao et al.: `0.5 E[(D(x) - 1)^2] + 0.5 E[D(G(z))^2]`."""
    real = np.asarray(real_logits, np.float64)
    fake = np.asarray(fake_logits, np.float64)
    return float(0.5 * np.mean((real - 1) ** 2) + 0.5 * np.mean(fake**2))


def least_squares_generator(fake_logits):
    """Mao et al.: `0.5 E[(D(G(z)) - 1)^2]`."""
    return float(0.5 * np.mean((np.asarray(fake_logits, np.float64) - 1) ** 2))


def l1(a, b):
    return float(np.mean(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64))))


def mse(a, b):
    return float(np.mean((np.asarray(a, np.float64) - np.asarray(b, np.float64)) ** 2))
