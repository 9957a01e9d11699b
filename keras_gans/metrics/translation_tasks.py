"""The Fashion-MNIST image-to-image tasks, and how a translator is measured on them.

A task is a paired one of `keras_gans.data.FASHION_MNIST_TASKS`
(`"super_resolution_x4"`, `"super_resolution_x2"`, `"inpainting"`,
`"denoising"`) or an unpaired `"unpaired:<class a>:<class b>"` between two
Fashion-MNIST classes (e.g. `"unpaired:sneaker:ankle_boot"`).
`evaluate_translation` measures a model on a task's test split with the
protocol a model card records, so `keras-gans evaluate MODEL --task TASK`
reproduces the cards of the image-to-image presets.
"""

import numbers

import keras
import numpy as np

from keras_gans import data
from keras_gans.metrics.bicubic import bicubic_upsample
from keras_gans.metrics.feature_extractors import get_extractor
from keras_gans.metrics.frechet import fid_from_features
from keras_gans.metrics.image_quality import peak_signal_noise_ratio
from keras_gans.metrics.image_quality import structural_similarity
from keras_gans.metrics.translation import cycle_reconstruction_error
from keras_gans.metrics.translation import target_class_fraction

UNPAIRED_PREFIX = "unpaired:"
# Test examples of a figure row.
FIGURE_EXAMPLES = 8

__all__ = [
    "check_task",
    "evaluate_translation",
    "inpainting_completions",
    "task_data",
    "translate_images",
    "translation_figure",
]


def check_task(task):
    """Checks a task name; returns `(paired_task, None)` or `(None, (class_a, class_b))`."""
    if isinstance(task, str) and task in data.FASHION_MNIST_TASKS:
        return task, None
    if isinstance(task, str) and task.startswith(UNPAIRED_PREFIX) and task.count(":") == 2:
        names = tuple(task.split(":")[1:])
        for name in names:
            data.fashion_mnist_class(name)  # raises for an unknown class
        if names[0] == names[1]:
            raise ValueError(f"An unpaired task needs two different classes. Received: task={task!r}")
        return None, names
    raise ValueError(
        f"Unknown task {task!r}. Known tasks: {', '.join(data.FASHION_MNIST_TASKS)}, and "
        f"unpaired:<class a>:<class b> with Fashion-MNIST class names (e.g. unpaired:sneaker:ankle_boot). "
        f"Received: task={task!r}"
    )


def task_data(task, split="test", num_examples=None, seed=0, data_dir=None):
    """`(inputs, targets)` of a paired task, or `(domain_a, domain_b)` of an unpaired one.

    Args:
        task: a task name (see the module docstring).
        split: `"train"` or `"test"`.
        num_examples: the first examples of the split only (of each domain for
            an unpaired task); None for all.
        seed: seed of the masks (inpainting) or the noise (denoising).
        data_dir: folder with the raw Fashion-MNIST files.

    Example:

    >>> low, high = keras_gans.metrics.task_data("super_resolution_x4", num_examples=4)
    >>> low.shape, high.shape
    ((4, 7, 7, 1), (4, 28, 28, 1))
    """
    paired, domains = check_task(task)
    if domains:
        return data.fashion_mnist_domains(*domains, split=split, num_examples=num_examples, data_dir=data_dir)
    return data.fashion_mnist_pairs(paired, split, num_examples=num_examples, data_dir=data_dir, seed=seed)


def translate_images(model, images, batch_size=250, direction=None):
    """A translator's outputs (`model.translate`), or a plain generator's (`model.predict`)."""
    if hasattr(model, "translate"):
        kwargs = {} if direction is None else {"direction": direction}
        return model.translate(images, batch_size=batch_size, **kwargs)
    return np.asarray(model.predict(images, batch_size=batch_size, verbose=0), "float32")


def inpainting_completions(inputs, outputs):
    """Inpainting: the input outside the missing square, the output inside it."""
    missing = inputs[..., -1:] > 0
    return np.where(missing, outputs, inputs[..., :-1])


def _mean(values):
    return float(np.mean(keras.ops.convert_to_numpy(values)))


def _unpaired_results(model, domains, test_a, test_b, fid):
    class_a, class_b = (data.fashion_mnist_class(name) for name in domains)
    extractor = fid.extractor
    fake_b = translate_images(model, test_a, direction="a_to_b")
    fake_a = translate_images(model, test_b, direction="b_to_a")
    g, f = model.generator.a_to_b, model.generator.b_to_a
    return {
        "a_to_b_target_class_fraction": target_class_fraction(fake_b, class_b, extractor),
        "b_to_a_target_class_fraction": target_class_fraction(fake_a, class_a, extractor),
        "a_cycle_l1": cycle_reconstruction_error(test_a, g, f),
        "b_cycle_l1": cycle_reconstruction_error(test_b, f, g),
        "a_to_b_fid": fid(test_b, fake_b),
        "b_to_a_fid": fid(test_a, fake_a),
        "source_a_target_class_fraction": target_class_fraction(test_a, class_b, extractor),
        "source_b_target_class_fraction": target_class_fraction(test_b, class_a, extractor),
    }


