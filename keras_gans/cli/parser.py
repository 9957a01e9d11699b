"""The `keras-gans` argument parser and entry point."""

import argparse
import sys

from keras_gans.cli.errors import UsageError

PROG = "keras-gans"

__all__ = ["PROG", "build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{self.prog}: {message}")


def _integer(minimum):
    """An argparse type: an int >= `minimum`, checked when the options are parsed."""

    def parse(text):
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be an integer >= {minimum}. Received: {text}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be an integer >= {minimum}. Received: {text}")
        return value

    parse.__name__ = f"integer >= {minimum}"
    return parse


def _add_train(commands):
    from keras_gans.cli.train import command_train
    from keras_gans.data import DATASET_NAMES

    train = commands.add_parser("train", help="train a variant or a recipe, or fine-tune a preset")
    train.add_argument(
        "target", nargs="?", help="variant name (gan, wgan_gp, ...), recipe .json file or preset name"
    )
    train.add_argument(
        "--dataset",
        help=f"one of {', '.join(DATASET_NAMES)}, or a folder of PNG/JPEG images (read recursively; "
        "its class subfolders are the labels of conditional variants)",
    )
    train.add_argument("--output", default="runs/train", help="run folder (checkpoint, samples, preset)")
    train.add_argument("--epochs", type=_integer(1), help="total number of epochs")
    train.add_argument("--batch-size", type=_integer(1))
    train.add_argument(
        "--num-examples", type=_integer(1), help="train on the first N examples (mixtures: N points)"
    )
    train.add_argument(
        "--image-size",
        type=_integer(1),
        help="resize the images to NxN (default: the dataset's size; a folder's images must then share one)",
    )
    train.add_argument("--latent-dim", type=_integer(1))
    train.add_argument("--seed", type=_integer(0))
    train.add_argument(
        "--set",
        action="append",
        metavar="KEY=VALUE",
        help="override a recipe entry, e.g. variant_args.gp_weight=0.1 (JSON values)",
    )
    train.add_argument("--data-dir", help="folder with the raw dataset files")
    train.add_argument(
        "--from-preset",
        metavar="PRESET",
        help="fine-tune: start from this preset's weights (a name or folder) and train on --dataset "
        "with its recipe's optimizers",
    )
    train.add_argument(
        "--freeze-discriminator-layers",
        type=_integer(1),
        metavar="K",
        help="with --from-preset (FreezeD): keep the first K discriminator layers that have weights "
        "fixed. Layers count in the order of discriminator.layers; the input layer and layers "
        "without weights (activations, reshapes, dropout) are not counted, a wrapped layer such "
        "as SpectralNormalization(Conv2D) counts once, a normalization layer counts (frozen, "
        "BatchNormalization uses its moving statistics)",
    )
    train.add_argument(
        "--sample-every", type=_integer(1), default=1, help="write a sample grid every N epochs"
    )
    train.add_argument(
        "--checkpoint-every",
        type=_integer(1),
        default=1,
        metavar="N",
        help="save checkpoint.keras (model and optimizer state) every N epochs and after the last "
        "one (default 1; raise it when epochs are short, e.g. a few hundred images: --resume "
        "continues from the last saved epoch)",
    )
    train.add_argument(
        "--metrics-every",
        type=_integer(1),
        metavar="N",
        help="evaluate FID and KID of the samples against training data every N epochs (default: never)",
    )
    train.add_argument(
        "--metrics-num-samples",
        type=_integer(2),
        default=1000,
        metavar="N",
        help="samples per metric evaluation (default 1000)",
    )
    train.add_argument(
        "--metrics-extractor",
        choices=("domain", "inception", "raw"),
        help="features of the metrics (default: raw for 2D points, domain for 28x28x1, inception otherwise)",
    )
    train.add_argument(
        "--log-every-steps",
        type=_integer(1),
        default=1,
        metavar="N",
        help="write the per-step TensorBoard scalars every N training steps (default 1)",
    )
    train.add_argument(
        "--threads",
        type=_integer(1),
        metavar="N",
        help="CPU threads for training: torch.set_num_threads(N) (torch), TensorFlow's intra- and "
        "inter-op threads (tensorflow), one Eigen thread and CPU affinity to N cores (jax); see "
        "docs/cli.md",
    )
    train.add_argument("--resume", action="store_true", help="continue the run in --output")
    train.add_argument(
        "--overwrite", action="store_true", help="replace the folder --output (once the new run has started)"
    )
    train.add_argument(
        "--verbose",
        type=int,
        choices=(0, 1, 2),
        default=1,
        help="0 silent, 1 progress bar, 2 one line per epoch",
    )
    train.set_defaults(func=command_train)


