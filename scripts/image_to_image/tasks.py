"""Tasks, models and measurements of the image-to-image training scripts.

A recipe (recipes/image_to_image/*.json) names a task, a variant (`Pix2Pix`,
`SRGAN`, `CycleGAN`, or `supervised`: the same generator trained on a pixel
loss alone with plain `keras.Model.fit`, the baseline the issue compares
with), its networks and its training sizes. Tasks:

- `super_resolution_x4`, `super_resolution_x2`, `inpainting`, `denoising`:
  paired Fashion-MNIST tasks (`keras_gans.data.fashion_mnist_pairs`);
- `unpaired:<class a>:<class b>`: two Fashion-MNIST classes as domains.

Every measurement runs on the Fashion-MNIST test split with
`keras_gans.metrics.DomainFeatures` (domain-FID against the 10,000 test
images, or the target class's 1,000 for translations).
"""

import json
import os

# Masks and noise of the test inputs: one fixed draw, the same for every model.
TEST_SEED = 1


def load_recipe(path):
    with open(path) as f:
        recipe = json.load(f)
    for key in ("name", "task", "variant", "generator", "batch_size", "epochs", "seed"):
        if key not in recipe:
            raise ValueError(f"Recipe {path} lacks {key!r}.")
    return recipe


def training_data(recipe, split="train"):
    """`(inputs, targets)` of a paired task or `(domain_a, domain_b)` of an unpaired one."""
    from keras_gans import metrics

    count = recipe.get("num_examples") if split == "train" else None
    seed = recipe["seed"] if split == "train" else TEST_SEED
    return metrics.task_data(recipe["task"], split, num_examples=count, seed=seed)


def build_network(spec):
    from keras_gans import networks

    return getattr(networks, spec["network"])(**spec.get("args", {}))


def build_optimizer(spec):
    import keras

    return keras.optimizers.get(spec) if spec else None


def build_model(recipe, jit_compile="auto"):
    """The compiled model of a recipe (a keras_gans variant or a supervised generator)."""
    import keras

    from keras_gans import models

    variant = recipe["variant"]
    if variant == "supervised":
        generator = build_network(recipe["generator"])
        generator.compile(
            optimizer=build_optimizer(recipe["g_optimizer"]), loss=recipe["loss"], jit_compile=jit_compile
        )
        return generator
    cls = getattr(models, variant)
    args = dict(recipe.get("variant_args", {}))
    if variant == "CycleGAN":
        generator = [
            build_network(dict(recipe["generator"], args={**recipe["generator"]["args"], "name": n}))
            for n in ("generator_a_to_b", "generator_b_to_a")
        ]
        discriminator = [
            build_network(dict(recipe["discriminator"], args={**recipe["discriminator"]["args"], "name": n}))
            for n in ("discriminator_a", "discriminator_b")
        ]
    else:
        generator = build_network(recipe["generator"])
        discriminator = build_network(recipe["discriminator"])
    model = cls(generator=generator, discriminator=discriminator, seed=recipe["seed"], **args)
    model.compile(
        g_optimizer=build_optimizer(recipe.get("g_optimizer")),
        d_optimizer=build_optimizer(recipe.get("d_optimizer")),
        jit_compile=jit_compile,
    )
    keras.utils.set_random_seed(recipe["seed"])
    return model


def evaluate(recipe, model):
    """The task's measurements on the Fashion-MNIST test split, as a dict
    (`keras_gans.metrics.evaluate_translation`, masks and noise of `TEST_SEED`)."""
    from keras_gans import metrics

    return metrics.evaluate_translation(model, recipe["task"], seed=TEST_SEED)["results"]


def write_figure(recipe, model, path):
    """A PNG of test translations (`keras_gans.metrics.translation_figure`)."""
    from PIL import Image

    from keras_gans import metrics

    picture = metrics.translation_figure(model, recipe["task"], seed=TEST_SEED)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    Image.fromarray(picture[..., 0] if picture.shape[-1] == 1 else picture).save(path)
    return path


def machine():
    import platform

    return f"{platform.machine()}, {os.cpu_count()} CPU cores shared with other jobs, {platform.platform()}"
