"""`keras-gans evaluate`: FID/KID (and mode scores) of a model against a dataset,
or an image-to-image model's scores on a Fashion-MNIST task."""

import json
import os

from keras_gans.cli.errors import CommandLineError
from keras_gans.cli.loading import load_model

# Package-internal: the public API of the CLI is keras_gans.cli (main, build_parser).
__all__ = []

DEFAULT_NUM_SAMPLES = 10_000


def _card_task(spec):
    """The task recorded on a preset's card, or None."""
    from keras_gans import presets

    if spec.endswith(".keras") or os.path.isfile(spec):
        return None
    try:
        return presets.load_metadata(spec).get("task")
    except (OSError, ValueError):
        return None


def _evaluate_translator(model, args):
    from keras_gans import metrics

    task = args.task or _card_task(args.model)
    if task is None:
        raise CommandLineError(
            f"{args.model} is an image-to-image model ({type(model).__name__}): pass --task "
            "(e.g. --task super_resolution_x4, --task inpainting, --task unpaired:sneaker:ankle_boot)."
        )
    if args.dataset not in (None, "fashion_mnist"):
        raise CommandLineError(
            f"The image-to-image tasks are Fashion-MNIST tasks. Received: --dataset={args.dataset}"
        )
    if args.image_size is not None:
        raise CommandLineError("--image-size does not apply to an image-to-image task.")
    try:
        return metrics.evaluate_translation(
            model, task, args.num_samples, args.extractor or "domain", args.seed, args.data_dir
        )
    except ValueError as error:
        raise CommandLineError(str(error)) from None


def _evaluate_sampler(model, args):
    from keras_gans import metrics

    if args.task is not None:
        raise CommandLineError(
            f"--task is for image-to-image models; {args.model} is a {type(model).__name__}, which samples."
        )
    if args.dataset is None:
        raise CommandLineError(
            "evaluate needs --dataset for a model that samples (e.g. --dataset fashion_mnist)."
        )
    return metrics.evaluate_model(
        model,
        args.dataset,
        args.split,
        DEFAULT_NUM_SAMPLES if args.num_samples is None else args.num_samples,
        args.extractor,
        args.seed,
        args.data_dir,
        args.image_size,
    )


def command_evaluate(args):
    """Prints (and with `--save-to-card` records) `keras_gans.metrics.evaluate_model`
    (models that sample) or `keras_gans.metrics.evaluate_translation` (image-to-image)."""
    from keras_gans import metrics
    from keras_gans import presets

    if args.save_to_card and not os.path.isdir(args.model):
        raise CommandLineError(f"--save-to-card needs a preset folder as MODEL. Received: MODEL={args.model}")
    model = load_model(args.model)
    if hasattr(model, "translate"):
        evaluation = _evaluate_translator(model, args)
    else:
        evaluation = _evaluate_sampler(model, args)
    evaluation["command"] = " ".join(["keras-gans"] + list(args.argv))
    if args.save_to_card:
        card = metrics.add_evaluation(presets.load_metadata(args.model), evaluation)
        presets.write_json_atomic(os.path.join(args.model, presets.METADATA_FILE), card)
    if args.json:
        print(json.dumps(evaluation, indent=2))
    else:
        print(evaluation["protocol"]["description"])
        for key, value in evaluation["results"].items():
            print(f"  {key}: {value:.6g}" if isinstance(value, float) else f"  {key}: {value}")
    return 0
