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

import numpy as np

PAIRED_TASKS = ("super_resolution_x4", "super_resolution_x2", "inpainting", "denoising")
# Masks and noise of the test inputs: one fixed draw, the same for every model.
TEST_SEED = 1


def load_recipe(path):
    with open(path) as f:
        recipe = json.load(f)
    for key in ("name", "task", "variant", "generator", "batch_size", "epochs", "seed"):
        if key not in recipe:
            raise ValueError(f"Recipe {path} lacks {key!r}.")
    return recipe


def is_unpaired(task):
    return task.startswith("unpaired:")


def domain_names(task):
    _, domain_a, domain_b = task.split(":")
    return domain_a, domain_b


def training_data(recipe, split="train"):
    """`(inputs, targets)` of a paired task or `(domain_a, domain_b)` of an unpaired one."""
    from keras_gans import data

    task, count = recipe["task"], recipe.get("num_examples")
    if is_unpaired(task):
        return data.fashion_mnist_domains(*domain_names(task), split=split, num_examples=count)
    if task not in PAIRED_TASKS:
        raise ValueError(f"Unknown task {task!r}. Known tasks: {PAIRED_TASKS} and unpaired:<a>:<b>.")
    seed = recipe["seed"] if split == "train" else TEST_SEED
    return data.fashion_mnist_pairs(task, split, num_examples=count if split == "train" else None, seed=seed)


def build_network(spec):
    from keras_gans import networks

    return getattr(networks, spec["network"])(**spec.get("args", {}))


def build_optimizer(spec):
    import keras

    return keras.optimizers.get(spec) if spec else None


def build_model(recipe):
    """The compiled model of a recipe (a keras_gans variant or a supervised generator)."""
    import keras

    from keras_gans import models

    variant = recipe["variant"]
    if variant == "supervised":
        generator = build_network(recipe["generator"])
        generator.compile(optimizer=build_optimizer(recipe["g_optimizer"]), loss=recipe["loss"])
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
    )
    keras.utils.set_random_seed(recipe["seed"])
    return model


def translate(model, images, batch_size=250, direction=None):
    """Outputs of a variant (`translate`) or of a supervised generator (`predict`)."""
    if hasattr(model, "translate"):
        kwargs = {} if direction is None else {"direction": direction}
        return model.translate(images, batch_size=batch_size, **kwargs)
    return np.asarray(model.predict(images, batch_size=batch_size, verbose=0), "float32")


# ------------------------------------------------------------------ measuring


def _fid(extractor, reference, images):
    from keras_gans import metrics

    return float(metrics.fid_from_features(extractor(reference), extractor(images)))


def _mean(values):
    import keras

    return float(np.mean(keras.ops.convert_to_numpy(values)))


def completions(inputs, outputs):
    """Inpainting: the input outside the missing square, the output inside it."""
    missing = inputs[..., -1:] > 0
    return np.where(missing, outputs, inputs[..., :-1])


def evaluate(recipe, model, extractor=None):
    """The task's measurements on the Fashion-MNIST test split, as a dict."""
    from keras_gans import data
    from keras_gans import metrics

    extractor = extractor or metrics.DomainFeatures()
    task = recipe["task"]
    if is_unpaired(task):
        name_a, name_b = domain_names(task)
        test_a, test_b = data.fashion_mnist_domains(name_a, name_b, split="test")
        class_a, class_b = data.fashion_mnist_class(name_a), data.fashion_mnist_class(name_b)
        fake_b = translate(model, test_a, direction="a_to_b")
        fake_a = translate(model, test_b, direction="b_to_a")
        g, f = model.generator.a_to_b, model.generator.b_to_a
        return {
            "a_to_b_target_class_fraction": metrics.target_class_fraction(fake_b, class_b, extractor),
            "b_to_a_target_class_fraction": metrics.target_class_fraction(fake_a, class_a, extractor),
            "a_cycle_l1": metrics.cycle_reconstruction_error(test_a, g, f),
            "b_cycle_l1": metrics.cycle_reconstruction_error(test_b, f, g),
            "a_to_b_fid": _fid(extractor, test_b, fake_b),
            "b_to_a_fid": _fid(extractor, test_a, fake_a),
            "source_a_target_class_fraction": metrics.target_class_fraction(test_a, class_b, extractor),
            "source_b_target_class_fraction": metrics.target_class_fraction(test_b, class_a, extractor),
            "num_test_images": [len(test_a), len(test_b)],
        }
    inputs, targets = training_data(recipe, split="test")
    outputs = translate(model, inputs)
    results = {"num_test_images": len(targets)}
    if task == "inpainting":
        outputs = completions(inputs, outputs)
        missing = inputs[..., -1:] > 0
        results["hole_l1"] = float(np.abs(outputs - targets)[np.broadcast_to(missing, targets.shape)].mean())
    results["psnr"] = _mean(metrics.peak_signal_noise_ratio(targets, outputs))
    results["ssim"] = _mean(metrics.structural_similarity(targets, outputs))
    results["fid"] = _fid(extractor, targets, outputs)
    if task.startswith("super_resolution"):
        import keras

        scale = int(task[-1])
        bicubic = np.clip(keras.ops.convert_to_numpy(metrics.bicubic_upsample(inputs, scale)), -1, 1)
        results["bicubic_psnr"] = _mean(metrics.peak_signal_noise_ratio(targets, bicubic))
        results["bicubic_ssim"] = _mean(metrics.structural_similarity(targets, bicubic))
        results["bicubic_fid"] = _fid(extractor, targets, bicubic)
        results["psnr_over_bicubic_db"] = results["psnr"] - results["bicubic_psnr"]
    if task == "inpainting":
        results["input_fid"] = _fid(extractor, targets, inputs[..., :-1])
    if task == "denoising":
        results["input_psnr"] = _mean(metrics.peak_signal_noise_ratio(targets, inputs))
    return results


def figure_rows(recipe, model, count=8):
    """Rows of a figure: test inputs (shown as images), outputs, targets."""
    from keras_gans import data

    task = recipe["task"]
    if is_unpaired(task):
        test_a, test_b = data.fashion_mnist_domains(*domain_names(task), split="test", num_examples=count)
        fake_b = translate(model, test_a, direction="a_to_b")
        fake_a = translate(model, test_b, direction="b_to_a")
        return [
            test_a,
            fake_b,
            translate(model, fake_b, direction="b_to_a"),
            test_b,
            fake_a,
            translate(model, fake_a, direction="a_to_b"),
        ]
    inputs, targets = training_data(recipe, split="test")
    inputs, targets = inputs[:count], targets[:count]
    outputs = translate(model, inputs)
    shown = inputs
    if task == "inpainting":
        outputs = completions(inputs, outputs)
        shown = np.where(inputs[..., -1:] > 0, -1.0, inputs[..., :-1])
    if task.startswith("super_resolution"):
        scale = int(task[-1])
        shown = np.repeat(np.repeat(inputs, scale, axis=1), scale, axis=2)  # nearest, to show the pixels
    return [shown, outputs, targets]


def write_figure(rows, path):
    """A PNG with one row of images per entry of `rows` (float in [-1, 1])."""
    from keras_gans.image_to_image import write_image

    rows = [np.concatenate(list(np.asarray(row)), axis=1) for row in rows]
    write_image(path, np.concatenate(rows, axis=0))
    return path


def machine():
    import platform

    return f"{platform.machine()}, {os.cpu_count()} CPU cores shared with other jobs, {platform.platform()}"
