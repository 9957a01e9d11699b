"""Metropolis-Hastings GAN sampling (MH-GAN)."""

import numpy as np

from keras_gans.sampling._model_calls import RandomStreams
from keras_gans.sampling._model_calls import check_count
from keras_gans.sampling._model_calls import check_model
from keras_gans.sampling._model_calls import discriminator_logits
from keras_gans.sampling._model_calls import finish
from keras_gans.sampling._model_calls import generate_from_latents
from keras_gans.sampling._model_calls import sample_labels
from keras_gans.sampling._model_calls import take_labels
from keras_gans.sampling.logistic_calibration import logistic_calibration

CALIBRATIONS = ("logistic", None)
INITIAL_STATES = ("real", "generated")


def metropolis_hastings_sampling(
    model,
    n,
    seed=None,
    labels=None,
    chain_length=640,
    real_samples=None,
    real_labels=None,
    calibration="logistic",
    initial_state=None,
    batch_size=256,
    return_info=False,
):
    """Samples a GAN with an independent Metropolis-Hastings chain per sample.

    The generator is the proposal: each of the `n` chains draws
    `chain_length` fresh samples `x' = G(z')` and moves from its state `x_k`
    to `x'` with probability `min(1, (1/D(x_k) - 1) / (1/D(x') - 1))`, with
    `D` the calibrated probability that a sample is real. For a calibrated
    optimal discriminator, `1/D - 1 = p_g / p_data`, so the chain's stationary
    distribution is the data distribution; in logits the ratio is
    `exp(d(x') - d(x_k))`. The result is each chain's last state.

    Calibration (`"logistic"`, Platt scaling with
    `keras_gans.sampling.logistic_calibration`) fits `d -> scale * d + shift`
    on held-out `real_samples` against as many generated ones. Chains start
    at a random real sample (`initial_state="real"`, the paper's way to skip
    burn-in); a chain that never accepts a generated sample is run again
    from a generated start, so no real sample is ever returned.
    `initial_state="generated"` starts every chain at its first proposal.

    Args:
        model: a `keras_gans` model (unpacked discriminator, `packing=1`).
        n: number of samples (chains).
        seed: int seed of latents, acceptance draws, labels and real starts
            (NumPy, the same on every backend), or None.
        labels: conditional models: one class, one label per sample, or None
            for uniformly drawn labels; each chain keeps its label.
        chain_length: proposals per chain (the paper's K, 640).
        real_samples: held-out real samples (not used in training) for the
            calibration and the real starts.
        real_labels: their class labels (conditional models).
        calibration: `"logistic"` (needs `real_samples`) or None for the raw
            discriminator.
        initial_state: `"real"` (default with `real_samples`) or
            `"generated"` (default without).
        batch_size: samples per generator and discriminator call.
        return_info: also return a dict with `acceptance_rate`,
            `restarted_chains`, `scale` and `shift`.

    Returns:
        float32 NumPy array `(n, *sample_shape)` (and the info dict).

    Example:

    ```python
    held_out = keras_gans.data.mixture("ring", 2_000, seed=123)
    points = keras_gans.sampling.metropolis_hastings_sampling(
        gan, 2500, seed=0, real_samples=held_out)
    ```

    Reference:
        Turner, Hung, Frank, Saatci & Yosinski, "Metropolis-Hastings
        Generative Adversarial Networks", ICML 2019.
        https://arxiv.org/abs/1811.11357
    """
    check_model(model, "mh")
    n = check_count(n, "n")
    chain_length = check_count(chain_length, "chain_length", minimum=1)
    batch_size = check_count(batch_size, "batch_size", minimum=1)
    if calibration not in CALIBRATIONS:
        raise ValueError(
            f"`calibration` must be one of {CALIBRATIONS}. Received: calibration={calibration!r}"
        )
    if initial_state is None:
        initial_state = "generated" if real_samples is None else "real"
    if initial_state not in INITIAL_STATES:
        raise ValueError(
            f"`initial_state` must be one of {INITIAL_STATES}. Received: initial_state={initial_state!r}"
        )
    conditional = getattr(model, "num_classes", None) is not None
    if real_samples is None and (calibration is not None or initial_state == "real"):
        raise ValueError(
            "Metropolis-Hastings sampling needs held-out `real_samples` for "
            f"calibration={calibration!r} and initial_state={initial_state!r}. Pass them, or "
            "calibration=None and initial_state='generated' to use the raw discriminator. "
            "Received: real_samples=None"
        )
    if real_samples is not None:
        real_samples = np.asarray(real_samples, "float32")
        if conditional:
            if real_labels is None:
                raise ValueError(
                    "A conditional model needs `real_labels` with `real_samples`. Received: real_labels=None"
                )
            real_labels = model.prepare_labels(len(real_samples), real_labels, 0)
        else:
            real_labels = None

    streams = RandomStreams(seed)
    labels = sample_labels(model, n, labels, streams)
    scale, shift = 1.0, 0.0
    if calibration == "logistic":
        real_logits = discriminator_logits(model, real_samples, real_labels, batch_size)
        fakes = generate_from_latents(
            model, streams.latents(len(real_samples), model.latent_dim), real_labels, batch_size
        )
        fake_logits = discriminator_logits(model, fakes, real_labels, batch_size)
        scale, shift = logistic_calibration(real_logits, fake_logits)

    def calibrated_logits(samples, sample_labels_):
        logits = discriminator_logits(model, samples, sample_labels_, batch_size)
        if not np.all(np.isfinite(logits)):
            raise ValueError(
                "The discriminator gave non-finite logits (NaN or inf): its weights "
                "diverged, so its scores cannot guide sampling."
            )
        return scale * logits + shift

    uniforms = streams.generator()
    dim = model.latent_dim

    def propose(chain_labels, count):
        proposals = generate_from_latents(model, streams.latents(count, dim), chain_labels, batch_size)
        return proposals, calibrated_logits(proposals, chain_labels)

    def run_chains(chains, states, state_logits, num_steps):
        """`num_steps` MH steps of the given chains, in place; returns which moved."""
        chain_labels = take_labels(labels, chains)
        moved = np.zeros(chains.size, bool)
        for _ in range(num_steps):
            proposals, proposal_logits = propose(chain_labels, chains.size)
            # min(1, (1/D(x_k) - 1) / (1/D(x') - 1)) = min(1, exp(d(x') - d(x_k))).
            log_alpha = np.minimum(proposal_logits - state_logits[chains], 0.0)
            accept = np.log(uniforms.random(chains.size)) < log_alpha
            states[chains[accept]] = proposals[accept]
            state_logits[chains[accept]] = proposal_logits[accept]
            moved |= accept
            counts["steps"] += chains.size
            counts["accepted"] += int(accept.sum())
        return moved

    counts = {"steps": 0, "accepted": 0}
    chains = np.arange(n)
    states = state_logits = None
    if initial_state == "real" and n:
        start = _real_starts(streams.generator(), n, labels, real_labels, len(real_samples))
        states = real_samples[start].copy()
        state_logits = calibrated_logits(states, labels)
        moved = run_chains(chains, states, state_logits, chain_length)
        chains = chains[~moved]  # still at a real sample: start again from a fake
    restarted = chains.size if initial_state == "real" else 0
    if chains.size:
        first, first_logits = propose(take_labels(labels, chains), chains.size)
        if states is None:
            states = np.zeros((n,) + first.shape[1:], "float32")
            state_logits = np.zeros((n,), "float64")
        states[chains] = first
        state_logits[chains] = first_logits
        run_chains(chains, states, state_logits, chain_length - 1)
    if states is None:
        states = np.zeros((0,) + tuple(model.image_shape), "float32")
    info = {
        "acceptance_rate": counts["accepted"] / counts["steps"] if counts["steps"] else float("nan"),
        "restarted_chains": int(restarted),
        "scale": scale,
        "shift": shift,
    }
    return finish(states, info, return_info)


def _real_starts(rng, n, labels, real_labels, num_real):
    """Index of a random real sample per chain, of the chain's class if conditional."""
    if labels is None:
        return rng.integers(0, num_real, n)
    labels = labels.reshape(-1)
    real_labels = real_labels.reshape(-1)
    starts = np.empty(n, "int64")
    for label in np.unique(labels):
        candidates = np.flatnonzero(real_labels == label)
        if candidates.size == 0:
            raise ValueError(
                f"No real sample of class {label} to start its chains at: pass `real_samples` "
                "of every class sampled, or initial_state='generated'. "
                f"Received: real_labels without class {label}"
            )
        chains = np.flatnonzero(labels == label)
        starts[chains] = candidates[rng.integers(0, candidates.size, chains.size)]
    return starts
