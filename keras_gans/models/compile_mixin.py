"""Compiling a GAN: two optimizers in one container, loss scaling, their configs."""

import keras
from keras import ops

from keras_gans.models.adversarial_optimizer import AdversarialOptimizer
from keras_gans.models.adversarial_optimizer import loss_scaled
from keras_gans.models.adversarial_optimizer import serialize_optimizer


class CompileMixin:
    """`compile(g_optimizer, d_optimizer)` and the optimizer accessors of
    `AdversarialModel` (both optimizers travel in one `AdversarialOptimizer`,
    so `fit` carries their state on every backend)."""

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
            g_optimizer = loss_scaled(g_optimizer)
            d_optimizer = loss_scaled(d_optimizer)
        g_optimizer.build(self.generator.trainable_variables)
        d_optimizer.build(self.discriminator.trainable_variables)
        optimizer = AdversarialOptimizer(g_optimizer, d_optimizer)
        optimizer.build()
        for key in ("loss", "metrics", "optimizer", "auto_scale_loss"):
            kwargs.pop(key, None)
        super().compile(optimizer=optimizer, jit_compile=jit_compile, auto_scale_loss=False, **kwargs)
        self._compile_kwargs = dict(kwargs, jit_compile=jit_compile)
        for term in self.terms:
            term.start(self)

    @property
    def g_optimizer(self):
        """The generator's optimizer (loss-scaled under mixed_float16)."""
        return self.optimizer.generator_optimizer

    @property
    def d_optimizer(self):
        """The discriminator's optimizer (loss-scaled under mixed_float16)."""
        return self.optimizer.discriminator_optimizer

    def network_optimizer(self, network):
        return self.d_optimizer if network == "discriminator" else self.g_optimizer

    def loss_scale(self, network):
        """The current loss scale of a network's optimizer under mixed_float16, else None."""
        if not self.compiled:
            return None
        optimizer = self.network_optimizer(network)
        if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
            return optimizer.scale_loss(1.0)
        return None

    def train_iteration(self):
        """The number of train steps done (an int tensor; 0 before `compile`)."""
        if not self.compiled:
            return ops.convert_to_tensor(0, "int64")
        return self.optimizer.iterations

    def get_compile_config(self):
        if not getattr(self, "_compile_optimizers", None):
            return None
        g_optimizer, d_optimizer = self._compile_optimizers
        config = {
            "g_optimizer": serialize_optimizer(g_optimizer),
            "d_optimizer": serialize_optimizer(d_optimizer),
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
