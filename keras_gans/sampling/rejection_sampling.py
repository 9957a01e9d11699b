"""Discriminator rejection sampling (DRS)."""

import numpy as np

from keras_gans.sampling._model_calls import RandomStreams
from keras_gans.sampling._model_calls import check_count
from keras_gans.sampling._model_calls import check_model
from keras_gans.sampling._model_calls import check_positive_float
from keras_gans.sampling._model_calls import discriminator_logits
from keras_gans.sampling._model_calls import finish
from keras_gans.sampling._model_calls import generate_from_latents
from keras_gans.sampling._model_calls import sample_labels
from keras_gans.sampling._model_calls import take_labels


def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _acceptance_logit(logits, max_logit, epsilon):
    """`F(x)` before the shift `gamma`: the log-odds of accepting `x`.

    With `r = exp(D(x) - D*_max)`, `sigmoid(F) = r / (1 + r (1 - exp(-epsilon)))`,
    which is `r` for `epsilon -> 0`.
    """
    shifted = np.asarray(logits, "float64") - max_logit
    return shifted - np.log1p(-np.exp(shifted - epsilon))


def discriminator_rejection_sampling(
    model,
    n,
    seed=None,
    labels=None,
    burn_in=10_000,
    gamma=0.0,
    gamma_percentile=None,
    epsilon=1e-6,
    batch_size=256,
    max_proposals=None,
    return_info=False,
):
    """Samples a GAN with discriminator rejection sampling (DRS).

    An optimal discriminator's logit is `D(x) = log p_data(x) / p_g(x)`, so
    accepting a generated `x` with probability `exp(D(x) - D*_max)` turns the
    generator's distribution into the data distribution (rejection sampling
    with the bound `M = exp(D*_max)`). DRS estimates `D*_max` as the largest
    logit of `burn_in` generated samples, raises it whenever a proposal exceeds
    it, and accepts `x` with probability `sigmoid(F(x) - gamma)`, where
    `F(x) = D(x) - D*_max - log(1 - exp(D(x) - D*_max - epsilon))`. With
    `gamma = 0` and a small `epsilon` that is `exp(D(x) - D*_max)`; a larger
    `gamma` rejects more (sharper samples, fewer modes), a negative one
    accepts more. `gamma_percentile=q` sets `gamma`, per proposal batch, to
    the `q`-th percentile of `F` over the batch (the paper's practical
    choice, e.g. 95 or 80).

    For a Wasserstein critic the "logit" is a critic value, not a density
    ratio; DRS then still favours samples the critic rates as real, without
    the exactness argument.

    Args:
        model: a `keras_gans` model (unpacked discriminator, `packing=1`).
        n: number of samples.
        seed: int seed of latents, acceptance draws and labels (NumPy, the same
            on every backend), or None.
        labels: conditional models: one class, one label per sample, or None
            for uniformly drawn labels. Each sample keeps its label.
        burn_in: generated samples whose largest logit initialises `D*_max`.
        gamma: shift of the acceptance log-odds.
        gamma_percentile: None, or a percentile in `[0, 100]` of `F` that
            replaces `gamma` for each proposal batch.
        epsilon: numerical guard of `F` (the paper's 1e-6).
        batch_size: samples per generator and discriminator call.
        max_proposals: give up (RuntimeError) after this many proposals;
            default `1000 * max(n, burn_in // 10)`.
        return_info: also return a dict with `acceptance_rate` (accepted /
            proposed), `proposals` and `max_logit` (the final `D*_max`).

    Returns:
        float32 NumPy array `(n, *sample_shape)` (and the info dict).

    Example:

    ```python
    points = keras_gans.sampling.discriminator_rejection_sampling(gan, 2500, seed=0)
    ```

    Reference:
        Azadi, Olsson, Darrell, Goodfellow & Odena, "Discriminator Rejection
        Sampling", ICLR 2019. https://arxiv.org/abs/1810.06758
    """
    check_model(model, "drs")
    n = check_count(n, "n")
    burn_in = check_count(burn_in, "burn_in", minimum=1)
    batch_size = check_count(batch_size, "batch_size", minimum=1)
    epsilon = check_positive_float(epsilon, "epsilon")
    gamma = float(gamma)
    if not np.isfinite(gamma):
        raise ValueError(f"`gamma` must be a finite number. Received: gamma={gamma!r}")
    if gamma_percentile is not None and not 0 <= gamma_percentile <= 100:
        raise ValueError(
            f"`gamma_percentile` must be None or in [0, 100]. Received: gamma_percentile={gamma_percentile!r}"
        )
    if max_proposals is None:
        max_proposals = 1000 * max(n, burn_in // 10)
    max_proposals = check_count(max_proposals, "max_proposals", minimum=1)

    streams = RandomStreams(seed)
    labels = sample_labels(model, n, labels, streams)
    burn_in_labels = sample_labels(model, burn_in, None, streams)
    burn_in_samples = generate_from_latents(
        model, streams.latents(burn_in, model.latent_dim), burn_in_labels, batch_size
    )
    burn_in_logits = discriminator_logits(model, burn_in_samples, burn_in_labels, batch_size)
    _check_finite(burn_in_logits)
    max_logit = float(burn_in_logits.max())

    uniforms = streams.generator()
    samples = None
    pending = np.arange(n)
    proposals = accepted_count = 0
    while pending.size:
        if proposals >= max_proposals:
            raise RuntimeError(
                f"Discriminator rejection sampling accepted {n - pending.size} of {n} samples "
                f"in {proposals} proposals and gave up: the acceptance rate is too low. Lower "
                "`gamma` (or `gamma_percentile`), or raise `max_proposals`. Received: "
                f"gamma={gamma}, gamma_percentile={gamma_percentile}, "
                f"max_proposals={max_proposals}"
            )
        # Every pending slot gets at least one proposal (with its own label);
        # few pending slots get several, and keep the first accepted one.
        repeats = max(1, batch_size // pending.size)
        slots = np.tile(pending, repeats)
        slot_labels = take_labels(labels, slots)
        candidates = generate_from_latents(
            model, streams.latents(slots.size, model.latent_dim), slot_labels, batch_size
        )
        logits = discriminator_logits(model, candidates, slot_labels, batch_size)
        _check_finite(logits)
        proposals += slots.size
        max_logit = max(max_logit, float(logits.max()))
        acceptance_logit = _acceptance_logit(logits, max_logit, epsilon)
        shift = gamma if gamma_percentile is None else np.percentile(acceptance_logit, gamma_percentile)
        accepted = uniforms.random(slots.size) < _sigmoid(acceptance_logit - shift)
        accepted_count += int(accepted.sum())
        if samples is None:
            samples = np.zeros((n,) + candidates.shape[1:], "float32")
        filled, first = np.unique(slots[accepted], return_index=True)
        samples[filled] = candidates[np.flatnonzero(accepted)[first]]
        pending = np.setdiff1d(pending, filled, assume_unique=True)
    if samples is None:
        samples = np.zeros((0,) + burn_in_samples.shape[1:], "float32")
    info = {
        "acceptance_rate": accepted_count / proposals if proposals else float("nan"),
        "proposals": proposals,
        "max_logit": max_logit,
    }
    return finish(samples, info, return_info)


def _check_finite(logits):
    if not np.all(np.isfinite(logits)):
        raise ValueError(
            "The discriminator gave non-finite logits (NaN or inf): its weights diverged, "
            "so its scores cannot guide sampling."
        )
