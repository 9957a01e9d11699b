"""`keras-gans train`: train a variant, a recipe file or a zoo card's recipe; resume a run."""

import datetime
import json
import os
import platform
import time
import warnings

from keras_gans.cli import run_folder
from keras_gans.cli.errors import CommandLineError
from keras_gans.cli.errors import UsageError
from keras_gans.cli.loading import load_keras_file

# Options a resumed run takes from its recipe.
FIXED_WHEN_RESUMING = ("dataset", "batch_size", "num_examples", "latent_dim", "seed", "set")
# Recipe entries the options of the same name replace.
OPTION_KEYS = ("epochs", "batch_size", "num_examples", "latent_dim", "seed")

# Package-internal: the public API of the CLI is keras_gans.cli (main, build_parser).
__all__ = []


def _option(key):
    return "--" + key.replace("_", "-")


def _parse_set(assignment):
    if "=" not in assignment:
        raise UsageError(f"--set takes KEY=VALUE. Received: --set={assignment}")
    key, value = assignment.split("=", 1)
    try:
        value = json.loads(value)
    except json.JSONDecodeError:
        pass  # a bare string
    return key, value


def _check_options(args):
    """Everything the options alone can tell, before any file is read or written."""
    from keras_gans import data

    if args.resume and args.overwrite:
        raise UsageError(
            "--resume continues the run in --output and --overwrite replaces it: pass one of them."
        )
    if args.dataset is not None and args.dataset not in data.DATASET_NAMES:
        raise CommandLineError(
            f"Unknown dataset {args.dataset!r}. Known datasets: {', '.join(data.DATASET_NAMES)}. "
            f"Received: --dataset={args.dataset}"
        )
    if args.data_dir is not None and not os.path.isdir(args.data_dir):
        raise CommandLineError(
            f"--data-dir must name an existing folder. Received: --data-dir={args.data_dir}"
        )
    if os.path.exists(args.output) and not os.path.isdir(args.output):
        raise CommandLineError(f"--output must name a folder; it is a file. Received: --output={args.output}")
    return [_parse_set(assignment) for assignment in args.set or ()]


def _new_run(args, overrides):
    """(recipe, state, model) of a fresh run, all in memory."""
    import keras

    from keras_gans import recipes

    if args.target is None:
        raise UsageError("train needs a TARGET: a variant name, a recipe file or a preset name.")
    run_folder.check_output_for_new_run(args.output, args.overwrite)
    recipe = recipes.load_recipe(args.target, args.dataset)
    for key in OPTION_KEYS:
        if getattr(args, key) is not None:
            recipe[key] = getattr(args, key)
    for key, value in overrides:
        try:
            recipes.set_recipe_value(recipe, key, value)
        except ValueError as error:
            raise CommandLineError(f"{error} (from --set {key}=...)") from None
    recipe = recipes.check_recipe(recipe)
    keras.utils.set_random_seed(int(recipe["seed"] or 0))
    return recipe, {"epochs_done": 0, "history": []}, recipes.build_compiled_model(recipe)


def _resumed_run(args):
    """(recipe, state, model) of the run in `args.output`; nothing is written."""
    import keras

    from keras_gans import recipes

    output = args.output
    checkpoint = os.path.join(output, run_folder.CHECKPOINT_FILE)
    state_path = os.path.join(output, run_folder.STATE_FILE)
    if not os.path.isfile(checkpoint) or not os.path.isfile(state_path):
        raise CommandLineError(
            f"Nothing to resume in {output!r}: it has no {run_folder.CHECKPOINT_FILE} and "
            f"{run_folder.STATE_FILE}."
        )
    fixed = [_option(k) for k in FIXED_WHEN_RESUMING if getattr(args, k) is not None]
    if fixed:
        raise UsageError(
            f"{', '.join(fixed)} cannot change when resuming; only --epochs can (start a new run instead)."
        )
    recipe_path = os.path.join(output, run_folder.RECIPE_FILE)
    recipe = recipes.check_recipe(run_folder.read_json(recipe_path, "recipe"), f"recipe {recipe_path}")
    if args.target is not None and not args.target.endswith(".json") and args.target != recipe["name"]:
        try:
            same = recipes.variant_class(args.target) is recipes.variant_class(recipe["variant"])
        except ValueError:
            same = False
        if not same:
            raise CommandLineError(
                f"{output!r} holds a {recipe['variant']} run ({recipe['name']}), not {args.target!r}."
            )
    state = run_folder.read_json(state_path, "run state")
    done = state.get("epochs_done")
    if not isinstance(done, int) or not isinstance(state.get("history"), list):
        raise CommandLineError(
            f"The run state {state_path!r} is corrupt or truncated: it lacks epochs_done/history."
        )
    epochs = recipe["epochs"] if args.epochs is None else args.epochs
    if epochs <= done:
        raise CommandLineError(
            f"The run in {output!r} has done {done} epochs already; --epochs is the total, so pass "
            f"--epochs {done + 1} or more to train further (nothing was changed). Received: --epochs={epochs}"
        )
    recipe["epochs"] = epochs
    keras.utils.set_random_seed(int(recipe["seed"] or 0) + done)
    model = load_keras_file(checkpoint, "checkpoint")
    return recipe, state, model


