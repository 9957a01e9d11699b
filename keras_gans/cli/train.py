"""`keras-gans train`: train a variant, a recipe file or a zoo card's recipe on a named
dataset or a folder of images; fine-tune a preset; resume a run.

A run records TensorBoard event files, sample pictures, failure diagnoses and
(with `--metrics-every`) FID/KID in its folder (`keras_gans.callbacks.training_callbacks`),
and ends with `report.html` (`keras_gans.report.write_report`), also when a NaN loss
stops it."""

import datetime
import json
import os
import platform
import sys
import time
import warnings

from keras_gans.cli import fine_tuning
from keras_gans.cli import run_folder
from keras_gans.cli import watching
from keras_gans.cli.errors import CommandLineError
from keras_gans.cli.errors import UsageError
from keras_gans.cli.loading import load_keras_file

# Options a resumed run takes from its recipe.
FIXED_WHEN_RESUMING = (
    "dataset",
    "batch_size",
    "num_examples",
    "image_size",
    "latent_dim",
    "seed",
    "set",
    "from_preset",
    "freeze_discriminator_layers",
)
# Recipe entries the options of the same name replace.
OPTION_KEYS = ("epochs", "batch_size", "num_examples", "image_size", "latent_dim", "seed")

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
    folder = args.dataset is not None and data.is_image_folder(args.dataset)
    if folder:
        path = os.path.expanduser(args.dataset)
        if not os.path.isdir(path):
            what = "is a file, not a folder of images" if os.path.exists(path) else "does not exist"
            raise CommandLineError(f"The image folder {path} {what}. Received: --dataset={args.dataset}")
    elif args.dataset is not None and args.dataset not in data.DATASET_NAMES:
        raise CommandLineError(
            f"Unknown dataset {args.dataset!r}. Known datasets: {', '.join(data.DATASET_NAMES)}, or "
            f"a folder of images. Received: --dataset={args.dataset}"
        )
    if args.dataset in data.MIXTURE_NAMES and args.image_size is not None:
        raise UsageError(
            f"--image-size applies to images, not to the 2D points of {args.dataset}. "
            f"Received: --image-size={args.image_size}"
        )
    if args.data_dir is not None and not os.path.isdir(args.data_dir):
        raise CommandLineError(
            f"--data-dir must name an existing folder. Received: --data-dir={args.data_dir}"
        )
    if folder and args.data_dir is not None:
        raise UsageError(
            "--data-dir says where the files of a named dataset are; a folder of images is read from "
            f"--dataset itself. Received: --dataset={args.dataset}, --data-dir={args.data_dir}"
        )
    if os.path.exists(args.output) and not os.path.isdir(args.output):
        raise CommandLineError(f"--output must name a folder; it is a file. Received: --output={args.output}")
    overrides = [_parse_set(assignment) for assignment in args.set or ()]
    fine_tuning.check_fine_tuning_options(args, overrides)
    return overrides


def _dataset_option(args):
    """`--dataset` as the recipe records it: a folder as an absolute path."""
    from keras_gans import data

    if args.dataset is not None and data.is_image_folder(args.dataset):
        return os.path.abspath(os.path.expanduser(args.dataset))
    return args.dataset


def _name_folder_recipe(recipe, target):
    """A variant's default recipe on a folder is named after the folder, not its path."""
    from keras_gans import data
    from keras_gans import recipes

    if not data.is_image_folder(recipe["dataset"]) or os.path.isfile(target):
        return
    default = recipes.default_recipe(target, recipe["dataset"])
    if recipe["name"] == default["name"]:
        folder = os.path.basename(os.path.normpath(recipe["dataset"]))
        slug = "".join(c if c.isalnum() else "_" for c in folder.lower()).strip("_") or "images"
        recipe["name"] = f"{default['name'].split('_', 1)[0]}_{slug}"
        recipe["description"] = (
            f"{recipes.variant_class(target).__name__} on the image folder {recipe['dataset']}"
        )


def _check_preset_name(preset):
    from keras_gans import presets

    if preset in presets.list_presets() or os.path.isdir(preset):
        return
    raise CommandLineError(
        f"Unknown preset {preset!r}: not a registered preset (keras-gans list: "
        f"{', '.join(presets.list_presets())}) nor a preset folder. Received: --from-preset={preset}"
    )


def _check_folder(recipe):
    """What a folder of images must have for this recipe, checked before anything is
    written and named as options: one size or --image-size, a batch's worth of images."""
    from keras_gans import data

    if not data.is_image_folder(recipe["dataset"]):
        return
    info = data.dataset_info(recipe["dataset"])
    if len(info.sizes) > 1 and recipe.get("image_size") is None:
        (h1, w1), (h2, w2) = info.sizes[:2]
        raise CommandLineError(
            f"The images in {recipe['dataset']} have {len(info.sizes)} different sizes (e.g. {h1}x{w1} "
            f"and {h2}x{w2}); pass --image-size N to resize them all to NxN."
        )
    count = min(info.num_images, recipe["num_examples"] or info.num_images)
    if count < recipe["batch_size"]:
        raise CommandLineError(
            f"{recipe['dataset']} has {count} readable images to train on, fewer than a batch "
            f"(training uses full batches only); pass a smaller --batch-size. "
            f"Received: --batch-size={recipe['batch_size']}"
        )


