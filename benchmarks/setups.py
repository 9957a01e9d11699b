"""The benchmarked configurations, built once in Keras and once in the PyTorch reference.

Each configuration fixes the model, networks, loss, `n_critic`, optimizer
settings and batch size; `build_keras_model` and `build_reference` turn it into
a compiled `keras_gans` model and a `benchmarks.reference` trainer that perform
the same update. The image-to-image setups (`TranslatorSetup`) are the zoo
presets' recipes (`recipes/image_to_image/`); Pix2Pix has a PyTorch reference
(`benchmarks/reference/pix2pix.py`), CycleGAN and SRGAN are timed on the Keras
backends only. Keras is imported lazily (the reference side runs without it).

Example:

```python
setup = SETUPS["dcgan28"]
gan = build_keras_model(setup)             # compiled with the default jit_compile
trainer = build_reference(setup)           # plain PyTorch
```
"""

import dataclasses
import json
import os

RECIPES = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "recipes", "image_to_image"
)


@dataclasses.dataclass(frozen=True)
class Setup:
    """One benchmarked model.

    Args:
        name: short identifier.
        title: what the table prints.
        model: `"GAN"`, `"WGANGP"` or `"SNGAN"` (`keras_gans.models`).
        network: `"dcgan"` or `"sngan"` (`keras_gans.networks`).
        image_shape: `(height, width, channels)`.
        latent_dim: latent size.
        batch_size: images per step (per discriminator update).
        loss: adversarial loss name.
        n_critic: discriminator updates per step.
        gp_weight: gradient-penalty weight (WGAN-GP) or 0.
        critic_normalization: DCGAN discriminator normalization.
        learning_rate, beta_1, beta_2: Adam settings of both networks.
        filters: network width.
    """

    name: str
    title: str
    model: str
    network: str
    image_shape: tuple
    latent_dim: int
    batch_size: int
    loss: str = "non_saturating"
    n_critic: int = 1
    gp_weight: float = 0.0
    critic_normalization: str = "batch"
    learning_rate: float = 2e-4
    beta_1: float = 0.5
    beta_2: float = 0.999
    filters: int = 64

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)


@dataclasses.dataclass(frozen=True)
class TranslatorSetup:
    """One benchmarked image-to-image model: the recipe of a zoo preset.

    Args:
        name: short identifier.
        title: what the table prints.
        recipe: the recipe's file name in `recipes/image_to_image/`, without `.json`.
        num_examples: training pairs (or images per domain) held in memory.
    """

    name: str
    title: str
    recipe: str
    num_examples: int = 512

    def load_recipe(self):
        with open(os.path.join(RECIPES, f"{self.recipe}.json")) as f:
            return json.load(f)

    @property
    def batch_size(self):
        return self.load_recipe()["batch_size"]

    @property
    def has_reference(self):
        return self.load_recipe()["variant"] == "Pix2Pix"

    def shapes(self):
        """`(input shape, target shape)` of the recipe's generator (for CycleGAN: both domains')."""
        recipe = self.load_recipe()
        generator, discriminator = recipe["generator"]["args"], recipe["discriminator"]["args"]
        source = generator.get("image_shape") or generator["input_shape"]
        return tuple(source), tuple(discriminator["image_shape"])

    def training_data(self, num_examples=None, seed=0):
        """Synthetic `(inputs, targets)` or `(domain_a, domain_b)`: uniform in [-1, 1], NHWC float32.

        The data's values do not change the cost of a step; the PyTorch side
        needs no Keras to make them.
        """
        import numpy as np

        rng = np.random.default_rng(seed)
        count = num_examples or self.num_examples
        return tuple(rng.uniform(-1.0, 1.0, (count,) + shape).astype("float32") for shape in self.shapes())


SETUPS = {
    s.name: s
    for s in (
        Setup("dcgan28", "DCGAN 28x28x1", "GAN", "dcgan", (28, 28, 1), 100, 64),
        Setup("dcgan64", "DCGAN 64x64x3", "GAN", "dcgan", (64, 64, 3), 100, 16),
        Setup(
            "wgangp28",
            "WGAN-GP 28x28x1, n_critic 5",
            "WGANGP",
            "dcgan",
            (28, 28, 1),
            100,
            64,
            loss="wasserstein",
            n_critic=5,
            gp_weight=10.0,
            critic_normalization="layer",
            learning_rate=1e-4,
            beta_1=0.0,
            beta_2=0.9,
        ),
        Setup("sngan32", "SNGAN 32x32x3", "SNGAN", "sngan", (32, 32, 3), 128, 32),
        TranslatorSetup(
            "pix2pix28",
            "Pix2Pix inpainting 28x28 (U-Net 16, PatchGAN 16)",
            "pix2pix_fashion_mnist_inpainting",
        ),
        TranslatorSetup(
            "cyclegan28", "CycleGAN 28x28 (ResNet 16x3, PatchGAN 24)", "cycle_gan_sneaker_ankle_boot"
        ),
        TranslatorSetup("srgan28", "SRGAN x4 7->28 (32x6 blocks, domain features)", "srgan_fashion_mnist_x4"),
    )
}