def _add_sample(commands):
    from keras_gans.cli.sample import command_sample

    sample = commands.add_parser("sample", help="write a PNG grid of samples")
    sample.add_argument("model", help="preset name, preset folder or .keras file")
    sample.add_argument("--output", default="samples.png")
    sample.add_argument("--num-samples", type=_integer(1), default=64)
    sample.add_argument("--seed", type=_integer(0), default=0)
    sample.add_argument("--labels", help="class labels for conditional models, e.g. 0,1,2 (repeated)")
    sample.set_defaults(func=command_sample)


def _add_translate(commands):
    from keras_gans.cli.translate import command_translate

    translate = commands.add_parser("translate", help="translate an image file with an image-to-image model")
    translate.add_argument(
        "model", help="preset name, preset folder or .keras file of a Pix2Pix, SRGAN or CycleGAN"
    )
    translate.add_argument("input", help="the image file (the size the model takes)")
    translate.add_argument("output", help="the image file to write (.png, .jpg, .bmp, .webp)")
    translate.add_argument("--direction", choices=("a_to_b", "b_to_a"), help="CycleGAN only (default a_to_b)")
    translate.add_argument("--overwrite", action="store_true", help="replace an existing output file")
    translate.set_defaults(func=command_translate)


def _add_evaluate(commands):
    from keras_gans.cli.evaluate import command_evaluate
    from keras_gans.data import DATASET_NAMES

    evaluate = commands.add_parser(
        "evaluate", help="FID/KID (and mode scores) against a dataset; image-to-image models on a task"
    )
    evaluate.add_argument("model", help="preset name, preset folder or .keras file")
    evaluate.add_argument(
        "--dataset",
        choices=DATASET_NAMES,
        metavar="DATASET",
        help=f"one of {', '.join(DATASET_NAMES)} (needed for models that sample)",
    )
    evaluate.add_argument(
        "--task",
        help="image-to-image models: a Fashion-MNIST task (super_resolution_x4, inpainting, "
        "unpaired:sneaker:ankle_boot, ...; default: the task on the preset's card)",
    )
    evaluate.add_argument("--split", default="test")
    evaluate.add_argument(
        "--num-samples",
        type=_integer(2),
        help="generated samples (default 10000); image-to-image: the first N test images (default all)",
    )
    evaluate.add_argument(
        "--extractor",
        choices=("domain", "inception", "raw"),
        help="feature extractor (default: domain for 28x28x1, raw for 2D)",
    )
    evaluate.add_argument("--seed", type=_integer(0), default=0)
    evaluate.add_argument("--image-size", type=_integer(1))
    evaluate.add_argument("--data-dir")
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    evaluate.add_argument(
        "--save-to-card", action="store_true", help="record the result in the preset folder's metadata.json"
    )
    evaluate.set_defaults(func=command_evaluate, check=_check_evaluate)


def _check_evaluate(args):
    import os

    from keras_gans.data import dataset_info

    if args.dataset is None:
        if args.split != "test":
            raise UsageError(f"--split needs a --dataset. Received: --split={args.split}")
        splits = None
    else:
        splits = dataset_info(args.dataset).splits
    if splits and args.split not in splits:
        raise UsageError(
            f"Unknown --split for {args.dataset}. Known splits: {', '.join(splits)}. "
            f"Received: --split={args.split}"
        )
    if args.data_dir is not None and not os.path.isdir(args.data_dir):
        raise UsageError(f"--data-dir must name an existing folder. Received: --data-dir={args.data_dir}")


