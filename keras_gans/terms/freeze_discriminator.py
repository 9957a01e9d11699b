"""FreezeD: fine-tuning with the first blocks of the discriminator frozen."""

import keras

from keras_gans.terms.term import Term
from keras_gans.terms.term import check_positive_int


def _leaf_layers(model):
    """The layers of a model in order, nested models opened (wrappers kept whole)."""
    for layer in model.layers:
        if isinstance(layer, keras.Model) and hasattr(layer, "layers") and layer.layers:
            yield from _leaf_layers(layer)
        else:
            yield layer


def _has_kernel(layer):
    return any(weight.path.rsplit("/", 1)[-1].startswith("kernel") for weight in layer.weights)


def discriminator_blocks(discriminator):
    """The discriminator's blocks in input-to-output order, as lists of layers.

    A block is a layer with a kernel (a convolution or dense layer, also
    inside a wrapper such as spectral normalization) together with the
    kernel-less layers with weights that follow it (normalization layers);
    layers without weights (activations, reshapes) belong to no block. Nested
    models are opened.

    Example:

    ```python
    blocks = discriminator_blocks(keras_gans.networks.dcgan_discriminator((28, 28, 1)))
    [[layer.name for layer in block] for block in blocks]
    # [['down_1_conv'], ['down_2_conv', 'down_2_bn'], ['logits']]
    ```
    """
    blocks = []
    for layer in _leaf_layers(discriminator):
        if not layer.weights:
            continue
        if _has_kernel(layer) or not blocks:
            blocks.append([layer])
        else:
            blocks[-1].append(layer)
    return blocks


def freeze_discriminator_layers(model, num_blocks):
    """Freezes the first `num_blocks` blocks of a discriminator (FreezeD).

    Sets `trainable = False` on every layer of those blocks (see
    `discriminator_blocks`): their weights are left out of the
    discriminator's updates. A frozen batch-normalization layer also runs in
    inference mode (Keras' rule), with its moving statistics. Call it before
    `compile` (which builds the optimizers for the trainable weights); the
    frozen state is saved with the networks' configs.

    Args:
        model: an `AdversarialModel` (its `discriminator` is frozen) or a
            discriminator network.
        num_blocks: how many blocks, counted from the input; 0 freezes none.

    Returns:
        The names of the frozen layers.

    Example:

    ```python
    gan = keras_gans.models.from_preset("dcgan_fashion_mnist")
    freeze_discriminator_layers(gan, 2)   # the first two convolution blocks
    gan.compile()
    gan.fit(my_images, batch_size=32, epochs=50)
    ```

    Reference:
        Mo et al., "Freeze the Discriminator: a Simple Baseline for
        Fine-Tuning GANs", CVPR 2020 AI for Content Creation workshop.
    """
    num_blocks = check_positive_int("freeze_discriminator_layers", num_blocks, minimum=0)
    discriminator = getattr(model, "discriminator", model)
    if discriminator is not model and getattr(model, "compiled", False):
        raise ValueError(
            f"Freeze the discriminator of {model.name} before `compile`: the optimizers are built for "
            "the weights that are trainable at compile time. "
            f"Received: freeze_discriminator_layers={num_blocks}"
        )
    blocks = discriminator_blocks(discriminator)
    if num_blocks > len(blocks):
        names = ", ".join("+".join(layer.name for layer in block) for block in blocks)
        raise ValueError(
            f"The discriminator {discriminator.name!r} has {len(blocks)} blocks with weights ({names}). "
            f"Received: freeze_discriminator_layers={num_blocks}"
        )
    frozen = []
    for block in blocks[:num_blocks]:
        for layer in block:
            layer.trainable = False
            frozen.append(layer.name)
    return frozen


@keras.saving.register_keras_serializable(package="keras_gans.terms")
class FreezeDiscriminator(Term):
    """FreezeD: the first `num_blocks` blocks of the discriminator are not trained.

    When the model is built, `freeze_discriminator_layers(model, num_blocks)`
    sets the layers of the discriminator's first blocks (a convolution or
    dense layer with the normalization after it) to `trainable = False`, so
    fine-tuning a pretrained GAN on a few images updates only the later
    blocks of the discriminator (and the whole generator). Keyword of every
    variant: `freeze_discriminator_layers` (the number of blocks; 0 turns it
    off). For a model already built (e.g. from a preset), call
    `freeze_discriminator_layers` before `compile`.

    Args:
        num_blocks: how many blocks to freeze, counted from the input.
        **kwargs: see `Term`.

    Example:

    ```python
    gan = keras_gans.models.GAN(image_shape=(28, 28, 1), freeze_discriminator_layers=2)
    gan.get_layer("freeze_discriminator").frozen  # ['down_1_conv', 'down_2_conv', 'down_2_bn']
    ```

    Reference:
        Mo et al., "Freeze the Discriminator: a Simple Baseline for
        Fine-Tuning GANs", CVPR 2020 AI for Content Creation workshop.
    """

    keywords = {"freeze_discriminator_layers": 0}

    def __init__(self, num_blocks=1, name="freeze_discriminator", **kwargs):
        kwargs.pop("network", None)
        super().__init__(network="discriminator", name=name, **kwargs)
        self.num_blocks = check_positive_int("freeze_discriminator_layers", num_blocks, minimum=0)
        self.frozen = []

    @classmethod
    def from_keywords(cls, model, freeze_discriminator_layers):
        term = cls(freeze_discriminator_layers)
        return [term] if term.num_blocks else []

    def attach(self, model):
        self.frozen = freeze_discriminator_layers(model.discriminator, self.num_blocks)

    def get_config(self):
        config = super().get_config()
        config.pop("network")
        return {**config, "num_blocks": self.num_blocks}
