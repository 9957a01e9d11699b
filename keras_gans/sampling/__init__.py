"""Samplers that improve on plain `G(z)`: the discriminator's scores, or a truncated latent.

| name | sampler | needs |
| --- | --- | --- |
| `"drs"` | `discriminator_rejection_sampling` (Azadi et al. 2019) | D |
| `"mh"` | `metropolis_hastings_sampling` (Turner et al. 2019) | D, held-out real samples |
| `"ddls"` | `latent_langevin_sampling` (Che et al. 2020) | D, gradients |
| `"truncation"` | `truncated_sampling` (Brock et al. 2019) | nothing |

Every sampler is called as `sampler(model, n, seed=None, labels=None,
**options)` and returns a float32 NumPy array `(n, *sample_shape)`, like
`model.generate`; `sample(model, n, "drs", seed=0)` looks the name up.
"""

import numbers

from keras_gans.sampling.latent_langevin import latent_langevin_sampling
from keras_gans.sampling.logistic_calibration import logistic_calibration
from keras_gans.sampling.metropolis_hastings import metropolis_hastings_sampling
from keras_gans.sampling.rejection_sampling import discriminator_rejection_sampling
from keras_gans.sampling.truncation import truncated_sampling

SAMPLERS = {
    "drs": discriminator_rejection_sampling,
    "mh": metropolis_hastings_sampling,
    "ddls": latent_langevin_sampling,
    "truncation": truncated_sampling,
}


def get(sampler):
    """The sampler function of a name in `SAMPLERS`, or a callable unchanged.

    Args:
        sampler: `"drs"`, `"mh"`, `"ddls"`, `"truncation"` or a function
            `(model, n, seed=None, labels=None, **options) -> samples`.

    Example:

    >>> keras_gans.sampling.get("drs")
    <function discriminator_rejection_sampling ...>
    """
    if callable(sampler):
        return sampler
    if isinstance(sampler, str) and sampler.lower() in SAMPLERS:
        return SAMPLERS[sampler.lower()]
    raise ValueError(
        f"Unknown sampler. Expected one of {sorted(SAMPLERS)} or a callable. Received: sampler={sampler!r}"
    )


def sample(model, n, sampler, seed=None, labels=None, **options):
    """`n` samples of `model` drawn with a sampler.

    Args:
        model: a `keras_gans` model.
        n: number of samples.
        sampler: a name in `SAMPLERS` or a sampler function (see `get`).
        seed: int seed (NumPy streams, the same on every backend), or None.
        labels: conditional models: one class, one label per sample, or None.
        **options: the sampler's own options (`gamma`, `chain_length`,
            `real_samples`, `steps`, `step_size`, `threshold`, `batch_size`,
            `return_info`, ...).

    Returns:
        float32 NumPy array `(n, *sample_shape)`, or `(samples, info)` with
        `return_info=True`.

    Example:

    ```python
    points = keras_gans.sampling.sample(gan, 2500, "drs", seed=0, gamma_percentile=80)
    ```
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 0:
        raise ValueError(f"`n` must be an integer >= 0. Received: n={n!r}")
    return get(sampler)(model, int(n), seed=seed, labels=labels, **options)


__all__ = [
    "SAMPLERS",
    "discriminator_rejection_sampling",
    "get",
    "latent_langevin_sampling",
    "logistic_calibration",
    "metropolis_hastings_sampling",
    "sample",
    "truncated_sampling",
]
