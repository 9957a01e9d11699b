"""A container optimizer holding the generator's and the discriminator's optimizers."""

import keras


@keras.saving.register_keras_serializable(package="keras_gans")
class AdversarialOptimizer(keras.optimizers.Optimizer):
    """Holds the two optimizers of a GAN so that `model.fit` carries both.

    Keras trainers carry exactly one optimizer's state (`model.optimizer.variables`)
    through `fit`; on JAX any other optimizer state would be silently dropped
    between steps. `AdversarialModel.compile` wraps its generator and
    discriminator optimizers in this container and passes it to
    `keras.Model.compile`. Its `variables` are its own step counter followed by
    both inner optimizers' variables. It never applies gradients itself: the
    model's train step calls the inner optimizers, each on its own network.

    Args:
        generator_optimizer: a built `keras.optimizers.Optimizer` for the generator.
        discriminator_optimizer: a built `keras.optimizers.Optimizer` for the
            discriminator.
        name: name of the container.

    Example:

    ```python
    gan.compile(g_optimizer=keras.optimizers.Adam(1e-4), d_optimizer="adam")
    gan.optimizer.generator_optimizer.iterations  # generator updates so far
    ```
    """

    def __init__(self, generator_optimizer, discriminator_optimizer, name="adversarial_optimizer", **kwargs):
        kwargs.pop("learning_rate", None)
        super().__init__(learning_rate=0.0, name=name, **kwargs)
        self.generator_optimizer = keras.optimizers.get(generator_optimizer)
        self.discriminator_optimizer = keras.optimizers.get(discriminator_optimizer)

    def build(self, var_list=None):
        # The inner optimizers are built by the model on their own networks'
        # variables; the container only owns its step counter.
        if not self.built:
            super().build([])

    @property
    def variables(self):
        return self._variables + self.generator_optimizer.variables + self.discriminator_optimizer.variables

    def save_own_variables(self, store):
        # The inner optimizers are saved as child objects of this one.
        for i, variable in enumerate(self._variables):
            store[str(i)] = variable.numpy()

    def load_own_variables(self, store):
        if len(store.keys()) != len(self._variables):
            raise ValueError(
                f"Saved optimizer state has {len(store.keys())} variables, expected {len(self._variables)}."
            )
        for i, variable in enumerate(self._variables):
            variable.assign(store[str(i)])

    def apply(self, grads, trainable_variables=None):
        raise NotImplementedError(
            "AdversarialOptimizer does not apply gradients; use its "
            "`generator_optimizer` or `discriminator_optimizer`."
        )

    def stateless_apply(self, optimizer_variables, grads, trainable_variables):
        self.apply(grads)

    def get_config(self):
        return {
            "name": self.name,
            "generator_optimizer": keras.saving.serialize_keras_object(self.generator_optimizer),
            "discriminator_optimizer": keras.saving.serialize_keras_object(self.discriminator_optimizer),
        }

    @classmethod
    def from_config(cls, config, custom_objects=None):
        config = dict(config)
        for key in ("generator_optimizer", "discriminator_optimizer"):
            config[key] = keras.saving.deserialize_keras_object(config[key], custom_objects=custom_objects)
        return cls(**config)


def loss_scaled(optimizer):
    """`optimizer` wrapped in a `LossScaleOptimizer` (unless it is one)."""
    if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        return optimizer
    return keras.optimizers.LossScaleOptimizer(optimizer)


def serialize_optimizer(optimizer):
    """An optimizer's config naming its public Keras class (`keras.optimizers.Adam`).

    On the PyTorch backend `keras.optimizers.Adam` is a backend-specific
    subclass whose default serialization names a `keras.src.backend.torch`
    module that the other backends lack; naming the public class makes a
    checkpoint saved under one backend resume under the others.
    """
    config = keras.saving.serialize_keras_object(optimizer)
    if not isinstance(config, dict):
        return config
    for cls in type(optimizer).__mro__:
        if getattr(keras.optimizers, cls.__name__, None) is cls:
            config = dict(config, module="keras.optimizers", class_name=cls.__name__, registered_name=None)
            break
    if isinstance(optimizer, keras.optimizers.LossScaleOptimizer):
        inner = config.get("config", {})
        if isinstance(inner.get("inner_optimizer"), dict):
            inner["inner_optimizer"] = serialize_optimizer(optimizer.inner_optimizer)
    return config
