"""`AdversarialModel`: the training engine every GAN variant shares."""

import keras
import numpy as np
from keras import ops

from keras_gans import losses
from keras_gans import networks
from keras_gans import terms as terms_lib
from keras_gans.backend import AdversarialTrainer
from keras_gans.models import network_checks
from keras_gans.models import training_data
from keras_gans.models.compile_mixin import CompileMixin
from keras_gans.models.config_mixin import ConfigMixin
from keras_gans.models.generation_mixin import GenerationMixin
from keras_gans.models.phase import build_phases
from keras_gans.random_streams import derive_seed
from keras_gans.random_streams import load_seed_states
from keras_gans.random_streams import save_seed_states
from keras_gans.random_streams import seed_generators
from keras_gans.random_streams import stream
from keras_gans.terms import StepTensors
from keras_gans.terms import Term

# Saved by keras-gans 0.1: the latent stream's state only.
_LEGACY_SEED_KEY = "latent_seed_state"
_SEED_PREFIX = "seed_state"


def snake_case(name):
    """`"WGANGP"` -> `"wgangp"`, `"ConditionalGAN"` -> `"conditional_gan"`."""
    out = []
    for i, c in enumerate(name):
        if c.isupper() and i and (not name[i - 1].isupper() or (i + 1 < len(name) and name[i + 1].islower())):
            out.append("_")
        out.append(c.lower())
    return "".join(out)


