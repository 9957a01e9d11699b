"""Fine-tuning a preset (`keras-gans train --from-preset NAME`), with FreezeD."""

import keras

from keras_gans.cli.errors import CommandLineError
from keras_gans.cli.errors import UsageError

__all__ = ["freeze_discriminator_layers", "weighted_layers"]

# Recipe entries that describe the model, which a fine-tuned run takes from its preset.
MODEL_KEYS = ("variant", "variant_args", "generator", "discriminator", "latent_dim")


def weighted_layers(network):
    """The layers of `network.layers` that have weights, in order.

    The input layer and layers without weights (activations, reshapes,
    dropout, ...) are left out; a wrapper such as
    `SpectralNormalization(Conv2D)` or a nested block is one layer.

    Args:
        network: a Keras model (e.g. a GAN's discriminator).

    Returns:
        A list of layers.

    Example:

    >>> [layer.name for layer in weighted_layers(gan.discriminator)][:2]
    ['dense', 'dense_1']
    """
    return [layer for layer in network.layers if layer.weights]


def freeze_discriminator_layers(model, count):
    """FreezeD: makes the first `count` weighted layers of the discriminator untrainable.

    Mo et al. fine-tune a pretrained GAN on a small dataset with the
    discriminator's lower layers frozen: they keep the features learnt from
    the large dataset and the discriminator overfits less. Call this before
    `compile`, which builds the optimizers on the trainable variables. A
    frozen `BatchNormalization` layer uses its moving statistics (Keras' rule
    for non-trainable layers).

    Args:
        model: a keras_gans GAN (with a `discriminator`).
        count: number of layers to freeze, counted as in `weighted_layers`; at
            least one weighted layer must stay trainable.

    Returns:
        The names of the frozen layers.

    Example:

    ```python
    gan = keras_gans.models.from_preset("dcgan_fashion_mnist")
    freeze_discriminator_layers(gan, 2)
    gan.compile()
    gan.fit(my_images, epochs=20)
    ```

    Reference:
        - [Mo et al., 2020](https://arxiv.org/abs/2002.10964), "Freeze the
          Discriminator: a Simple Baseline for Fine-Tuning GANs".
    """
    layers = weighted_layers(model.discriminator)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count < len(layers):
        names = ", ".join(layer.name for layer in layers)
        raise ValueError(
            f"The discriminator has {len(layers)} layers with weights ({names}); freeze between 1 and "
            f"{len(layers) - 1} of them, so that one still trains. Received: count={count!r}"
        )
    for layer in layers[:count]:
        layer.trainable = False
    return [layer.name for layer in layers[:count]]


def check_fine_tuning_options(args, overrides):
    """Options that cannot go with `--from-preset` (or need it)."""
    if args.freeze_discriminator_layers is not None and args.from_preset is None:
        raise UsageError(
            "--freeze-discriminator-layers freezes layers of a pretrained discriminator: it needs "
            f"--from-preset. Received: --freeze-discriminator-layers={args.freeze_discriminator_layers}"
        )
    if args.from_preset is None:
        return
    if args.target is not None:
        raise UsageError(
            "--from-preset starts from a preset and its recipe: pass it instead of TARGET. "
            f"Received: TARGET={args.target}, --from-preset={args.from_preset}"
        )
    if args.latent_dim is not None:
        raise UsageError("--latent-dim cannot change a preset's model (--from-preset).")
    for key, _ in overrides:
        if key.split(".")[0] in MODEL_KEYS:
            raise UsageError(
                f"--set {key}=... would change the preset's model; --from-preset keeps it (only the "
                f"training entries can change: optimizers, batch_size, epochs, ...). Received: --set {key}"
            )


def _optimizer(spec, key):
    import copy

    if spec is None:
        return None
    try:
        return keras.optimizers.get(copy.deepcopy(spec))
    except (ValueError, TypeError) as error:
        raise CommandLineError(
            f"Bad optimizer in the recipe's {key!r}: {error} Received: {key}={spec!r}"
        ) from None


def fine_tuning_model(preset, recipe, freeze):
    """The preset's model with its weights, frozen layers and the recipe's optimizers.

    Returns:
        `(model, fine_tuning)`: the compiled model and what the run records
        about it (`preset`, `frozen_discriminator_layers`).
    """
    from keras_gans import data
    from keras_gans import presets
    from keras_gans import recipes

    model = presets.from_preset(preset)
    shape = recipes.sample_shape(recipe)
    if tuple(model.image_shape) != tuple(shape):
        raise CommandLineError(
            f"The preset {preset!r} makes samples of shape {tuple(model.image_shape)}, but "
            f"{recipe['dataset']} gives {tuple(shape)}"
            + ("; pass --image-size to resize the images" if len(shape) == 3 else "")
            + f". Received: --from-preset={preset}, --dataset={recipe['dataset']}"
        )
    if model.num_classes is not None:
        classes = data.dataset_info(recipe["dataset"]).num_classes
        if classes != model.num_classes:
            raise CommandLineError(
                f"The preset {preset!r} is conditional on {model.num_classes} classes, but "
                f"{recipe['dataset']} has {classes or 'no'} class labels. "
                f"Received: --dataset={recipe['dataset']}"
            )
    frozen = []
    if freeze is not None:
        try:
            frozen = freeze_discriminator_layers(model, freeze)
        except ValueError as error:
            raise UsageError(f"{error} (from --freeze-discriminator-layers)") from None
    model.compile(
        g_optimizer=_optimizer(recipe.get("g_optimizer"), "g_optimizer"),
        d_optimizer=_optimizer(recipe.get("d_optimizer"), "d_optimizer"),
    )
    return model, {"preset": preset, "frozen_discriminator_layers": frozen}


class InitialSamples(keras.callbacks.Callback):
    """Writes `samples/epoch_000.png` (and TensorBoard image step 0) before a
    fine-tuning run's first epoch: the preset's samples, from the same fixed
    noise as the later pictures of `grid`.

    Args:
        grid: the run's `keras_gans.callbacks.SampleGrid` (placed before this
            callback, so that it has started).
    """

    def __init__(self, grid):
        super().__init__()
        self.grid = grid

    def on_train_begin(self, logs=None):
        self.grid.on_epoch_end(-1)  # epoch "0": (epoch + 1) is a multiple of every `every`
