"""Discriminator-driven latent sampling (DDLS): Langevin dynamics in latent space."""

import numpy as np
from keras import ops

from keras_gans.sampling._model_calls import RandomStreams
from keras_gans.sampling._model_calls import check_count
from keras_gans.sampling._model_calls import check_model
from keras_gans.sampling._model_calls import check_positive_float
from keras_gans.sampling._model_calls import finish
from keras_gans.sampling._model_calls import generate_from_latents
from keras_gans.sampling._model_calls import logit_tensor
from keras_gans.sampling._model_calls import pad_rows
from keras_gans.sampling._model_calls import padded_size
from keras_gans.sampling._model_calls import sample_labels


def latent_langevin_sampling(
    model,
    n,
    seed=None,
    labels=None,
    steps=100,
    step_size=0.01,
    batch_size=256,
    return_info=False,
):
    """Samples a GAN by Langevin dynamics on the latent energy the discriminator defines.

    With `d` the discriminator's logit, the distribution
    `p(x) ∝ p_g(x) exp(d(x))` is the data distribution for an optimal
    discriminator; pulled back to the latent space it has the energy
    `E(z) = ||z||^2 / 2 - d(G(z))`. Starting from `z ~ N(0, I)`, each of
    `steps` unadjusted Langevin steps moves
    `z <- z - step_size / 2 * grad E(z) + sqrt(step_size) * noise`, and the
    result is `G(z)`. Gradients come from `keras_gans.backend.input_gradient`
    (any backend); the noise is NumPy's, so a seed gives the same chain
    everywhere. For a Wasserstein critic, `d` is the critic value (the
    paper's WGAN case).

    Args:
        model: a `keras_gans` model (unpacked discriminator, `packing=1`).
        n: number of samples (chains).
        seed: int seed of the initial latents, the noise and labels, or None.
        labels: conditional models: one class, one label per sample, or None
            for uniformly drawn labels.
        steps: Langevin steps.
        step_size: `epsilon` of the update (the discretisation makes the
            chain's distribution slightly wider than the target; smaller is
            more exact and slower to mix).
        batch_size: chains run together in one gradient call.
        return_info: also return a dict with `mean_energy_start` and
            `mean_energy_end` (the energy `E(z)` averaged over chains).

    Returns:
        float32 NumPy array `(n, *sample_shape)` (and the info dict).

    Example:

    ```python
    points = keras_gans.sampling.latent_langevin_sampling(gan, 2500, seed=0, steps=200)
    ```

    Reference:
        Che, Zhang, Sohl-Dickstein, Larochelle, Paull, Cao & Bengio, "Your GAN
        is Secretly an Energy-based Model and You Should Use Discriminator
        Driven Latent Sampling", NeurIPS 2020. https://arxiv.org/abs/2003.06060
    """
    from keras_gans.backend import input_gradient  # noqa: PLC0415 (backend picked at import)

    check_model(model, "ddls")
    n = check_count(n, "n")
    steps = check_count(steps, "steps")
    batch_size = check_count(batch_size, "batch_size", minimum=1)
    step_size = check_positive_float(step_size, "step_size")
    streams = RandomStreams(seed)
    labels = sample_labels(model, n, labels, streams)
    z = streams.latents(n, model.latent_dim).astype("float64")
    noise = streams.generator()
    generator = model.sampling_generator()
    energy_start = np.zeros(n)
    energy_end = np.zeros(n)

    for start in range(0, n, batch_size):
        stop = min(start + batch_size, n)
        size = padded_size(stop - start, batch_size)
        label_batch = None if labels is None else ops.convert_to_tensor(pad_rows(labels[start:stop], size))

        def logit_of_latent(latent, label_batch=label_batch):
            samples = generator(model.generator_inputs(latent, label_batch), training=False)
            return logit_tensor(model, samples, label_batch)

        def energy(latent):
            logits = ops.convert_to_numpy(logit_of_latent(ops.convert_to_tensor(latent, "float32")))
            return 0.5 * np.sum(latent**2, axis=1) - logits

        chain = pad_rows(z[start:stop], size)
        energy_start[start:stop] = energy(chain)[: stop - start]
        for _ in range(steps):
            gradient = input_gradient(logit_of_latent, ops.convert_to_tensor(chain, "float32"))
            gradient = np.asarray(ops.convert_to_numpy(gradient), "float64")
            if not np.all(np.isfinite(gradient)):
                raise ValueError(
                    "The discriminator's gradient became non-finite (NaN or inf) during "
                    "Langevin sampling: lower `step_size`. Received: "
                    f"step_size={step_size}"
                )
            energy_gradient = chain - gradient
            chain = (
                chain
                - 0.5 * step_size * energy_gradient
                + np.sqrt(step_size) * noise.standard_normal(chain.shape)
            )
        z[start:stop] = chain[: stop - start]
        energy_end[start:stop] = energy(chain)[: stop - start]

    samples = generate_from_latents(model, z.astype("float32"), labels, batch_size)
    info = {
        "mean_energy_start": float(energy_start.mean()) if n else float("nan"),
        "mean_energy_end": float(energy_end.mean()) if n else float("nan"),
    }
    return finish(samples, info, return_info)
