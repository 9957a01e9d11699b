"""`AdversarialModel`: the training engine every GAN variant shares."""

import keras
import numpy as np
from keras import ops

from keras_gans import losses
from keras_gans import networks
from keras_gans.backend import AdversarialTrainer
from keras_gans.models.adversarial_optimizer import AdversarialOptimizer


def _static_shape(shape):
    return tuple(None if d is None else int(d) for d in shape)


@keras.saving.register_keras_serializable(package="keras_gans")
class AdversarialModel(AdversarialTrainer, keras.Model):
    """A generator and a discriminator trained against each other with `model.fit`.

    One `train_step` runs `n_critic` discriminator updates (each on the same real
    batch with fresh latent noise) and then one generator update, with separate
    optimizers (two time-scale update rule). Losses and penalties come from the
    variant (a subclass) through `discriminator_objective` and
    `generator_objective`; the backend module (`keras_gans.backend`) supplies the
    gradients and optimizer updates for TensorFlow, JAX and PyTorch. Under the
    `mixed_float16` policy each optimizer is wrapped in a
    `keras.optimizers.LossScaleOptimizer`.

    Real data is whatever `fit` receives: a NumPy array or tensor of samples,
    `(samples, labels)` pairs, or a `tf.data.Dataset` of either.

    Args:
        generator: a `keras.Model` mapping latent vectors `(batch, latent_dim)` to
            samples. Built from `image_shape` with `keras_gans.networks.dcgan_generator`
            when omitted.
        discriminator: a `keras.Model` mapping samples to logits `(batch, 1)`.
            Built with `keras_gans.networks.dcgan_discriminator` when omitted.
        latent_dim: size of the latent vector; read from the generator's input
            when omitted (100 for default networks).
        image_shape: sample shape for default networks, e.g. `(28, 28, 1)`.
        loss: an adversarial loss name (see `keras_gans.losses.get`) or object.
        n_critic: discriminator updates per generator update (>= 1).
        seed: optional int seed for the latent noise of training.
        name: model name.

    Example:

    ```python
    gan = keras_gans.models.GAN(image_shape=(28, 28, 1), latent_dim=64)
    gan.compile()
    gan.fit(images, batch_size=64, epochs=5)
    samples = gan.generate(16, seed=0)
    ```

    Reference:
        Goodfellow et al., "Generative Adversarial Nets", NeurIPS 2014.
        Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge to a
        Local Nash Equilibrium", NeurIPS 2017 (separate optimizers, TTUR).
    """

    default_loss = "non_saturating"
    default_n_critic = 1
    default_critic_normalization = "batch"
    # Logged values besides d_loss and g_loss (penalties), in display order.
    penalty_names = ()

    def __init__(
        self,
        generator=None,
        discriminator=None,
        latent_dim=None,
        image_shape=None,
        loss=None,
        n_critic=None,
        seed=None,
        name=None,
        **kwargs,
    ):
        super().__init__(name=name or _snake_case(type(self).__name__), **kwargs)
        n_critic = self.default_n_critic if n_critic is None else n_critic
        if isinstance(n_critic, bool) or not isinstance(n_critic, (int, np.integer)) or n_critic < 1:
            raise ValueError(f"n_critic must be an integer >= 1, got {n_critic!r}.")
        self.n_critic = int(n_critic)
        self.loss_name = loss if loss is not None else self.default_loss
        self.adversarial_loss = losses.get(self.loss_name)
        self.seed = seed
        self.generator, self.discriminator, self.latent_dim = self._build_networks(
            generator, discriminator, latent_dim, image_shape
        )
        self.image_shape = _static_shape(self.generator.output_shape)[1:]
        self.seed_generator = keras.random.SeedGenerator(seed, name="latent_seed")
        self.loss_trackers = [
            keras.metrics.Mean(name=n) for n in ("d_loss", "g_loss") + tuple(self.penalty_names)
        ]
        self.built = True

    # ------------------------------------------------------------------ networks

    @property
    def num_classes(self):
        return None

    def generator_input_shapes(self):
        """Input shapes (without batch) the generator must accept."""
        return [(self.latent_dim,)]

    def default_generator(self, latent_dim, image_shape):
        return networks.dcgan_generator(latent_dim=latent_dim, image_shape=image_shape)

    def default_discriminator(self, image_shape):
        return networks.dcgan_discriminator(
            image_shape=image_shape, normalization=self.default_critic_normalization
        )

    def discriminator_input_shapes(self, sample_shape):
        """Input shapes (without batch) the discriminator must accept."""
        return [sample_shape]

    def expected_discriminator_output(self):
        """Last dimension of the discriminator's logits."""
        return 1

    def _build_networks(self, generator, discriminator, latent_dim, image_shape):
        if generator is None or discriminator is None:
            if image_shape is None and generator is None:
                raise ValueError(
                    "Pass a `generator` and a `discriminator`, or an `image_shape` such as "
                    "(28, 28, 1) to build the default DCGAN networks."
                )
        if generator is None:
            latent_dim = 100 if latent_dim is None else latent_dim
            self.latent_dim = int(latent_dim)
            generator = self.default_generator(self.latent_dim, tuple(image_shape))
        elif latent_dim is None:
            latent_dim = _input_dim(generator)
            if latent_dim is None:
                raise ValueError(
                    "Could not read the latent size from the generator's input; pass `latent_dim`."
                )
        self.latent_dim = int(latent_dim)
        if self.latent_dim < 1:
            raise ValueError(f"latent_dim must be >= 1, got {latent_dim}.")
        _check_generator(generator, self.generator_input_shapes(), self.latent_dim)
        sample_shape = _static_shape(generator.output_shape)[1:]
        if image_shape is not None and tuple(image_shape) != sample_shape:
            raise ValueError(
                f"The generator produces samples of shape {sample_shape}, but "
                f"image_shape={tuple(image_shape)}."
            )
        if discriminator is None:
            discriminator = self.default_discriminator(sample_shape)
        _check_discriminator(
            discriminator,
            self.discriminator_input_shapes(sample_shape),
            self.expected_discriminator_output(),
        )
        return generator, discriminator, self.latent_dim

    # ----------------------------------------------------------------- compile

    def default_optimizers(self):
        """(generator, discriminator) optimizers used when `compile` gets none."""
        return (
            keras.optimizers.Adam(2e-4, beta_1=0.5),
            keras.optimizers.Adam(2e-4, beta_1=0.5),
        )

    def compile(self, g_optimizer=None, d_optimizer=None, jit_compile="auto", **kwargs):
        """Configures the two optimizers.

        Args:
            g_optimizer: generator optimizer (instance or name); the variant's
                default (e.g. Adam(2e-4, beta_1=0.5) for GAN) when omitted.
            d_optimizer: discriminator optimizer, likewise. Different learning
                rates for the two give the two time-scale update rule (TTUR).
            jit_compile: as in `keras.Model.compile` (XLA on TensorFlow and JAX).
            **kwargs: passed to `keras.Model.compile` (`steps_per_execution`,
                `run_eagerly`, ...). `loss`, `metrics` and `optimizer` are not
                accepted: the variant defines its losses.
        """
        for key in ("loss", "metrics", "optimizer"):
            if kwargs.get(key) is not None:
                raise ValueError(
                    f"{type(self).__name__}.compile() does not take `{key}`: pass "
                    "g_optimizer/d_optimizer; losses are set on the model (`loss=`)."
                )
        default_g, default_d = self.default_optimizers()
        g_optimizer = keras.optimizers.get(g_optimizer) if g_optimizer is not None else default_g
        d_optimizer = keras.optimizers.get(d_optimizer) if d_optimizer is not None else default_d
        if g_optimizer is d_optimizer:
            raise ValueError(
                "g_optimizer and d_optimizer must be two different optimizer objects: each "
                "keeps per-variable state for its own network."
            )
        self._compile_optimizers = (g_optimizer, d_optimizer)
        if self.dtype_policy.name == "mixed_float16":
            g_optimizer = _loss_scaled(g_optimizer)
            d_optimizer = _loss_scaled(d_optimizer)
        g_optimizer.build(self.generator.trainable_variables)
        d_optimizer.build(self.discriminator.trainable_variables)
        optimizer = AdversarialOptimizer(g_optimizer, d_optimizer)
        optimizer.build()
        kwargs.pop("loss", None)
        kwargs.pop("metrics", None)
        kwargs.pop("optimizer", None)
        kwargs.pop("auto_scale_loss", None)
        super().compile(optimizer=optimizer, jit_compile=jit_compile, auto_scale_loss=False, **kwargs)
        self._compile_kwargs = dict(kwargs, jit_compile=jit_compile)

    @property
    def g_optimizer(self):
        """The generator's optimizer (loss-scaled under mixed_float16)."""
        return self.optimizer.generator_optimizer

    @property
    def d_optimizer(self):
        """The discriminator's optimizer (loss-scaled under mixed_float16)."""
        return self.optimizer.discriminator_optimizer

    def get_compile_config(self):
        if not getattr(self, "_compile_optimizers", None):
            return None
        g_optimizer, d_optimizer = self._compile_optimizers
        config = {
            "g_optimizer": keras.saving.serialize_keras_object(g_optimizer),
            "d_optimizer": keras.saving.serialize_keras_object(d_optimizer),
        }
        for key in ("jit_compile", "steps_per_execution"):
            if key in self._compile_kwargs:
                config[key] = self._compile_kwargs[key]
        return config

    def compile_from_config(self, config):
        config = dict(config)
        for key in ("g_optimizer", "d_optimizer"):
            config[key] = keras.saving.deserialize_keras_object(config[key])
        self.compile(**config)

    # ------------------------------------------------------------- the step

    @property
    def metrics(self):
        return list(self.loss_trackers)

    def unpack_batch(self, data):
        """Splits what `fit` yields into (real samples, labels or None)."""
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        if isinstance(x, (list, tuple)) and len(x) == 2 and y is None:
            x, y = x
        return ops.cast(x, "float32"), y

    def sample_latent(self, batch_size, seed=None):
        """Latent noise `(batch_size, latent_dim)` from N(0, 1)."""
        return keras.random.normal(
            (batch_size, self.latent_dim), seed=self.seed_generator if seed is None else seed
        )

    def generator_inputs(self, z, labels):
        """What the generator is called on (conditional variants add labels)."""
        return z

    def discriminator_inputs(self, samples, labels):
        """What the discriminator is called on (conditional variants add labels)."""
        return samples

    def fake_labels(self, batch_size, labels):
        """Labels the generator is conditioned on during training (None here)."""
        return None

    def discriminator_outputs(self, samples, labels, training=True):
        return self.discriminator(self.discriminator_inputs(samples, labels), training=training)

    def discriminator_objective(self, real, labels, training=True):
        """Discriminator loss on one real batch and fresh fakes, plus penalties.

        Returns `(total_loss, logs)`; `logs` maps `d_loss` and each penalty name to
        its (unweighted) value.
        """
        batch_size = ops.shape(real)[0]
        fake_labels = self.fake_labels(batch_size, labels)
        z = self.sample_latent(batch_size)
        fake = self.generator(self.generator_inputs(z, fake_labels), training=training)
        fake = ops.stop_gradient(ops.cast(fake, real.dtype))
        real_logits = self.discriminator_outputs(real, labels, training=training)
        fake_logits = self.discriminator_outputs(fake, fake_labels, training=training)
        d_loss = self.discriminator_loss(real_logits, fake_logits, labels, fake_labels)
        logs = {"d_loss": d_loss}
        total = d_loss
        for name, (value, weight) in self.discriminator_penalties(
            real, fake, labels, fake_labels, real_logits, fake_logits, training
        ).items():
            logs[name] = value
            total = total + weight * value
        return total, logs

    def discriminator_loss(self, real_logits, fake_logits, real_labels, fake_labels):
        return self.adversarial_loss.discriminator_loss(real_logits, fake_logits)

    def discriminator_penalties(self, real, fake, real_labels, fake_labels, real_logits, fake_logits, training):
        """Named `(value, weight)` penalties added to the discriminator loss."""
        return {}

    def generator_objective(self, real, labels, training=True):
        """Generator loss on fresh fakes. Returns `(loss, {"g_loss": loss})`."""
        batch_size = ops.shape(real)[0]
        fake_labels = self.fake_labels(batch_size, labels)
        z = self.sample_latent(batch_size)
        fake = self.generator(self.generator_inputs(z, fake_labels), training=training)
        fake_logits = self.discriminator_outputs(fake, fake_labels, training=training)
        g_loss = self.generator_loss(fake_logits)
        return g_loss, {"g_loss": g_loss}

    def generator_loss(self, fake_logits):
        return self.adversarial_loss.generator_loss(fake_logits)

    def after_discriminator_update(self):
        """Stateful work after each discriminator step (e.g. weight clipping)."""

    def after_generator_update(self):
        """Stateful work after each generator step (e.g. an EMA of the weights)."""

    def adversarial_step(self, real, labels, update, run):
        """One training step, written once for all backends.

        Args:
            real: the real batch; labels: its labels or None.
            update: `update(network, optimizer, objective) -> logs` from the backend.
            run: `run(fn)` from the backend, for stateful code.
        """
        for _ in range(self.n_critic):
            logs = update(
                self.discriminator,
                self.d_optimizer,
                lambda: self.discriminator_objective(real, labels),
            )
            run(self.after_discriminator_update)
            run(lambda logs=logs: self._track(logs))
        logs = update(self.generator, self.g_optimizer, lambda: self.generator_objective(real, labels))
        run(self.after_generator_update)
        run(lambda: self._track(logs))
        run(lambda: self.optimizer.iterations.assign_add(1))

    def evaluation_step(self, real, labels):
        """Losses without updates (`model.evaluate`)."""
        _, d_logs = self.discriminator_objective(real, labels, training=False)
        _, g_logs = self.generator_objective(real, labels, training=False)
        self._track({**d_logs, **g_logs})

    def _track(self, logs):
        trackers = {m.name: m for m in self.loss_trackers}
        for name, value in logs.items():
            trackers[name].update_state(value)

    def current_logs(self):
        return {m.name: m.result() for m in self.loss_trackers}

    # ------------------------------------------------------------- sampling

    def call(self, inputs, training=False):
        """Runs the generator: `model(z)` / `model.predict(z)` give samples."""
        return self.generator(inputs, training=training)

    def sampling_generator(self):
        """The generator `generate` uses (the EMA copy in variants that keep one)."""
        return self.generator

    def generate(self, n, seed=None, labels=None, batch_size=256):
        """Generates `n` samples as a NumPy float32 array.

        Args:
            n: number of samples.
            seed: int for reproducible samples; None draws from the model's seed
                generator.
            labels: class labels for conditional models (ignored otherwise).
            batch_size: generator batch size.
        """
        n = int(n)
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}.")
        z = self.sample_latent(n, seed=seed)
        labels = self.prepare_labels(n, labels, seed)
        generator = self.sampling_generator()
        outputs = []
        for start in range(0, n, batch_size):
            stop = min(start + batch_size, n)
            z_batch = z[start:stop]
            label_batch = None if labels is None else labels[start:stop]
            out = generator(self.generator_inputs(z_batch, label_batch), training=False)
            outputs.append(ops.convert_to_numpy(ops.cast(out, "float32")))
        if not outputs:
            return np.zeros((0,) + tuple(self.image_shape), "float32")
        return np.concatenate(outputs, axis=0)

    def prepare_labels(self, n, labels, seed):
        return None

    # --------------------------------------------------------- serialization

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "generator": keras.saving.serialize_keras_object(self.generator),
            "discriminator": keras.saving.serialize_keras_object(self.discriminator),
            "latent_dim": self.latent_dim,
            "loss": self.loss_name if isinstance(self.loss_name, str) else None,
            "n_critic": self.n_critic,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        for key in ("generator", "discriminator"):
            if isinstance(config.get(key), dict):
                config[key] = keras.saving.deserialize_keras_object(
                    config[key], custom_objects=custom_objects
                )
        return cls(**config)

    def save_own_variables(self, store):
        super().save_own_variables(store)
        # Seed generator states are not saved by Keras layers; keep the noise
        # stream so that a resumed run continues exactly.
        store["latent_seed_state"] = ops.convert_to_numpy(self.seed_generator.state.value)

    def load_own_variables(self, store):
        own = {k: store[k] for k in store.keys() if k != "latent_seed_state"}
        super().load_own_variables(own)
        if "latent_seed_state" in store.keys():
            self.seed_generator.state.assign(np.asarray(store["latent_seed_state"]))


