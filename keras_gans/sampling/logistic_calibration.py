"""Logistic (Platt) calibration of discriminator logits."""

import numpy as np


def logistic_calibration(real_logits, fake_logits, max_iterations=100, tolerance=1e-10):
    """Fits `P(real | x) = sigmoid(scale * D(x) + shift)` on held-out logits.

    A trained discriminator is rarely calibrated: its probabilities are too
    confident (or not confident enough), which biases samplers that read them
    as density ratios. Platt scaling fits a one-dimensional logistic
    regression of the label (real = 1, fake = 0) on the logit, with Platt's
    smoothed targets `(N+ + 1) / (N+ + 2)` and `1 / (N- + 2)` (they keep the
    fit finite when the logits separate the two sets), by Newton's method
    with step halving. The calibrated logit is `scale * D(x) + shift`.

    Args:
        real_logits: logits of held-out real samples (not used in training).
        fake_logits: logits of as many generated samples.
        max_iterations: Newton steps at most.
        tolerance: stop when the log loss improves by less than this.

    Returns:
        `(scale, shift)`, Python floats.

    Example:

    ```python
    scale, shift = keras_gans.sampling.logistic_calibration(real_logits, fake_logits)
    calibrated = scale * logits + shift
    ```

    Reference:
        Platt, "Probabilistic Outputs for Support Vector Machines and
        Comparisons to Regularized Likelihood Methods", 1999.
    """
    real_logits = _as_logits(real_logits, "real_logits")
    fake_logits = _as_logits(fake_logits, "fake_logits")
    logits = np.concatenate([real_logits, fake_logits])
    targets = np.concatenate(
        [
            np.full(real_logits.size, (real_logits.size + 1.0) / (real_logits.size + 2.0)),
            np.full(fake_logits.size, 1.0 / (fake_logits.size + 2.0)),
        ]
    )
    features = np.stack([logits, np.ones_like(logits)], axis=1)

    def log_loss(params):
        z = features @ params
        # -t log sigmoid(z) - (1 - t) log sigmoid(-z), stably.
        return float(np.mean(np.logaddexp(0.0, z) - targets * z))

    params = np.array([1.0, 0.0])
    loss = log_loss(params)
    for _ in range(int(max_iterations)):
        probabilities = 0.5 * (1.0 + np.tanh(0.5 * (features @ params)))
        gradient = features.T @ (probabilities - targets) / logits.size
        weights = probabilities * (1.0 - probabilities)
        hessian = (features * weights[:, None]).T @ features / logits.size
        hessian += 1e-12 * np.eye(2)
        step = np.linalg.solve(hessian, gradient)
        scale = 1.0
        while scale > 1e-8:
            candidate = params - scale * step
            candidate_loss = log_loss(candidate)
            if candidate_loss <= loss:
                break
            scale *= 0.5
        else:
            break
        improvement = loss - candidate_loss
        params, loss = candidate, candidate_loss
        if improvement < tolerance:
            break
    return float(params[0]), float(params[1])


def _as_logits(values, name):
    values = np.asarray(values, "float64").reshape(-1)
    if values.size == 0:
        raise ValueError(f"`{name}` must not be empty. Received: {name} of shape {values.shape}")
    if not np.all(np.isfinite(values)):
        raise ValueError(f"`{name}` must be finite. Received: {name} containing NaN or inf")
    return values
