"""Trains an image-to-image recipe in resumable pieces, then measures it on the test set.

Each call trains until the recipe's epochs are done or the time limit is near
(it stops at the end of an epoch whose successor would pass the limit), saving
a checkpoint after every epoch; the next call resumes from it. When the last
epoch is done, the model is measured on the Fashion-MNIST test split
(`keras_gans.metrics.evaluate_translation`) and one JSON line is appended to `--results`: the recipe
name, the measurements, the training time, the commands, the machine and the
date. A figure of test examples goes to `--figure`.

Usage (each call at most ~30 minutes on a shared 2-core CPU):

    KERAS_BACKEND=tensorflow nice -n 10 python scripts/image_to_image/train.py \
        recipes/image_to_image/srgan_fashion_mnist_x4.json --run-dir runs/srgan_fashion_mnist_x4 \
        --time-limit-minutes 28 --results benchmarks/results/image_to_image/super_resolution.jsonl
"""

import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tasks  # noqa: E402

CHECKPOINT = "checkpoint.keras"
STATE = "state.json"


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recipe")
    parser.add_argument("--run-dir", required=True)
    parser.add_argument("--time-limit-minutes", type=float, default=28.0)
    parser.add_argument("--results", help="JSON-lines file the measurements are appended to")
    parser.add_argument("--figure", help="PNG of test examples (input, output, target rows)")
    parser.add_argument("--verbose", type=int, default=2)
    return parser.parse_args(argv)


def command_line():
    backend = os.environ.get("KERAS_BACKEND", "tensorflow")
    return f"KERAS_BACKEND={backend} nice -n 10 python " + " ".join(sys.argv)


def load_state(run_dir):
    path = os.path.join(run_dir, STATE)
    if os.path.isfile(path):
        with open(path) as f:
            return json.load(f)
    return {"epochs_done": 0, "train_seconds": 0.0, "commands": [], "history": {}}


def save_state(run_dir, state):
    from keras_gans.presets import write_json_atomic

    write_json_atomic(os.path.join(run_dir, STATE), state)


def make_callbacks(model, run_dir, state, deadline, epoch_start):
    import keras

    class Checkpoint(keras.callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            epoch_start[0] = time.time()

        def on_epoch_end(self, epoch, logs=None):
            seconds = time.time() - epoch_start[0]
            state["epochs_done"] = epoch + 1
            state["train_seconds"] = round(state["train_seconds"] + seconds, 1)
            state.setdefault("epoch_seconds", []).append(round(seconds, 1))
            for name, value in (logs or {}).items():
                state["history"].setdefault(name, []).append(round(float(value), 5))
            path = os.path.join(run_dir, CHECKPOINT)
            model.save(path + ".tmp.keras")
            os.replace(path + ".tmp.keras", path)
            save_state(run_dir, state)
            if time.time() + seconds > deadline:
                print(
                    f"Stopping after epoch {epoch + 1}: the next one would pass the time limit.", flush=True
                )
                self.model.stop_training = True

    return [Checkpoint()]


def main(argv=None):
    args = parse_args(argv)
    start = time.time()
    deadline = start + 60 * args.time_limit_minutes
    import keras

    import keras_gans  # noqa: F401 - registers the serializable classes

    recipe = tasks.load_recipe(args.recipe)
    os.makedirs(args.run_dir, exist_ok=True)
    state = load_state(args.run_dir)
    state["commands"].append(command_line())
    checkpoint = os.path.join(args.run_dir, CHECKPOINT)
    if os.path.isfile(checkpoint):
        model = keras.models.load_model(checkpoint)
        print(f"Resumed {recipe['name']} after {state['epochs_done']} epochs.", flush=True)
    else:
        model = tasks.build_model(recipe)
    epochs = recipe["epochs"]
    if state["epochs_done"] < epochs:
        x, y = tasks.training_data(recipe)
        keras.utils.set_random_seed(recipe["seed"] + state["epochs_done"])
        fit_kwargs = {"shuffle": True} if recipe["variant"] == "supervised" else {}
        model.fit(
            x,
            y,
            batch_size=recipe["batch_size"],
            epochs=epochs,
            initial_epoch=state["epochs_done"],
            callbacks=make_callbacks(model, args.run_dir, state, deadline, [start]),
            verbose=args.verbose,
            **fit_kwargs,
        )
    save_state(args.run_dir, state)
    if state["epochs_done"] < epochs:
        print(f"{recipe['name']}: {state['epochs_done']}/{epochs} epochs; run the command again.")
        return 0
    if args.figure:
        tasks.write_figure(recipe, model, args.figure)
    if args.results and not state.get("measured"):
        measurements = tasks.evaluate(recipe, model)
        line = {
            "name": recipe["name"],
            "task": recipe["task"],
            "variant": recipe["variant"],
            "results": {k: round(v, 4) if isinstance(v, float) else v for k, v in measurements.items()},
            "epochs": epochs,
            "train_seconds": state["train_seconds"],
            "commands": state["commands"],
            "recipe": recipe,
            "backend": keras.backend.backend(),
            "keras_version": keras.__version__,
            "machine": tasks.machine(),
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        }
        os.makedirs(os.path.dirname(os.path.abspath(args.results)), exist_ok=True)
        with open(args.results, "a") as f:
            f.write(json.dumps(line) + "\n")
        state["measured"] = True
        save_state(args.run_dir, state)
        print(json.dumps(line["results"], indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