def _paired_results(model, task, inputs, targets, fid):
    outputs = translate_images(model, inputs)
    results = {}
    if task == "inpainting":
        outputs = inpainting_completions(inputs, outputs)
        missing = np.broadcast_to(inputs[..., -1:] > 0, targets.shape)
        results["hole_l1"] = float(np.abs(outputs - targets)[missing].mean())
    results["psnr"] = _mean(peak_signal_noise_ratio(targets, outputs))
    results["ssim"] = _mean(structural_similarity(targets, outputs))
    results["fid"] = fid(targets, outputs)
    if task.startswith("super_resolution"):
        bicubic = np.clip(keras.ops.convert_to_numpy(bicubic_upsample(inputs, int(task[-1]))), -1, 1)
        results["bicubic_psnr"] = _mean(peak_signal_noise_ratio(targets, bicubic))
        results["bicubic_ssim"] = _mean(structural_similarity(targets, bicubic))
        results["bicubic_fid"] = fid(targets, bicubic)
        results["psnr_over_bicubic_db"] = results["psnr"] - results["bicubic_psnr"]
    if task == "inpainting":
        results["input_fid"] = fid(targets, inputs[..., :-1])
    if task == "denoising":
        results["input_psnr"] = _mean(peak_signal_noise_ratio(targets, inputs))
    return results


class _FID:
    def __init__(self, extractor):
        self.extractor = get_extractor(extractor)

    def __call__(self, reference, images):
        return float(fid_from_features(self.extractor(reference), self.extractor(images)))


def evaluate_translation(model, task, num_samples=None, extractor="domain", seed=0, data_dir=None):
    """Measures an image-to-image model on a task's Fashion-MNIST test split.

    Paired tasks: PSNR, SSIM and domain-FID of the outputs against the targets
    (inpainting: of the completions, with the L1 error inside the square and
    the FID of the blanked inputs; super-resolution: the same for bicubic
    upsampling and the PSNR gain over it; denoising: the noisy input's PSNR).
    Unpaired tasks, in each direction: the fraction of translated test images
    the domain classifier assigns to the target class (and the same for the
    untranslated sources), the cycle reconstruction L1 and the FID against the
    target domain's test images.

    Args:
        model: a translator (`Pix2Pix`, `SRGAN`, `CycleGAN` for unpaired tasks)
            or a plain `keras.Model` generator (`predict` is used).
        task: a task name (see the module docstring).
        num_samples: the first test examples (of each domain) only; None for all
            (the protocol records the number used).
        extractor: features of the FID (`"domain"`: the Fashion-MNIST classifier).
        seed: seed of the test masks or noise.
        data_dir: folder with the raw Fashion-MNIST files.

    Returns:
        `{"protocol": {...}, "results": {...}}`, as a model card records it.

    Example:

    ```python
    srgan = keras_gans.models.from_preset("srgan_fashion_mnist_x4")
    keras_gans.metrics.evaluate_translation(srgan, "super_resolution_x4")["results"]["psnr"]
    ```
    """
    paired, domains = check_task(task)
    if num_samples is not None and (
        isinstance(num_samples, bool) or not isinstance(num_samples, numbers.Integral) or num_samples < 2
    ):
        raise ValueError(
            f"`num_samples` must be an integer >= 2 or None. Received: num_samples={num_samples!r}"
        )
    if domains and "a_to_b" not in getattr(model, "translation_directions", ()):
        raise ValueError(f"The unpaired task {task!r} needs a model that translates both ways (CycleGAN).")
    first, second = task_data(task, "test", num_samples, seed, data_dir)
    fid = _FID(extractor)
    if domains:
        results = _unpaired_results(model, domains, first, second, fid)
        counts = [len(first), len(second)]
        what = f"the first {counts[0]} {domains[0]} and {counts[1]} {domains[1]} Fashion-MNIST test images"
    else:
        results = _paired_results(model, paired, first, second, fid)
        counts = [len(second)]
        what = f"the first {counts[0]} Fashion-MNIST test images as {paired} pairs"
        if paired in ("inpainting", "denoising"):
            what += f" (masks/noise of seed {seed})"
    protocol = {
        "task": task,
        "dataset": "fashion_mnist",
        "split": "test",
        "num_samples": int(max(counts)),
        "extractor": extractor,
        "seed": seed,
        "description": f"{what}; FID on {extractor} features against the targets",
    }
    for name, count in zip(("a", "b") if domains else ("",), counts):
        results["num_test_images" + (f"_{name}" if name else "")] = int(count)
    return {"protocol": protocol, "results": results}


def translation_figure(model, task, count=FIGURE_EXAMPLES, seed=0, data_dir=None):
    """A uint8 picture of test translations, one row of `count` images each.

    Paired tasks: inputs (super-resolution inputs enlarged by pixel repetition,
    inpainting inputs with the square black), outputs (inpainting: completions),
    targets. Unpaired tasks: domain A, its translations, their round trips, then
    the same for domain B. The picture of an image-to-image preset's
    `samples.png`.
    """
    from keras_gans.callbacks import image_grid

    paired, domains = check_task(task)
    first, second = task_data(task, "test", count, seed, data_dir)
    if domains:
        fake_b = translate_images(model, first, direction="a_to_b")
        fake_a = translate_images(model, second, direction="b_to_a")
        rows = [
            first,
            fake_b,
            translate_images(model, fake_b, direction="b_to_a"),
            second,
            fake_a,
            translate_images(model, fake_a, direction="a_to_b"),
        ]
    else:
        outputs = translate_images(model, first)
        shown = first
        if paired == "inpainting":
            outputs = inpainting_completions(first, outputs)
            shown = np.where(first[..., -1:] > 0, -1.0, first[..., :-1])
        if paired.startswith("super_resolution"):
            scale = int(paired[-1])
            shown = np.repeat(np.repeat(first, scale, axis=1), scale, axis=2)
        rows = [shown, outputs, second]
    return image_grid(np.concatenate(rows, axis=0), num_rows=len(rows))