def keras_networks(setup):
    """(generator, discriminator) Keras models of a setup."""
    from keras_gans import networks
    from keras_gans.networks import sngan

    if setup.network == "dcgan":
        return (
            networks.dcgan_generator(setup.latent_dim, setup.image_shape, filters=setup.filters),
            networks.dcgan_discriminator(
                setup.image_shape, filters=setup.filters, normalization=setup.critic_normalization
            ),
        )
    return (
        sngan.sngan_generator(setup.latent_dim, setup.image_shape, filters=setup.filters),
        sngan.sngan_discriminator(setup.image_shape, filters=setup.filters),
    )


def build_keras_model(setup, jit_compile="auto", seed=0, **compile_kwargs):
    """A compiled `keras_gans` model for `setup`."""
    import keras

    from keras_gans import models

    if isinstance(setup, TranslatorSetup):
        from scripts.image_to_image import tasks

        return tasks.build_model(setup.load_recipe(), jit_compile=jit_compile)

    generator, discriminator = keras_networks(setup)
    kwargs = dict(generator=generator, discriminator=discriminator, n_critic=setup.n_critic, seed=seed)
    if setup.model == "WGANGP":
        gan = models.WGANGP(gp_weight=setup.gp_weight, **kwargs)
    elif setup.model == "SNGAN":
        gan = models.SNGAN(loss=setup.loss, **kwargs)
    else:
        gan = models.GAN(loss=setup.loss, **kwargs)

    def adam():
        return keras.optimizers.Adam(setup.learning_rate, beta_1=setup.beta_1, beta_2=setup.beta_2)

    gan.compile(g_optimizer=adam(), d_optimizer=adam(), jit_compile=jit_compile, **compile_kwargs)
    return gan


def reference_networks(setup):
    """(generator, discriminator) PyTorch reference modules of a setup."""
    from benchmarks.reference import networks

    if setup.network == "dcgan":
        return (
            networks.DCGANGenerator(setup.latent_dim, setup.image_shape, setup.filters),
            networks.DCGANDiscriminator(setup.image_shape, setup.filters, setup.critic_normalization),
        )
    return (
        networks.SNGANGenerator(setup.latent_dim, setup.image_shape, setup.filters),
        networks.SNGANDiscriminator(setup.image_shape, setup.filters),
    )


def translator_reference_networks(setup, **generator_kwargs):
    """(U-Net, PatchGAN) PyTorch modules of a Pix2Pix setup (`generator_kwargs`: e.g. `dropout_rate`)."""
    from benchmarks.reference import pix2pix

    if not setup.has_reference:
        raise ValueError(f"The {setup.name} setup has no PyTorch reference; only Pix2Pix has one.")
    recipe = setup.load_recipe()
    g, d = recipe["generator"]["args"], recipe["discriminator"]["args"]
    return (
        pix2pix.UNetGenerator(
            g["image_shape"], g["output_channels"], g["filters"], g["num_downsamplings"], **generator_kwargs
        ),
        pix2pix.PatchGANDiscriminator(
            d["image_shape"], d["condition_shape"], d["filters"], d["num_downsamplings"]
        ),
    )


def build_reference(setup, generator=None, discriminator=None, **kwargs):
    """A `benchmarks.reference` trainer for `setup` (`kwargs`: e.g. `autocast_dtype`)."""
    from benchmarks.reference.training import AdversarialTrainer

    if isinstance(setup, TranslatorSetup):
        from benchmarks.reference.pix2pix import Pix2PixTrainer

        if generator is None or discriminator is None:
            generator, discriminator = translator_reference_networks(setup)
        recipe = setup.load_recipe()
        adam = recipe["g_optimizer"]["config"]
        return Pix2PixTrainer(
            generator,
            discriminator,
            l1_weight=recipe["variant_args"].get("l1_weight", 100.0),
            learning_rate=adam["learning_rate"],
            beta_1=adam.get("beta_1", 0.9),
            beta_2=adam.get("beta_2", 0.999),
            **kwargs,
        )

    if generator is None or discriminator is None:
        generator, discriminator = reference_networks(setup)
    return AdversarialTrainer(
        generator,
        discriminator,
        setup.latent_dim,
        loss=setup.loss,
        n_critic=setup.n_critic,
        gp_weight=setup.gp_weight,
        learning_rate=setup.learning_rate,
        beta_1=setup.beta_1,
        beta_2=setup.beta_2,
        **kwargs,
    )


def keras_layer_weights(model):
    """`[{weight base name: array}]` for each layer of a Keras model that has weights."""
    import keras

    out = []
    for layer in model.layers:
        if layer.weights:
            out.append({w.path.split("/")[-1]: keras.ops.convert_to_numpy(w.value) for w in layer.weights})
    return out