def _new_run(args, overrides):
    """(recipe, state, model) of a fresh run, all in memory."""
    import keras

    from keras_gans import recipes

    if args.target is None and args.from_preset is None:
        raise UsageError(
            "train needs a TARGET (a variant name, a recipe file or a preset name) or --from-preset."
        )
    run_folder.check_output_for_new_run(args.output, args.overwrite)
    if args.from_preset is not None:
        _check_preset_name(args.from_preset)
    dataset = _dataset_option(args)
    recipe = recipes.load_recipe(args.from_preset or args.target, dataset)
    if args.from_preset is None:
        _name_folder_recipe(recipe, args.target)
    else:
        recipe["name"] = f"{recipe['name']}_fine_tuned"
        recipe["description"] = f"{recipe['name'][: -len('_fine_tuned')]} fine-tuned on {recipe['dataset']}"
    for key in OPTION_KEYS:
        if getattr(args, key) is not None:
            recipe[key] = getattr(args, key)
    for key, value in overrides:
        try:
            recipes.set_recipe_value(recipe, key, value)
        except ValueError as error:
            raise CommandLineError(f"{error} (from --set {key}=...)") from None
    recipe = recipes.check_recipe(recipe)
    _check_folder(recipe)
    keras.utils.set_random_seed(int(recipe["seed"] or 0))
    state = {"epochs_done": 0, "history": []}
    if args.from_preset is None:
        return recipe, state, recipes.build_compiled_model(recipe)
    model, state["fine_tuning"] = fine_tuning.fine_tuning_model(
        args.from_preset, recipe, args.freeze_discriminator_layers
    )
    return recipe, state, model


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


def _nan_stop_error(monitor, stop, output, epochs_done):
    found = [f for f in monitor.failures if f["kind"] == "non_finite_loss"]
    if found:
        message = found[0]["message"]
    else:
        epoch, batch, key, value = stop.stopped_at
        message = f"Epoch {epoch} at batch {batch}: {key} became {value}."
    kept = (
        f"{os.path.join(output, run_folder.CHECKPOINT_FILE)} holds epoch {epochs_done}, the last saved "
        "with finite losses; fix the cause and continue with --resume"
        if epochs_done
        else "no epoch with finite losses was saved, so there is no checkpoint"
    )
    return CommandLineError(f"Training stopped: {message} ({kept}; the run's report is report.html.)")


def _card(args, recipe, data_description, history, seconds, previous, state):
    import keras

    card = {
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
    if state.get("fine_tuning"):
        card["fine_tuning"] = state["fine_tuning"]
    return card


def _write_report(output):
    """report.html of the run; a failure to write it is a warning (the run itself is saved)."""
    from keras_gans import report

    try:
        return report.write_report(output)
    except Exception as error:  # noqa: BLE001 - the training result must not be lost
        print(
            f"keras-gans: warning: could not write the report: {' '.join(str(error).split())}",
            file=sys.stderr,
        )
        return None


def command_train(args):
    """Trains (or resumes) a run in `--output`; writes its checkpoint, samples,
    TensorBoard event files, preset and report."""
    from keras_gans import data
    from keras_gans import metrics
    from keras_gans import presets
    from keras_gans import recipes
    from keras_gans.callbacks import TrainingFailureWarning
    from keras_gans.cli import threads

    overrides = _check_options(args)
    if args.threads is not None:
        print(f"Threads: {threads.set_threads(args.threads)}", flush=True)
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
    callbacks, monitor, stop = watching.run_callbacks(
        args, output, model, fit_args, fine_tuning=bool(state.get("fine_tuning")) and initial_epoch == 0
    )
    extra_state = {k: v for k, v in state.items() if k not in ("epochs_done", "history")}
    checkpoint = run_folder.RunCheckpoint(
        output,
        history,
        extra_state,
        every=args.checkpoint_every,
        epochs=recipe["epochs"],
        saved_epochs=initial_epoch,
    )
    callbacks.append(checkpoint)
    start = time.time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", TrainingFailureWarning)  # summarized below, and in the report
        model.fit(
            *fit_args,
            epochs=recipe["epochs"],
            initial_epoch=initial_epoch,
            callbacks=callbacks,
            verbose=args.verbose,
            **fit_kwargs,
        )
    seconds = time.time() - start
    if stop.stopped_at is not None:
        _write_report(output)
        raise _nan_stop_error(monitor, stop, output, checkpoint.saved_epochs)

    preset_dir = os.path.join(output, run_folder.PRESET_DIR)
    card_path = os.path.join(preset_dir, presets.METADATA_FILE)
    previous = (
        run_folder.read_json(card_path, "model card") if args.resume and os.path.isfile(card_path) else {}
    )
    card = _card(args, recipe, data_description, history, seconds, previous, state)
    if recipe["dataset"] in data.MIXTURE_NAMES:
        scores = metrics.mixture_report(model, recipe["dataset"])
        card["metrics"] = scores
        num_modes = data.dataset_info(recipe["dataset"]).num_classes
        print(
            f"Mode scores ({metrics.MIXTURE_EVAL_SAMPLES} samples): modes {scores['modes']}/{num_modes}, "
            f"high-quality samples {100 * scores['high_quality']:.1f}%, reverse KL {scores['reverse_kl']:.3f}"
        )
    presets.save_to_preset(model, preset_dir, metadata=card, overwrite=True)
    print(watching.failure_summary(monitor))
    samples_dir = os.path.join(output, run_folder.SAMPLES_DIR)
    grids = sorted(os.listdir(samples_dir)) if os.path.isdir(samples_dir) else []
    if grids:
        print(f"Samples: {os.path.join(samples_dir, grids[-1])}")
    print(f"Checkpoint: {os.path.join(output, run_folder.CHECKPOINT_FILE)}  Preset: {preset_dir}")
    report_path = _write_report(output)
    tensorboard_dir = os.path.join(output, "tensorboard")
    print(
        f"TensorBoard: tensorboard --logdir {tensorboard_dir}"
        + (f"  Report: {report_path}" if report_path else "")
    )
    return 0
