"""`AdversarialModel`: the training engine every GAN variant shares."""

import keras
import numpy as np
from keras import ops

from keras_gans import losses
from keras_gans import networks
from keras_gans import penalties
from keras_gans.backend import AdversarialTrainer
from keras_gans.layers.instance_noise import InstanceNoise
from keras_gans.models.adversarial_optimizer import AdversarialOptimizer
from keras_gans.models.feature_matching import feature_extractor
from keras_gans.models.feature_matching import feature_matching_loss
from keras_gans.models.generator_dropout import with_generator_dropout
from keras_gans.models.generator_ema import GeneratorEMA
from keras_gans.models.historical_averaging import HistoricalAverage
from keras_gans.models.label_noise import discriminator_targets
from keras_gans.models.packing import pack_samples
from keras_gans.models.packing import packed_sample_shape
from keras_gans.models.weight_decay import l2_weight_penalty


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

    Training tricks of the GAN literature are options of every variant (all off
    by default; see docs/tricks.md): label smoothing and flipped labels, instance
    noise, feature matching, historical averaging, an EMA of the generator,
    PacGAN packing, R1 / R2 / DRAGAN penalties, dropout in the generator and L2
    weight decay.

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
        label_smoothing: one-sided label smoothing: the discriminator's target for
            real samples becomes `1 - label_smoothing` (0.1 gives 0.9), fakes keep 0
            (Salimans et al. 2016). Needs a loss with targets (not hinge/Wasserstein).
        label_flip_probability: noisy labels: each sample's real/fake target in the
            discriminator loss is swapped with this probability.
        instance_noise: standard deviation of Gaussian noise added to every
            discriminator input (real and fake) in training (Sonderby et al. 2017);
            0 disables it.
        instance_noise_decay_steps: train steps over which that standard deviation
            decays linearly to 0; `None` keeps it constant.
        feature_matching_layer: name of a layer of the discriminator. When set, the
            generator minimizes `||E f(x) - E f(G(z))||^2` for that layer's features
            `f` instead of its adversarial loss (Salimans et al. 2016).
        historical_averaging: weight of `||theta - mean of past theta||^2`, added to
            each network's loss (Salimans et al. 2016); 0 disables it.
        ema_decay: keep an exponential moving average of the generator's weights
            with this decay (e.g. 0.999); `generate` then samples from it.
        packing: PacGAN degree `m`: the discriminator judges `m` samples at once,
            concatenated along the last (channel) axis (Lin et al. 2018).
        r1_gamma: gamma of the R1 penalty, `gamma / 2 * E||grad D(x)||^2` on real
            data (Mescheder et al. 2018); 0 disables it.
        r2_gamma: gamma of the R2 penalty, the same on generated data.
        dragan_weight: weight of the DRAGAN penalty around perturbed real data
            (Kodali et al. 2017); 0 disables it.
        generator_dropout: dropout rate after the generator's hidden activations,
            active in training only; 0 disables it.
        weight_decay: L2 weight decay: `weight_decay * sum ||W||^2` over the
            kernels of each network is added to its loss.

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
    default_latent_dim = 100
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
        label_smoothing=0.0,
        label_flip_probability=0.0,
        instance_noise=0.0,
        instance_noise_decay_steps=None,
        feature_matching_layer=None,
        historical_averaging=0.0,
        ema_decay=None,
        packing=1,
        r1_gamma=0.0,
        r2_gamma=0.0,
        dragan_weight=0.0,
        generator_dropout=0.0,
        weight_decay=0.0,
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
        self._set_trick_options(
            label_smoothing=label_smoothing,
            label_flip_probability=label_flip_probability,
            instance_noise=instance_noise,
            instance_noise_decay_steps=instance_noise_decay_steps,
            feature_matching_layer=feature_matching_layer,
            historical_averaging=historical_averaging,
            ema_decay=ema_decay,
            packing=packing,
            r1_gamma=r1_gamma,
            r2_gamma=r2_gamma,
            dragan_weight=dragan_weight,
            generator_dropout=generator_dropout,
            weight_decay=weight_decay,
        )
        self.generator, self.discriminator, self.latent_dim = self._build_networks(
            generator, discriminator, latent_dim, image_shape
        )
        self.image_shape = _static_shape(self.generator.output_shape)[1:]
        self.seed_generator = keras.random.SeedGenerator(seed, name="latent_seed")
        self._build_trick_state()
        self.loss_trackers = [
            keras.metrics.Mean(name=n)
            for n in ("d_loss", "g_loss") + tuple(self.penalty_names) + self._trick_penalty_names()
        ]
        self.built = True

    # ------------------------------------------------------------------ tricks

    def _set_trick_options(self, **options):
        def non_negative(name):
            value = float(options[name])
            if not value >= 0:
                raise ValueError(f"{name} must be >= 0, got {options[name]!r}.")
            return value

        self.label_smoothing = non_negative("label_smoothing")
        if self.label_smoothing >= 1:
            raise ValueError(f"label_smoothing must be in [0, 1), got {self.label_smoothing}.")
        self.label_flip_probability = non_negative("label_flip_probability")
        if self.label_flip_probability > 1:
            raise ValueError(
                f"label_flip_probability must be in [0, 1], got {self.label_flip_probability}."
            )
        if (self.label_smoothing or self.label_flip_probability) and not self.adversarial_loss.has_targets:
            raise ValueError(
                f"label_smoothing and label_flip_probability change the discriminator's targets, "
                f"but the '{self.adversarial_loss.name}' loss has none. Use 'non_saturating', "
                "'minimax' or 'least_squares'."
            )
        self.instance_noise = non_negative("instance_noise")
        decay_steps = options["instance_noise_decay_steps"]
        if decay_steps is not None and (
            isinstance(decay_steps, bool) or int(decay_steps) != decay_steps or decay_steps < 1
        ):
            raise ValueError(
                f"instance_noise_decay_steps must be None or an integer >= 1, got {decay_steps!r}."
            )
        self.instance_noise_decay_steps = None if decay_steps is None else int(decay_steps)
        layer_name = options["feature_matching_layer"]
        if layer_name is not None and not isinstance(layer_name, str):
            raise ValueError(f"feature_matching_layer must be a layer name, got {layer_name!r}.")
        self.feature_matching_layer = layer_name
        self.historical_averaging = non_negative("historical_averaging")
        ema_decay = options["ema_decay"]
        if ema_decay is not None and not 0.0 < float(ema_decay) < 1.0:
            raise ValueError(f"ema_decay must be None or in (0, 1), got {ema_decay!r}.")
        self.ema_decay = None if ema_decay is None else float(ema_decay)
        packing = options["packing"]
        if isinstance(packing, bool) or not isinstance(packing, (int, np.integer)) or packing < 1:
            raise ValueError(f"packing must be an integer >= 1, got {packing!r}.")
        if packing > 1 and self.num_classes is not None:
            raise ValueError("packing is not supported for class-conditional models.")
        self.packing = int(packing)
        self.r1_gamma = non_negative("r1_gamma")
        self.r2_gamma = non_negative("r2_gamma")
        self.dragan_weight = non_negative("dragan_weight")
        self.generator_dropout = non_negative("generator_dropout")
        if self.generator_dropout >= 1:
            raise ValueError(f"generator_dropout must be in [0, 1), got {self.generator_dropout}.")
        self.weight_decay = non_negative("weight_decay")

    def _trick_penalty_names(self):
        names = []
        if self.r1_gamma:
            names.append("r1_penalty")
        if self.r2_gamma:
            names.append("r2_penalty")
        if self.dragan_weight:
            names.append("dragan_penalty")
        return tuple(names)

    def _build_trick_state(self):
        """Creates the variables and helper models the enabled tricks need."""
        self.instance_noise_layer = None
        if self.instance_noise:
            # The layer counts its training calls: one per objective, so
            # n_critic + 1 per train step.
            decay_calls = self.instance_noise_decay_steps
            if decay_calls is not None:
                decay_calls *= self.n_critic + 1
            self.instance_noise_layer = InstanceNoise(
                stddev=self.instance_noise,
                decay_steps=decay_calls,
                final_stddev=0.0,
                seed=self.seed,
                name="instance_noise",
            )
            self.instance_noise_layer.build(None)
        self.generator_ema = None
        if self.ema_decay is not None:
            shapes = [(None,) + tuple(s) for s in self.generator_input_shapes()]
            self.generator_ema = GeneratorEMA(
                self.generator,
                self.ema_decay,
                input_shape=shapes[0] if len(shapes) == 1 else shapes,
                name="generator_ema",
            )
        self.discriminator_history = self.generator_history = None
        if self.historical_averaging:
            self.discriminator_history = HistoricalAverage(
                self.discriminator.trainable_variables, name="discriminator_history"
            )
            self.generator_history = HistoricalAverage(
                self.generator.trainable_variables, name="generator_history"
            )
        # Not a tracked attribute: the extractor shares the discriminator's layers,
        # which are saved once, under `discriminator`.
        self._features = (
            None
            if self.feature_matching_layer is None
            else _Untracked(feature_extractor(self.discriminator, self.feature_matching_layer))
        )
        self._trick_state_started = False

    def _start_trick_state(self):
        """Starts EMA and historical averages from the weights training starts with."""
        if self._trick_state_started:
            return
        self._trick_state_started = True
        if self.generator_ema is not None:
            self.generator_ema.reset(self.generator)
        if self.historical_averaging:
            self.discriminator_history.reset(self.discriminator.trainable_variables)
            self.generator_history.reset(self.generator.trainable_variables)

    def add_instance_noise(self, samples, training=True):
        """Adds the instance noise of this step to a list of batches, in one draw.

        Returns the list unchanged when instance noise is off or not training.
        """
        if self.instance_noise_layer is None or not training:
            return samples
        sizes = [ops.shape(x)[0] for x in samples]
        noisy = self.instance_noise_layer(ops.concatenate(samples, axis=0), training=True)
        if len(samples) == 1:
            return [noisy]
        out, start = [], 0
        for size in sizes:
            out.append(noisy[start : start + size])
            start = start + size
        return out

    def pack(self, samples):
        """PacGAN: `(batch, ..., C)` -> `(batch // packing, ..., packing * C)`."""
        return pack_samples(samples, self.packing)

    def adversarial_logits(self, outputs):
        """The real/fake logits within the discriminator's outputs (all of them here)."""
        return outputs

    def discriminator_targets(self, real_logits, fake_logits):
        """Targets of the adversarial loss: 1/0, or smoothed / flipped ones."""
        return discriminator_targets(
            real_logits,
            fake_logits,
            label_smoothing=self.label_smoothing,
            flip_probability=self.label_flip_probability,
            seed=self.seed_generator,
        )

    def trick_penalties(self, real, fake, real_labels, fake_labels, training):
        """R1, R2 and DRAGAN penalties, as named `(value, weight)` pairs."""
        out = {}
        if not (self.r1_gamma or self.r2_gamma or self.dragan_weight):
            return out
        loss_scale = self.d_optimizer.scale_loss(1.0) if self.compiled else None

        def critic(labels):
            return lambda x: self.adversarial_logits(self.discriminator_outputs(x, labels, training=training))

        if self.r1_gamma:
            value = penalties.r1_penalty(critic(real_labels), real, loss_scale=loss_scale)
            out["r1_penalty"] = (value, 0.5 * self.r1_gamma)
        if self.r2_gamma:
            value = penalties.r2_penalty(critic(fake_labels), fake, loss_scale=loss_scale)
            out["r2_penalty"] = (value, 0.5 * self.r2_gamma)
        if self.dragan_weight:
            value = penalties.dragan_penalty(
                critic(real_labels), real, seed=self.seed_generator, loss_scale=loss_scale
            )
            out["dragan_penalty"] = (value, self.dragan_weight)
        return out

    def weight_penalty(self, network):
        """Historical averaging and L2 weight decay of `network`, as one loss term."""
        total = 0.0
        weights = network.trainable_variables
        if self.weight_decay:
            total = total + self.weight_decay * l2_weight_penalty(weights)
        if self.historical_averaging:
            history = (
                self.discriminator_history if network is self.discriminator else self.generator_history
            )
            total = total + self.historical_averaging * history.penalty(weights)
        return total

    def _with_weight_penalty(self, network, objective):
        total, logs = objective()
        if self.weight_decay or self.historical_averaging:
            total = total + self.weight_penalty(network)
        return total, logs

    def _after_discriminator_tricks(self):
        if self.historical_averaging:
            self.discriminator_history.update(self.discriminator.trainable_variables)

    def _after_generator_tricks(self):
        if self.historical_averaging:
            self.generator_history.update(self.generator.trainable_variables)
        if self.generator_ema is not None:
            self.generator_ema.update(self.generator)

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
            latent_dim = self.default_latent_dim if latent_dim is None else latent_dim
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
        if self.generator_dropout:
            generator = with_generator_dropout(generator, self.generator_dropout, seed=self.seed)
        sample_shape = _static_shape(generator.output_shape)[1:]
        if image_shape is not None and tuple(image_shape) != sample_shape:
            raise ValueError(
                f"The generator produces samples of shape {sample_shape}, but "
                f"image_shape={tuple(image_shape)}."
            )
        # With PacGAN packing the discriminator sees `packing` samples at once.
        judged_shape = packed_sample_shape(sample_shape, self.packing) if self.packing > 1 else sample_shape
        if discriminator is None:
            discriminator = self.default_discriminator(judged_shape)
        _check_discriminator(
            discriminator,
            self.discriminator_input_shapes(judged_shape),
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
        self._start_trick_state()

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
        """The discriminator's outputs on a batch of samples (packed when `packing > 1`)."""
        return self.discriminator(self.discriminator_inputs(self.pack(samples), labels), training=training)

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
        seen_real, seen_fake = self.add_instance_noise([real, fake], training)
        real_logits = self.discriminator_outputs(seen_real, labels, training=training)
        fake_logits = self.discriminator_outputs(seen_fake, fake_labels, training=training)
        d_loss = self.discriminator_loss(real_logits, fake_logits, labels, fake_labels)
        logs = {"d_loss": d_loss}
        total = d_loss
        terms = dict(
            self.discriminator_penalties(real, fake, labels, fake_labels, real_logits, fake_logits, training)
        )
        terms.update(self.trick_penalties(real, fake, labels, fake_labels, training))
        for name, (value, weight) in terms.items():
            logs[name] = value
            total = total + weight * value
        return total, logs

    def discriminator_loss(self, real_logits, fake_logits, real_labels, fake_labels):
        real_logits = self.adversarial_logits(real_logits)
        fake_logits = self.adversarial_logits(fake_logits)
        real_target, fake_target = self.discriminator_targets(real_logits, fake_logits)
        return self.adversarial_loss.discriminator_loss(real_logits, fake_logits, real_target, fake_target)

    def discriminator_penalties(self, real, fake, real_labels, fake_labels, real_logits, fake_logits, training):
        """Named `(value, weight)` penalties added to the discriminator loss."""
        return {}

    def generator_objective(self, real, labels, training=True):
        """Generator loss on fresh fakes, plus `generator_penalties`.

        Returns `(total_loss, logs)` with `logs["g_loss"]` the adversarial (or
        feature matching) loss.
        """
        batch_size = ops.shape(real)[0]
        fake_labels = self.fake_labels(batch_size, labels)
        z = self.sample_latent(batch_size)
        fake = self.generator(self.generator_inputs(z, fake_labels), training=training)
        if self._features is None:
            (seen_fake,) = self.add_instance_noise([fake], training)
            fake_logits = self.discriminator_outputs(seen_fake, fake_labels, training=training)
            g_loss = self.generator_loss(fake_logits)
        else:
            seen_real, seen_fake = self.add_instance_noise([ops.cast(real, fake.dtype), fake], training)
            real_features, _ = self.discriminator_features(seen_real, labels, training)
            fake_features, fake_logits = self.discriminator_features(seen_fake, fake_labels, training)
            g_loss = feature_matching_loss(ops.stop_gradient(real_features), fake_features)
        logs = {"g_loss": g_loss}
        total = g_loss
        for name, (value, weight) in self.generator_penalties(fake_logits, fake_labels).items():
            logs[name] = value
            total = total + weight * value
        return total, logs

    def discriminator_features(self, samples, labels, training=True):
        """(features at `feature_matching_layer`, discriminator outputs) of a batch."""
        inputs = self.discriminator_inputs(self.pack(samples), labels)
        features, outputs = self._features.value(inputs, training=training)
        return features, outputs

    def generator_loss(self, fake_logits):
        return self.adversarial_loss.generator_loss(self.adversarial_logits(fake_logits))

    def generator_penalties(self, fake_outputs, fake_labels):
        """Named `(value, weight)` terms added to the generator loss (none here)."""
        return {}

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
                lambda: self._with_weight_penalty(
                    self.discriminator, lambda: self.discriminator_objective(real, labels)
                ),
            )
            run(self.after_discriminator_update)
            run(self._after_discriminator_tricks)
            run(lambda logs=logs: self._track(logs))
        logs = update(
            self.generator,
            self.g_optimizer,
            lambda: self._with_weight_penalty(self.generator, lambda: self.generator_objective(real, labels)),
        )
        run(self.after_generator_update)
        run(self._after_generator_tricks)
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
        """The generator `generate` uses: the EMA copy when `ema_decay` is set."""
        if self.generator_ema is not None:
            return self.generator_ema.average
        return self.generator

    def generate(self, n, seed=None, labels=None, batch_size=256, **generator_kwargs):
        """Generates `n` samples as a NumPy float32 array.

        Args:
            n: number of samples.
            seed: int for reproducible samples; None draws from the model's seed
                generator.
            labels: class labels for conditional models (ignored otherwise).
            batch_size: generator batch size.
            **generator_kwargs: extra arguments of the generator's call (e.g.
                StyleGAN's `truncation_psi`).
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
            out = generator(self.generator_inputs(z_batch, label_batch), training=False, **generator_kwargs)
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
            "label_smoothing": self.label_smoothing,
            "label_flip_probability": self.label_flip_probability,
            "instance_noise": self.instance_noise,
            "instance_noise_decay_steps": self.instance_noise_decay_steps,
            "feature_matching_layer": self.feature_matching_layer,
            "historical_averaging": self.historical_averaging,
            "ema_decay": self.ema_decay,
            "packing": self.packing,
            "r1_gamma": self.r1_gamma,
            "r2_gamma": self.r2_gamma,
            "dragan_weight": self.dragan_weight,
            "generator_dropout": self.generator_dropout,
            "weight_decay": self.weight_decay,
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
        # Loaded EMA weights and weight histories must survive a later compile().
        self._trick_state_started = True
        own = {k: store[k] for k in store.keys() if k != "latent_seed_state"}
        super().load_own_variables(own)
        if "latent_seed_state" in store.keys():
            self.seed_generator.state.assign(np.asarray(store["latent_seed_state"]))


class _Untracked:
    """Holds a value out of Keras' attribute tracking (and out of saved files)."""

    def __init__(self, value):
        self.value = value


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
