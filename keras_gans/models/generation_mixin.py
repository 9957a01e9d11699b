"""Sampling from a GAN: `generate`, the sampling generator, labels."""

import numpy as np
from keras import ops

from keras_gans.models import training_data


class GenerationMixin:
    """`generate` and `call` of `AdversarialModel`."""

    def call(self, inputs, training=False):
        """Runs the generator: `model(z)` / `model.predict(z)` give samples."""
        return self.generator(inputs, training=training)

    def sampling_generator(self):
        """The generator `generate` uses: the EMA copy when `ema_decay` is set."""
        generator = self.generator
        for term in self.terms:
            generator = term.sampling_generator(generator)
        return generator

    def generate(
        self,
        n=None,
        seed=None,
        labels=None,
        batch_size=256,
        latents=None,
        sampler=None,
        sampler_options=None,
        **generator_kwargs,
    ):
        """Generates samples as a NumPy float32 array.

        Args:
            n: number of samples (may be omitted when `latents` is given).
            seed: int for reproducible samples (the backend's random numbers);
                None draws from the model's latent stream.
            labels: class labels for conditional models (ignored otherwise).
            batch_size: generator batch size.
            latents: a NumPy array `(n, latent_dim)` of latent vectors to use
                instead of drawn ones (the same samples on every backend).
            sampler: None for plain sampling, or a discriminator-driven sampler
                of `keras_gans.sampling` (`"drs"`, `"mh"`, `"ddls"`,
                `"truncation"`); it draws its own latents from `seed`.
            sampler_options: dict of the sampler's options (e.g. `{"gamma": 0}`
                for `"drs"`, `{"real_samples": x}` for `"mh"`).
            **generator_kwargs: extra arguments of the generator's call (e.g.
                StyleGAN's `truncation_psi`).

        Example:

        ```python
        samples = gan.generate(1000, seed=0)
        filtered = gan.generate(1000, seed=0, sampler="drs", sampler_options={"gamma": 0.0})
        ```
        """
        if sampler is not None:
            if latents is not None or generator_kwargs:
                raise ValueError(
                    "`sampler` draws its own latents and calls the generator plainly; pass neither "
                    f"`latents` nor generator arguments with it. Received: sampler={sampler!r}"
                )
            from keras_gans import sampling

            options = dict(sampler_options or {})
            options.setdefault("batch_size", batch_size)
            return sampling.sample(self, n, sampler, seed=seed, labels=labels, **options)
        if sampler_options:
            raise ValueError("`sampler_options` needs a `sampler`. Received: sampler=None")
        if latents is not None:
            latents = np.asarray(latents, "float32")
            if latents.ndim != 2 or latents.shape[1] != self.latent_dim:
                raise ValueError(
                    f"`latents` must have shape (n, {self.latent_dim}). Received: latents of shape "
                    f"{latents.shape}"
                )
            if n is not None and int(n) != len(latents):
                raise ValueError(f"`n` must equal len(latents). Received: n={n}, {len(latents)} latents")
            n = len(latents)
        if n is None:
            raise ValueError("Pass `n` (the number of samples) or `latents`.")
        if isinstance(n, bool) or int(n) != n or n < 0:
            raise ValueError(f"`n` must be an integer >= 0. Received: n={n!r}")
        n = int(n)
        batch_size = training_data.check_batch_size(batch_size)
        z = latents if latents is not None else self.sample_latent(n, seed=seed)
        labels = self.prepare_labels(n, labels, seed)
        generator = self.sampling_generator()
        outputs = []
        for start in range(0, n, batch_size):
            stop = min(start + batch_size, n)
            z_batch = ops.convert_to_tensor(z[start:stop])
            label_batch = None if labels is None else labels[start:stop]
            out = generator(self.generator_inputs(z_batch, label_batch), training=False, **generator_kwargs)
            outputs.append(ops.convert_to_numpy(ops.cast(out, "float32")))
        if not outputs:
            return np.zeros((0,) + tuple(self.image_shape), "float32")
        return np.concatenate(outputs, axis=0)

    def prepare_labels(self, n, labels, seed):
        return None
