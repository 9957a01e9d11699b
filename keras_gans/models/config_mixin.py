"""`ConfigMixin`: the config of an `AdversarialModel` (its networks, options and terms)."""

import copy

import keras


class ConfigMixin:
    """`get_config` / `from_config` of `AdversarialModel`: the networks serialized, the
    engine's options, the keyword terms' values and any extra `terms`.

    Variants add their own constructor arguments to `get_config()` (and need no
    `from_config` of their own unless an argument is an object to deserialize).

    Example:

    ```python
    config = gan.get_config()
    same = type(gan).from_config(config)  # config stays usable
    ```

    Reference:
        Keras serialization guide, https://keras.io/guides/serialization_and_saving/.
    """

    def get_config(self):
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "generator": keras.saving.serialize_keras_object(self.generator),
            "discriminator": keras.saving.serialize_keras_object(self.discriminator),
            "latent_dim": self.latent_dim,
            "loss": self.loss_name if isinstance(self.loss_name, str) else None,
            "n_critic": self.n_critic,
            "seed": self.seed,
            **self.keyword_values,
        }
        if self.extra_terms:
            config["terms"] = [keras.saving.serialize_keras_object(t) for t in self.extra_terms]
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        # Keras' deserialization pops keys of the configs it reads: give it copies,
        # so that the caller's config stays usable.
        def build(value):
            if not isinstance(value, dict):
                return value
            return keras.saving.deserialize_keras_object(copy.deepcopy(value), custom_objects=custom_objects)

        config = dict(config)
        for key in ("generator", "discriminator"):
            config[key] = build(config.get(key))
        if config.get("terms"):
            config["terms"] = [build(t) for t in config["terms"]]
        return cls(**config)
