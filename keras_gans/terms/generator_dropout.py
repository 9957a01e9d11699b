"""Dropout after the generator's hidden activations, as a term."""

import keras
from keras.src.models.functional import Functional

from keras_gans.layers.sampling_dropout import SamplingDropout
from keras_gans.terms.term import Term
from keras_gans.terms.term import check_non_negative

DROPOUT_PREFIX = "generator_dropout"

_ACTIVATION_LAYERS = (
    keras.layers.Activation,
    keras.layers.ReLU,
    keras.layers.LeakyReLU,
    keras.layers.PReLU,
    keras.layers.ELU,
)


def _is_activation(layer):
    if isinstance(layer, keras.Model):
        return False
    if isinstance(layer, _ACTIVATION_LAYERS):
        return True
    activation = getattr(layer, "activation", None)
    return activation is not None and activation is not keras.activations.linear


def _output_layers(model, found):
    """Ids of layers producing the outputs of `model` and of its nested models."""
    for tensor in keras.tree.flatten(model.outputs):
        found.add(id(tensor._keras_history.operation))
    for layer in model.layers:
        if isinstance(layer, keras.Model) and getattr(layer, "outputs", None):
            _output_layers(layer, found)
    return found


def has_generator_dropout(generator):
    """Whether `with_generator_dropout` already added its layers to `generator`."""
    return any(
        layer.name.startswith(DROPOUT_PREFIX) for layer in generator._flatten_layers(include_self=False)
    )


def with_generator_dropout(generator, rate, seed=None, at_sampling=False):
    """A generator with dropout after each hidden activation.

    The returned functional model shares every layer (and weight) of
    `generator` and inserts a `keras_gans.layers.SamplingDropout(rate)`, named
    `generator_dropout_<i>`, after each hidden layer with a non-linear
    activation (also inside nested functional models); the layers producing a
    model's outputs get none. A generator that already has these layers is
    returned unchanged.

    Args:
        generator: a functional or Sequential `keras.Model`.
        rate: dropout rate in `(0, 1)`.
        seed: optional int; dropout layer `i` gets a seed derived from it.
        at_sampling: keep dropout on when the generator samples.

    Example:

    ```python
    generator = with_generator_dropout(keras_gans.networks.mlp_generator(8, 2), 0.5)
    ```

    Reference:
        Isola et al., "Image-to-Image Translation with Conditional Adversarial
        Networks", CVPR 2017. Chintala et al., "How to Train a GAN? Tips and
        tricks" (ganhacks), 2016, tip 17.
    """
    from keras_gans.random_streams import derive_seed

    if has_generator_dropout(generator):
        return generator
    if isinstance(generator, keras.Sequential):
        if not generator.built or not getattr(generator, "inputs", None):
            raise ValueError("generator_dropout needs a Sequential generator that starts with keras.Input.")
        functional = keras.Model(generator.inputs, generator.outputs, name=generator.name)
    elif isinstance(generator, Functional):
        functional = generator
    else:
        raise ValueError(
            "generator_dropout needs a functional or Sequential generator. Add dropout layers "
            f"to a subclassed one yourself. Received: generator of type {type(generator).__name__}"
        )
    final = _output_layers(functional, set())
    count = [0]

    def call_function(layer, *args, **kwargs):
        outputs = layer(*args, **kwargs)
        if id(layer) in final or not _is_activation(layer):
            return outputs
        index = count[0]
        count[0] += 1
        dropout = SamplingDropout(
            rate,
            at_sampling=at_sampling,
            seed=derive_seed(seed, f"generator_dropout_{index}"),
            name=f"{DROPOUT_PREFIX}_{index}",
        )
        return dropout(outputs)

    wrapped = keras.models.clone_model(
        functional, clone_function=lambda layer: layer, call_function=call_function, recursive=True
    )
    if count[0] == 0:
        raise ValueError(
            "generator_dropout found no hidden activation in the generator to put dropout after."
        )
    wrapped.name = generator.name
    return wrapped


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class GeneratorDropout(Term):
    """Dropout after the generator's hidden activations (see `with_generator_dropout`).

    Keywords of every variant: `generator_dropout` (the rate; 0 turns it off)
    and `generator_dropout_at_sampling` (keep it on in `generate`, as the GAN
    tips advise: "dropout of 50 percent during train and generation").

    Args:
        rate: in `(0, 1)`.
        at_sampling: keep dropout on when sampling.
        seed: seed of the dropout masks.
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.GAN(generator, discriminator, generator_dropout=0.5,
                                generator_dropout_at_sampling=True)
    ```

    Reference:
        Isola et al., "Image-to-Image Translation with Conditional Adversarial
        Networks", CVPR 2017.
    """

    keywords = {"generator_dropout": 0.0, "generator_dropout_at_sampling": False}

    def __init__(self, rate=0.5, at_sampling=False, seed=None, name="generator_dropout", **kwargs):
        kwargs.pop("network", None)
        super().__init__(network="generator", name=name, **kwargs)
        self.rate = check_non_negative("generator_dropout", rate)
        if self.rate >= 1:
            raise ValueError(f"`generator_dropout` must be in [0, 1). Received: generator_dropout={rate!r}")
        self.at_sampling = bool(at_sampling)
        self.seed = seed

    @classmethod
    def from_keywords(cls, model, generator_dropout, generator_dropout_at_sampling):
        from keras_gans.random_streams import derive_seed

        term = cls(generator_dropout, generator_dropout_at_sampling, seed=derive_seed(model.seed, "dropout"))
        return [term] if term.rate else []

    def prepare_generator(self, generator):
        return with_generator_dropout(generator, self.rate, seed=self.seed, at_sampling=self.at_sampling)

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return {**config, "rate": self.rate, "at_sampling": self.at_sampling, "seed": self.seed}
