"""Inception Score from class probabilities.

Reference:
    Salimans et al., "Improved Techniques for Training GANs", NeurIPS 2016.
    https://arxiv.org/abs/1606.03498
"""

import numpy as np


def inception_score(probabilities, splits=10):
    """Inception Score `exp(E_x KL(p(y|x) || p(y)))`, per split.

    The samples are cut into `splits` consecutive chunks; in each, `p(y)` is
    the chunk's mean class distribution. Higher is better; the maximum is
    the number of classes.

    Args:
        probabilities: `(num_samples, num_classes)` class probabilities
            (rows sum to 1) of generated images, e.g. from
            `InceptionFeatures` or `DomainFeatures`.
        splits: number of chunks.

    Returns:
        `(mean, std)` of the per-split scores, Python floats.

    Example:

    >>> probabilities = np.eye(10)[np.arange(1000) % 10]
    >>> inception_score(probabilities, splits=10)  # confident and diverse
    (10.0, 0.0)

    Reference:
        Salimans et al., 2016. https://arxiv.org/abs/1606.03498
    """
    probabilities = np.asarray(probabilities, np.float64)
    if probabilities.ndim != 2:
        raise ValueError(
            f"probabilities must be a 2D array (num_samples, num_classes), got shape {probabilities.shape}."
        )
    if np.any(probabilities < 0) or not np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-3):
        raise ValueError(
            "probabilities must be non-negative with rows summing to 1 (apply a softmax to logits first)."
        )
    if not 1 <= splits <= len(probabilities):
        raise ValueError(
            f"splits must be between 1 and the number of samples ({len(probabilities)}), got {splits}."
        )
    scores = []
    for chunk in np.array_split(probabilities, splits):
        marginal = chunk.mean(axis=0, keepdims=True)
        # 0 * log(0) counts as 0.
        ratio = np.where(chunk > 0, chunk / np.where(marginal > 0, marginal, 1.0), 1.0)
        kl = (chunk * np.log(ratio)).sum(axis=1)
        scores.append(np.exp(kl.mean()))
    return float(np.mean(scores)), float(np.std(scores))