def _add_export(commands):
    from keras_gans.cli.export import command_export
    from keras_gans.export.export_plan import FORMATS

    export = commands.add_parser(
        "export", help="export the generator (SavedModel for TF Serving, LiteRT or ONNX file)"
    )
    export.add_argument("model", help="preset name, preset folder or .keras file")
    export.add_argument(
        "path",
        help="saved_model: the base folder (the SavedModel goes to PATH/VERSION); tflite / onnx: the "
        "file, ending in .tflite / .onnx",
    )
    export.add_argument("--format", choices=FORMATS, default="saved_model", help="default saved_model")
    export.add_argument(
        "--quantization",
        choices=("float16", "int8"),
        help="tflite and onnx: float16 weights, or int8 weights and activations (calibrated on latent "
        "noise); default float32",
    )
    export.add_argument(
        "--version", type=_integer(1), help="saved_model only: the version folder (default 1)"
    )
    export.add_argument("--uint8", action="store_true", help="return uint8 images in [0, 255]")
    export.add_argument("--overwrite", action="store_true")
    export.set_defaults(func=command_export)


def _add_report(commands):
    from keras_gans.cli.report import command_report

    report = commands.add_parser("report", help="write the HTML report of a training run")
    report.add_argument("run_dir", metavar="RUN_DIR", help="a run folder (of keras-gans train)")
    report.add_argument("--output", help="the HTML file (default RUN_DIR/report.html)")
    report.add_argument(
        "--max-sample-grids", type=_integer(1), default=12, help="most sample pictures shown (default 12)"
    )
    report.set_defaults(func=command_report)


def _add_tune(commands):
    from keras_gans.cli.tune import command_tune

    tune = commands.add_parser("tune", help="search hyperparameters with KerasTuner (a tuning recipe)")
    tune.add_argument("recipe", metavar="RECIPE", help="a tuning recipe .json file (docs/tuning.md)")
    tune.add_argument("--output", help="the search folder (default tuning/<name>)")
    tune.add_argument("--max-trials", type=_integer(1), help="replaces the recipe's max_trials")
    tune.add_argument(
        "--overwrite", action="store_true", help="start anew in a folder that holds another search"
    )
    tune.add_argument(
        "--verbose", type=int, choices=(0, 1, 2), default=1, help="KerasTuner's verbosity (default 1)"
    )
    tune.add_argument("--data-dir", help="folder with the raw dataset files")
    tune.add_argument("--json", action="store_true", help="print the search summary as JSON")
    tune.set_defaults(func=command_tune, check=_check_tune)


def _check_tune(args):
    import os

    if not os.path.isfile(args.recipe):
        raise UsageError(f"The tuning recipe {args.recipe!r} does not exist. Received: RECIPE={args.recipe}")
    if args.data_dir is not None and not os.path.isdir(args.data_dir):
        raise UsageError(f"--data-dir must name an existing folder. Received: --data-dir={args.data_dir}")
    if args.output is not None and os.path.exists(args.output) and not os.path.isdir(args.output):
        raise UsageError(f"--output must name a folder; it is a file. Received: --output={args.output}")


def build_parser():
    """The argument parser of `keras-gans` (one subparser per subcommand)."""
    from keras_gans.cli.listing import command_list

    parser = _Parser(prog=PROG, description="Train, sample, evaluate, export, report on and tune Keras GANs.")
    parser.add_argument("--traceback", action="store_true", help="show Python tracebacks of errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    listing = commands.add_parser("list", help="list presets, variants and datasets")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=command_list)
    _add_train(commands)
    _add_sample(commands)
    _add_translate(commands)
    _add_evaluate(commands)
    _add_export(commands)
    _add_report(commands)
    _add_tune(commands)
    return parser


def _one_line(error):
    text = " ".join(str(error).split())
    return text if text else type(error).__name__


def main(argv=None):
    """Runs the command line; returns the exit status (0 done, 1 failed, 2 usage, 130 interrupted)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    show_traceback = "--traceback" in argv
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        args.argv = [a for a in argv if a != "--traceback"]
        if getattr(args, "check", None) is not None:
            args.check(args)
        return args.func(args)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - one clear line, not a traceback
        if show_traceback:
            raise
        print(f"{PROG}: error: {_one_line(error)}", file=sys.stderr)
        return 2 if isinstance(error, UsageError) else 1