def _nan_stop_error(monitor, output, epochs_done):
    failure = monitor.failures[0]
    kept = (
        f"{os.path.join(output, run_folder.CHECKPOINT_FILE)} holds epoch {epochs_done}, the last with "
        "finite losses; fix the cause and continue with --resume"
        if epochs_done
        else "no epoch finished with finite losses, so there is no checkpoint"
    )
    return CommandLineError(f"Training stopped: {failure['message']} ({kept}.)")


def _card(args, recipe, data_description, history, seconds, previous):
    import keras

    return {
        "name": recipe["name"],
        "description": recipe["description"],
        "data": data_description,
        "recipe": recipe,
        "commands": previous.get("commands", []) + [" ".join(["keras-gans"] + list(args.argv))],
        "training": {
            "epochs": recipe["epochs"],
            "train_seconds": round(previous.get("training", {}).get("train_seconds", 0.0) + seconds, 1),
            "final_logs": history[-1] if history else {},
            "backend": keras.backend.backend(),
            "keras_version": keras.__version__,
            "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores",
            "date": datetime.date.today().isoformat(),
        },
    }


def command_train(args):
    """Trains (or resumes) a run in `--output`; writes its checkpoint, samples and preset."""
    from keras_gans import data
    from keras_gans import metrics
    from keras_gans import presets
    from keras_gans import recipes
    from keras_gans.callbacks import FailureMonitor
    from keras_gans.callbacks import SampleGrid
    from keras_gans.callbacks import TrainingFailureWarning

    overrides = _check_options(args)
    output = args.output
    recipe, state, model = _resumed_run(args) if args.resume else _new_run(args, overrides)
    fit_args, fit_kwargs, data_description = recipes.training_data(recipe, model, args.data_dir)
    if args.resume:
        presets.write_json_atomic(os.path.join(output, run_folder.RECIPE_FILE), recipe)
    else:  # data and model are ready: only now does the new run replace an old one
        run_folder.start_new_run(output, recipe, state)
    history = list(state["history"])
    initial_epoch = state["epochs_done"]
    print(
        f"Training {type(model).__name__} on {recipe['dataset']}: "
        f"epochs {initial_epoch + 1}-{recipe['epochs']}, "
        f"batch {recipe['batch_size']}, output {output}",
        flush=True,
    )
    # Stops on the first NaN/Inf loss (only that check of the monitor is on).
    monitor = FailureMonitor(
        stop_training=True, d_loss_floor=None, d_loss_ceiling=None, diversity_fraction=None
    )
    start = time.time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TrainingFailureWarning)  # reported below, in one line
        model.fit(
            *fit_args,
            epochs=recipe["epochs"],
            initial_epoch=initial_epoch,
            callbacks=[
                monitor,
                SampleGrid(os.path.join(output, run_folder.SAMPLES_DIR), every=args.sample_every, seed=0),
                run_folder.RunCheckpoint(output, history),
            ],
            verbose=args.verbose,
            **fit_kwargs,
        )
    seconds = time.time() - start
    if monitor.failures:
        raise _nan_stop_error(monitor, output, initial_epoch + len(history) - len(state["history"]))

    preset_dir = os.path.join(output, run_folder.PRESET_DIR)
    card_path = os.path.join(preset_dir, presets.METADATA_FILE)
    previous = (
        run_folder.read_json(card_path, "model card") if args.resume and os.path.isfile(card_path) else {}
    )
    card = _card(args, recipe, data_description, history, seconds, previous)
    if recipe["dataset"] in data.MIXTURE_NAMES:
        scores = metrics.mixture_report(model, recipe["dataset"])
        card["metrics"] = scores
        num_modes = data.dataset_info(recipe["dataset"]).num_classes
        print(
            f"Mode scores ({metrics.MIXTURE_EVAL_SAMPLES} samples): modes {scores['modes']}/{num_modes}, "
            f"high-quality samples {100 * scores['high_quality']:.1f}%, reverse KL {scores['reverse_kl']:.3f}"
        )
    presets.save_to_preset(model, preset_dir, metadata=card, overwrite=True)
    samples_dir = os.path.join(output, run_folder.SAMPLES_DIR)
    grids = sorted(os.listdir(samples_dir)) if os.path.isdir(samples_dir) else []
    if grids:
        print(f"Samples: {os.path.join(samples_dir, grids[-1])}")
    print(f"Checkpoint: {os.path.join(output, run_folder.CHECKPOINT_FILE)}  Preset: {preset_dir}")
    return 0