def _snake_case(name):
    out = []
    for i, c in enumerate(name):
        if c.isupper() and i and (not name[i - 1].isupper() or (i + 1 < len(name) and name[i + 1].islower())):
            out.append("_")
        out.append(c.lower())
    return "".join(out)


def _loss_scaled(optimizer):
    if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        return optimizer
    return keras.optimizers.LossScaleOptimizer(optimizer)


def _input_shapes(model):
    try:
        shapes = model.input_shape
    except (AttributeError, ValueError):
        return None
    if isinstance(shapes, tuple) and (not shapes or not isinstance(shapes[0], (tuple, list))):
        shapes = [shapes]
    return [_static_shape(s) for s in shapes]


def _input_dim(generator):
    shapes = _input_shapes(generator)
    if not shapes:
        return None
    return shapes[0][-1]


def _check_generator(generator, input_shapes, latent_dim):
    if not isinstance(generator, keras.Model) and not isinstance(generator, keras.layers.Layer):
        raise ValueError(f"generator must be a keras.Model, got {type(generator).__name__}.")
    declared = _input_shapes(generator)
    if declared is not None:
        if len(declared) != len(input_shapes):
            raise ValueError(
                f"The generator takes {len(declared)} input(s) {declared}, but this model feeds it "
                f"{len(input_shapes)}: {[(None,) + s for s in input_shapes]}."
            )
        if declared[0][-1] != latent_dim:
            raise ValueError(
                f"latent_dim={latent_dim} does not match the generator, whose input is "
                f"{declared[0]} (latent size {declared[0][-1]})."
            )
    if not generator.built:
        shapes = [(None,) + tuple(s) for s in input_shapes]
        generator.build(shapes[0] if len(shapes) == 1 else shapes)


