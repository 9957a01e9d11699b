"""Turns a finished image-to-image run (scripts/image_to_image/train.py) into a zoo preset.

Writes the preset folder (`keras_gans.presets.save_to_preset`, with a picture of
test translations as `samples.png` and the run's recipe, commands and training
time on the card), then records two evaluations on its card with
`keras-gans evaluate --save-to-card`: the whole Fashion-MNIST test split and its
first 200 examples (the one the test suite reproduces). Prints the registry entry
for `keras_gans/models/<variant>_presets.py`.

Usage:

    KERAS_BACKEND=tensorflow python scripts/image_to_image/make_preset.py \
        recipes/image_to_image/srgan_fashion_mnist_x4.json --run-dir runs/srgan_fashion_mnist_x4 \
        --preset-dir keras_gans/zoo/srgan_fashion_mnist_x4
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tasks  # noqa: E402
import train  # noqa: E402

# The evaluations of a card: the whole test split, and a small one the tests rerun.
CARD_SAMPLE_COUNTS = (None, 200)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recipe")
    parser.add_argument("--run-dir", required=True)
    parser.add_argument("--preset-dir", required=True)
    parser.add_argument("--overwrite", action="store_true")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    import keras

    from keras_gans import cli
    from keras_gans import metrics
    from keras_gans import presets

    recipe = tasks.load_recipe(args.recipe)
    state = train.load_state(args.run_dir)
    if state["epochs_done"] < recipe["epochs"]:
        raise SystemExit(
            f"{args.run_dir} has {state['epochs_done']}/{recipe['epochs']} epochs: train it first."
        )
    model = keras.models.load_model(os.path.join(args.run_dir, train.CHECKPOINT))
    metadata = {
        "name": recipe["name"],
        "description": recipe["description"],
        "task": recipe["task"],
        "data": {"dataset": "fashion_mnist", "split": "train", "source": "keras_gans.metrics.task_data"},
        "sample_picture": {"function": "keras_gans.metrics.translation_figure", "seed": tasks.TEST_SEED},
        "recipe": recipe,
        "commands": state["commands"],
        "training": {
            "epochs": state["epochs_done"],
            "train_seconds": state["train_seconds"],
            "final_logs": {k: v[-1] for k, v in state["history"].items()},
            "backend": keras.backend.backend(),
            "keras_version": keras.__version__,
            "machine": tasks.machine(),
        },
    }
    picture = metrics.translation_figure(model, recipe["task"], seed=tasks.TEST_SEED)
    presets.save_to_preset(
        model, args.preset_dir, metadata=metadata, samples=picture, overwrite=args.overwrite
    )
    for count in CARD_SAMPLE_COUNTS:
        argv = ["evaluate", args.preset_dir, "--seed", str(tasks.TEST_SEED), "--save-to-card"]
        status = cli.main(argv + ([] if count is None else ["--num-samples", str(count)]))
        if status:
            raise SystemExit(status)
    card = presets.load_metadata(args.preset_dir)
    files = {
        name: presets.file_sha256(os.path.join(args.preset_dir, name))
        for name in sorted(os.listdir(args.preset_dir))
    }
    headline = {k: v for k, v in card["metrics"].items() if k != "protocol"}
    entry = {
        "description": recipe["description"],
        "variant": type(model).__name__,
        "dataset": "fashion_mnist",
        "metrics": headline,
        "files": files,
    }
    print(json.dumps({recipe["name"]: entry}, indent=4))
    return 0


if __name__ == "__main__":
    sys.exit(main())