@keras.saving.register_keras_serializable(package="keras_gans")
class AdversarialModel(ConfigMixin, CompileMixin, GenerationMixin, AdversarialTrainer, keras.Model):
    """A generator and a discriminator trained against each other with `model.fit`.

    A train step is a list of phases (`self.phases`, see
    `keras_gans.models.Phase`), each an optimizer update of one network on the
    sum of its terms (`self.terms`, see `keras_gans.terms`): the
    discriminator's main phase `n_critic` times, each on a real batch of its
    own with fresh fakes, lazy discriminator regularization (e.g. R1 every 16
    steps), the generator's main phase and lazy generator regularization. The
    variant (a subclass) gives its loss and its own terms (`variant_terms`);
    training tricks come from the constructor keywords below or as `terms=`;
    the backend module (`keras_gans.backend`) supplies gradients and
    optimizer updates for TensorFlow, JAX and PyTorch, with separate
    optimizers for the two networks (TTUR). Under `mixed_float16` each
    optimizer is wrapped in a `keras.optimizers.LossScaleOptimizer`; logged
    means skip the steps whose update the loss scaler skipped.

    Real data is whatever `fit` receives: arrays of samples, `(samples,
    labels)` pairs, or a batched `tf.data.Dataset` of either. `batch_size` is
    the batch of one critic update: every step takes `n_critic` batches (see
    `keras_gans.models.training_data`), and data are checked first (no
    examples, NaN/Inf, labels outside `[0, num_classes)`: errors; data
    outside the generator's output range: a warning).

    Random numbers: one model `seed` gives every consumer (latent noise, fake
    labels, data order, each term's noise) an independent stream
    (`keras_gans.random_streams.derive_seed`); their states are saved with
    the model, so a resumed run continues every stream.

    Args:
        generator: a `keras.Model` mapping latent vectors `(batch, latent_dim)`
            to samples. Built from `image_shape` with
            `keras_gans.networks.dcgan_generator` when omitted.
        discriminator: a `keras.Model` mapping samples to logits `(batch, 1)`.
            Built with `keras_gans.networks.dcgan_discriminator` when omitted.
        latent_dim: size of the latent vector; read from the generator's input
            when omitted (100 for default networks).
        image_shape: sample shape for default networks, e.g. `(28, 28, 1)`.
        loss: an adversarial loss name (see `keras_gans.losses.get`) or object.
        n_critic: discriminator updates per generator update (>= 1).
        seed: optional int seed of every random stream of training.
        name: model name.
        terms: extra `keras_gans.terms.Term`s (penalties, tricks) to train with.
        label_smoothing: one-sided label smoothing (`LabelSmoothing`).
        label_flip_probability: noisy labels (`LabelFlips`).
        instance_noise, instance_noise_decay_steps: Gaussian noise on every
            discriminator input, decaying linearly (`InstanceNoise`).
        feature_matching_layer: the generator matches the mean features of this
            discriminator layer (`FeatureMatching`).
        historical_averaging: weight of historical averaging of both networks.
        ema_decay: keep an EMA of the generator; `generate` samples from it.
        packing: PacGAN degree `m` (`Packing`).
        r1_gamma, r1_interval: R1 penalty, lazily every `r1_interval` steps.
        r2_gamma: R2 penalty.
        dragan_weight: DRAGAN penalty.
        generator_dropout, generator_dropout_at_sampling: dropout after the
            generator's hidden activations, optionally also when sampling.
        weight_decay: L2 weight decay of both networks' kernels.

    Example:

    ```python
    gan = keras_gans.models.GAN(image_shape=(28, 28, 1), latent_dim=64, r1_gamma=1.0)
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
    default_latent_dim = 100
    default_critic_normalization = "batch"

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
        terms=None,
        **kwargs,
    ):
        keyword_values = {k: kwargs.pop(k, d) for k, d in terms_lib.keyword_defaults().items()}
        super().__init__(name=name or snake_case(type(self).__name__), **kwargs)
        n_critic = self.default_n_critic if n_critic is None else n_critic
        if isinstance(n_critic, bool) or not isinstance(n_critic, (int, np.integer)) or n_critic < 1:
            raise ValueError(f"`n_critic` must be an integer >= 1. Received: n_critic={n_critic!r}")
        self.n_critic = int(n_critic)
        self.loss_name = loss if loss is not None else self.default_loss
        self.adversarial_loss = losses.get(self.loss_name)
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
            raise ValueError(f"`seed` must be an int or None. Received: seed={seed!r}")
        self.seed = None if seed is None else int(seed)
        self.keyword_values = keyword_values
        for keyword, value in keyword_values.items():
            setattr(self, keyword, value)
        extra = list(terms or [])
        for term in extra:
            if not isinstance(term, Term):
                raise ValueError(
                    f"`terms` must hold keras_gans.terms.Term objects. Received: {type(term).__name__}"
                )
        self.extra_terms = extra
        all_terms = list(self.variant_terms())
        for term_class in terms_lib.KEYWORD_TERMS:
            values = {k: keyword_values[k] for k in term_class.keywords}
            all_terms.extend(term_class.from_keywords(self, **values))
        all_terms.extend(extra)
        self.generator, self.discriminator, self.latent_dim = network_checks.build_networks(
            self, generator, discriminator, latent_dim, image_shape, all_terms
        )
        self.image_shape = network_checks.static_shape(self.generator.output_shape)[1:]
        self.latent_stream = stream(self.seed, "latent")
        self.label_stream = stream(self.seed, "fake_labels")
        self.data_stream = stream(self.seed, "data_order")
        logged = {name for t in all_terms for name in t.log_names}
        adversarial = [
            terms_lib.AdversarialLoss(network)
            for network, name in (("discriminator", "d_loss"), ("generator", "g_loss"))
            if name not in logged
        ]
        self.terms = adversarial + all_terms
        for term in self.terms:
            term.attach(self)
        self._seed_term_streams()
        self.phases = tuple(build_phases(self.terms, self.n_critic))
        self.loss_trackers = [keras.metrics.Mean(name=n) for n in self._log_names()]
        self.built = True

    # ------------------------------------------------------------------ terms

    def variant_terms(self):
        """The variant's own terms (its penalties); none here."""
        return []

    def _log_names(self):
        names = []
        for term in self.terms:
            for name in term.log_names:
                if name in names:
                    raise ValueError(f"Two terms log the name {name!r}; give one of them another name.")
                names.append(name)
        first = [n for n in ("d_loss", "g_loss") if n in names]
        return first + [n for n in names if n not in first]

    def _seed_term_streams(self):
        """Seeds every term stream left unseeded from the model seed (independently)."""
        if self.seed is None:
            return
        for term in self.terms:
            for i, generator in enumerate(seed_generators(term)):
                if getattr(generator, "_initial_seed", None) is None:
                    state = np.array([derive_seed(self.seed, f"{term.name}/{i}"), 0])
                    generator.state.assign(state.astype(generator.state.dtype))

    def terms_of(self, network):
        return [t for t in self.terms if t.network == network]

    def discriminator_view(self, samples, training=True):
        """What the discriminator sees of a batch: every term's `view`, in `view_order`."""
        for term in sorted(self.terms, key=lambda t: t.view_order):
            samples = term.view(samples, self, training)
        return samples

    def discriminator_on_view(self, seen, labels, training=True):
        """The discriminator's outputs on a batch it sees as is (already viewed)."""
        return self.discriminator(self.discriminator_inputs(seen, labels), training=training)

    def discriminator_outputs(self, samples, labels, training=True):
        """The discriminator's outputs on a batch of samples (augmented, noised, packed)."""
        return self.discriminator_on_view(self.discriminator_view(samples, training), labels, training)

    def adversarial_logits(self, outputs):
        """The real/fake logits within the discriminator's outputs (all of them here)."""
        return outputs

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

    def output_range(self):
        """`(low, high)` of the generator's outputs (tanh: (-1, 1)), or None if unbounded."""
        return network_checks.output_range(self.generator)

    # -------------------------------------------------------------------- fit

    def data_seed(self):
        """The int seed of the order of the examples (from the model's data stream)."""
        return int(ops.convert_to_numpy(self.data_stream.state)[0])

    def fit(
        self,
        x=None,
        y=None,
        batch_size=None,
        epochs=1,
        verbose="auto",
        callbacks=None,
        shuffle=True,
        initial_epoch=0,
        steps_per_epoch=None,
        **kwargs,
    ):
        """`keras.Model.fit`, with `batch_size` the batch of one critic update.

        Each train step takes `n_critic` batches (one per discriminator
        update), so an epoch over N batches makes N / n_critic generator steps,
        which the progress bar and `steps_per_epoch` count. Arrays are shuffled
        in an order that depends on the model's data seed and the epoch only (a
        resumed run sees the batches an uninterrupted one would); a
        `tf.data.Dataset` is regrouped into `n_critic` of its batches per step.
        Bad data raise a `ValueError` before or while training (see
        `keras_gans.models.training_data`). Other arguments are those of
        `keras.Model.fit`.
        """
        import tensorflow as tf

        x, y, batch_size, shuffle, steps_per_epoch = training_data.prepare_fit(
            self, x, y, batch_size, epochs, shuffle, initial_epoch, steps_per_epoch, kwargs
        )
        try:
            return super().fit(
                x,
                y,
                batch_size=batch_size,
                epochs=epochs,
                verbose=verbose,
                callbacks=callbacks,
                shuffle=shuffle,
                initial_epoch=initial_epoch,
                steps_per_epoch=steps_per_epoch,
                **kwargs,
            )
        except tf.errors.InvalidArgumentError as error:
            converted = training_data.as_value_error(error)
            if converted is None:
                raise
            raise converted from None

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

    def critic_batches(self, real, labels):
        """The step's data split into `n_critic` real batches (with their labels).

        `fit` lays the `n_critic` batches of a step out example-major, so batch
        `i` is every `n_critic`-th row from row `i` (also on each replica's
        share of a distributed batch).
        """
        n = self.n_critic
        if n == 1:
            return [(real, labels)]
        rows = ops.shape(real)[0] // n * n
        return [(real[i:rows:n], None if labels is None else labels[i:rows:n]) for i in range(n)]

    def step_tensors(self, network, real, labels, training=True):
        """The `StepTensors` of one objective evaluation (variants whose data
        are not samples, e.g. image-to-image pairs, return their own subclass)."""
        return StepTensors(self, network, self.prepare_real(real), labels, training=training)

    def prepare_real(self, real):
        """The real batch as the variant trains on it (ProGAN resizes it)."""
        return real

    def sample_latent(self, batch_size, seed=None):
        """Latent noise `(batch_size, latent_dim)` from N(0, 1)."""
        return keras.random.normal(
            (batch_size, self.latent_dim), seed=self.latent_stream if seed is None else seed
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

    def phase_objective(self, phase, tensors):
        """`(loss, logs)` of a phase: the weighted sum of its terms' values."""
        total, logs = 0.0, {}
        for term in phase.terms:
            for name, value in term.compute(tensors).items():
                logs[name] = value
                total = total + (term.weight * phase.gain) * value
        return total, logs

    def run_phase(self, phase, batches, update, run):
        """The updates of one phase (its repeats, each on the next real batch)."""
        network = getattr(self, phase.network)
        optimizer = self.network_optimizer(phase.network)
        for i in range(phase.repeats):
            real, labels = batches[i % len(batches)]

            def objective(real=real, labels=labels):
                tensors = self.step_tensors(phase.network, real, labels, training=True)
                return self.phase_objective(phase, tensors)

            logs, applied = update(network, optimizer, objective)
            run(lambda network_name=phase.network: self.after_update(network_name))
            run(lambda logs=logs, applied=applied: self._track(logs, applied))

    def after_update(self, network):
        """Every term's `after_update` hook, after an update of `network`."""
        for term in self.terms_of(network):
            term.after_update(self)

    def adversarial_step(self, real, labels, update, run, when):
        """One training step, written once for all backends.

        Args:
            real: the step's real data (`n_critic` batches); labels: theirs or None.
            update: `update(network, optimizer, objective) -> (logs, applied)`
                from the backend: one optimizer step on `objective() -> (loss,
                logs)`; `applied` is False where the loss scaler skipped it.
            run: `run(fn)` from the backend, for stateful code.
            when: `when(condition, fn)` from the backend: runs `fn` only where
                the scalar `condition` holds (None: always), for lazy phases.
        """
        batches = self.critic_batches(real, labels)
        # Read inside `run`: on JAX only there is the step's (traced) value.
        iteration = run(lambda: ops.convert_to_tensor(self.train_iteration()))
        for phase in self.phases:
            condition = None
            if phase.interval > 1:
                condition = ops.equal(ops.mod(iteration, phase.interval), 0)
            when(condition, lambda phase=phase: self.run_phase(phase, batches, update, run))
        run(lambda: self.optimizer.iterations.assign_add(1))

    def objective(self, network, real, labels=None, training=True):
        """`(loss, logs)` of a network's main phase on a real batch (no update).

        Example:

        ```python
        loss, logs = gan.objective("discriminator", images)  # logs: d_loss, penalties
        ```
        """
        phase = next(p for p in self.phases if p.network == network and p.interval == 1)
        tensors = self.step_tensors(network, ops.cast(real, "float32"), labels, training)
        return self.phase_objective(phase, tensors)

    def discriminator_objective(self, real, labels=None, training=True):
        """`objective("discriminator", ...)`."""
        return self.objective("discriminator", real, labels, training)

    def generator_objective(self, real, labels=None, training=True):
        """`objective("generator", ...)`."""
        return self.objective("generator", real, labels, training)

    def evaluation_step(self, real, labels):
        """Losses without updates (`model.evaluate`): the main phases' terms."""
        logs = {}
        for phase in self.phases:
            if phase.interval == 1:
                tensors = self.step_tensors(phase.network, real, labels, training=False)
                logs.update(self.phase_objective(phase, tensors)[1])
        self._track(logs)

    def _track(self, logs, applied=None):
        trackers = {m.name: m for m in self.loss_trackers}
        weight = None if applied is None else ops.cast(applied, "float32")
        for name, value in logs.items():
            trackers[name].update_state(value, sample_weight=weight)

    def current_logs(self):
        return {m.name: m.result() for m in self.loss_trackers}

    @property
    def seed_generator(self):
        """The latent noise stream (the name keras-gans 0.1 used)."""
        return self.latent_stream

    def save_own_variables(self, store):
        super().save_own_variables(store)
        # Keras does not save seed generator states; keep every stream so that
        # a resumed run continues them exactly.
        save_seed_states(self, store, _SEED_PREFIX)

    def load_own_variables(self, store):
        own = {
            k: store[k]
            for k in store.keys()
            if k != _LEGACY_SEED_KEY and not k.startswith(_SEED_PREFIX + "_")
        }
        super().load_own_variables(own)
        load_seed_states(self, store, _SEED_PREFIX)
        if _LEGACY_SEED_KEY in store.keys():
            self.latent_stream.state.assign(np.asarray(store[_LEGACY_SEED_KEY]))