def _check_discriminator(discriminator, input_shapes, expected_outputs):
    if not isinstance(discriminator, keras.layers.Layer):
        raise ValueError(f"discriminator must be a keras.Model, got {type(discriminator).__name__}.")
    declared = _input_shapes(discriminator)
    wanted = [(None,) + tuple(s) for s in input_shapes]
    if declared is not None:
        compatible = len(declared) == len(wanted) and all(
            len(d) == len(w) and all(a is None or b is None or a == b for a, b in zip(d[1:], w[1:]))
            for d, w in zip(declared, wanted)
        )
        if not compatible:
            raise ValueError(
                f"The generator's output shape {wanted[0]} does not match the "
                f"discriminator's input shape {declared[0] if len(declared) == 1 else declared}."
            )
    elif not discriminator.built:
        discriminator.build(wanted[0] if len(wanted) == 1 else wanted)
    if expected_outputs is None:
        return
    try:
        out_shape = discriminator.compute_output_shape(wanted[0] if len(wanted) == 1 else wanted)
    except Exception:  # noqa: BLE001 - subclassed models may not implement it
        return
    if out_shape and not isinstance(out_shape[0], (list, tuple)) and out_shape[-1] != expected_outputs:
        raise ValueError(
            f"The discriminator must output logits of shape (batch, {expected_outputs}); "
            f"it outputs {tuple(out_shape)}."
        )
