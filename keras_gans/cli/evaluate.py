"""`keras-gans evaluate`: FID/KID (and mode scores) of a model against a dataset."""

import json
import os

from keras_gans.cli.errors import CommandLineError
from keras_gans.cli.loading import load_model

# Package-internal: the public API of the CLI is keras_gans.cli (main, build_parser).
__all__ = []


def command_evaluate(args):
    """Prints (and with `--save-to-card` records) `keras_gans.metrics.evaluate_model`."""
    from keras_gans import metrics
    from keras_gans import presets

    if args.save_to_card and not os.path.isdir(args.model):
        raise CommandLineError(f"--save-to-card needs a preset folder as MODEL. Received: MODEL={args.model}")
    model = load_model(args.model)
    evaluation = metrics.evaluate_model(
        model,
        args.dataset,
        args.split,
        args.num_samples,
        args.extractor,
        args.seed,
        args.data_dir,
        args.image_size,
    )
    evaluation["command"] = " ".join(["keras-gans"] + list(args.argv))
    if args.save_to_card:
        card = metrics.add_evaluation(presets.load_metadata(args.model), evaluation)
        presets.write_json_atomic(os.path.join(args.model, presets.METADATA_FILE), card)
    if args.json:
        print(json.dumps(evaluation, indent=2))
    else:
        print(evaluation["protocol"]["description"])
        for key, value in evaluation["results"].items():
            print(f"  {key}: {value:.6g}")
    return 0
