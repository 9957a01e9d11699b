"""`keras-gans`: train, sample, evaluate and export GANs from the command line.

```
keras-gans list
keras-gans train gan --dataset ring --output runs/demo
keras-gans train recipes/dcgan_fashion_mnist.json --output runs/dcgan
keras-gans train --resume --epochs 120 --output runs/demo
keras-gans sample dcgan_fashion_mnist --output samples.png
keras-gans evaluate dcgan_fashion_mnist --dataset fashion_mnist --num-samples 10000
keras-gans export dcgan_fashion_mnist serving/dcgan --version 1
```

A MODEL argument is a zoo preset name, a preset folder or a saved `.keras` file.
Errors (unknown names, unreadable files, wrong shapes, missing data) print one
line on stderr and exit with a non-zero status; `--traceback` shows the full
Python traceback instead. See docs/cli.md.
"""

import argparse
import copy
import datetime
import inspect
import json
import os
import platform
import shutil
import sys
import time

import numpy as np

PROG = "keras-gans"
MIXTURES = ("ring", "grid")
# Sample shape and number of classes of each dataset at its native size.
DATASET_INFO = {
    "ring": ((2,), 8),
    "grid": ((2,), 25),
    "mnist": ((28, 28, 1), 10),
    "fashion_mnist": ((28, 28, 1), 10),
    "cifar10": ((32, 32, 3), 10),
    "celeb_a": ((64, 64, 3), None),
}
DATASET_NAMES = tuple(DATASET_INFO)
# PacGAN protocol for the 2D mixtures.
MIXTURE_EVAL_SAMPLES = 2500
CHECKPOINT_FILE = "checkpoint.keras"
STATE_FILE = "state.json"
RECIPE_FILE = "recipe.json"
RECIPE_KEYS = (
    "name", "description", "variant", "variant_args", "dataset", "image_size",
    "num_examples", "latent_dim", "generator", "discriminator", "g_optimizer",
    "d_optimizer", "batch_size", "epochs", "seed",
)


class CommandLineError(Exception):
    """Bad input found by the command line: reported as one line, exit status 1."""


class UsageError(CommandLineError):
    """Unknown subcommand or option, or a missing argument: exit status 2."""


# --------------------------------------------------------------------- names


def _normalize(name):
    return "".join(c for c in str(name).lower() if c.isalnum())


def variant_classes():
    """`{display name: class}` of the GAN variants in `keras_gans.models`."""
    from keras_gans import models
    from keras_gans.models.base import _snake_case

    found = {}
    for attribute in sorted(dir(models)):
        obj = getattr(models, attribute)
        if (
            isinstance(obj, type)
            and issubclass(obj, models.AdversarialModel)
            and obj is not models.AdversarialModel
        ):
            found[_snake_case(obj.__name__)] = obj
    return found


def variant_class(name):
    """The variant class for a name such as `gan`, `wgan_gp`, `WGANGP`, `wgan-gp`."""
    classes = variant_classes()
    for display, cls in classes.items():
        if _normalize(name) in (_normalize(display), _normalize(cls.__name__)):
            return cls
    raise CommandLineError(
        f"Unknown variant {name!r}. Known variants: {', '.join(classes)}."
    )


def _check_dataset(name):
    if name not in DATASET_INFO:
        raise CommandLineError(
            f"Unknown dataset {name!r}. Known datasets: {', '.join(DATASET_NAMES)}."
        )
    return name


def _accepts(cls_or_fn, argument):
    try:
        parameters = inspect.signature(cls_or_fn).parameters
    except (TypeError, ValueError):
        return False
    return argument in parameters


# ------------------------------------------------------------------- recipes


def default_recipe(variant, dataset):
    """The recipe `keras-gans train <variant> --dataset <dataset>` uses.

    2D mixtures: the MLPs of `keras_gans.networks` (3 x 128 units), latent size
    2, Adam(1e-3, beta_1=0.5) for both networks, batch 256, 20,000 points, 80
    epochs. Images: the variant's default networks, latent size and optimizers,
    batch 64, 5 epochs.
    """
    cls = variant_class(variant)
    _check_dataset(dataset)
    recipe = {
        "name": f"{_normalize(cls.__name__)}_{dataset}",
        "description": f"{cls.__name__} on {dataset}",
        "variant": cls.__name__,
        "variant_args": {},
        "dataset": dataset,
        "image_size": None,
        "num_examples": None,
        "latent_dim": getattr(cls, "default_latent_dim", 100),
        "generator": None,
        "discriminator": None,
        "g_optimizer": None,
        "d_optimizer": None,
        "batch_size": 64,
        "epochs": 5,
        "seed": 0,
    }
    if dataset in MIXTURES:
        adam = {"class_name": "Adam", "config": {"learning_rate": 1e-3, "beta_1": 0.5}}
        recipe.update(
            latent_dim=2,
            num_examples=20_000,
            generator={"network": "mlp_generator", "args": {}},
            discriminator={"network": "mlp_discriminator", "args": {}},
            g_optimizer=copy.deepcopy(adam),
            d_optimizer=copy.deepcopy(adam),
            batch_size=256,
            epochs=80,
        )
    return recipe


def _read_json(path, what):
    try:
        with open(path) as f:
            return json.load(f)
    except OSError as error:
        raise CommandLineError(f"Cannot read {what} {path!r}: {error.strerror}.") from None
    except json.JSONDecodeError as error:
        raise CommandLineError(f"{what.capitalize()} {path!r} is not valid JSON: {error}.") from None


def check_recipe(recipe, source="recipe"):
    """Validates a recipe dict and fills in defaults; returns a new dict."""
    if not isinstance(recipe, dict):
        raise CommandLineError(f"The {source} must be a JSON object.")
    unknown = sorted(set(recipe) - set(RECIPE_KEYS))
    if unknown:
        raise CommandLineError(
            f"Unknown keys {unknown} in the {source}. Known keys: {', '.join(RECIPE_KEYS)}."
        )
    for key in ("variant", "dataset"):
        if not recipe.get(key):
            raise CommandLineError(f"The {source} lacks {key!r}.")
    full = default_recipe(recipe["variant"], recipe["dataset"])
    full.update(copy.deepcopy(recipe))
    for key in ("epochs", "batch_size", "latent_dim"):
        value = full[key]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise CommandLineError(f"{key} must be a positive integer, got {value!r}.")
    if full["num_examples"] is not None and (
        not isinstance(full["num_examples"], int) or full["num_examples"] < 1
    ):
        raise CommandLineError(f"num_examples must be a positive integer, got {full['num_examples']!r}.")
    return full


def resolve_recipe(target, dataset=None):
    """A recipe from a JSON file, a zoo preset's card, or a variant name."""
    from keras_gans import presets

    if target.endswith(".json") or os.path.isfile(target):
        recipe = _read_json(target, "recipe")
        source = f"recipe {target!r}"
    elif target in presets.PRESETS or os.path.isdir(target):
        recipe = presets.load_metadata(target).get("recipe")
        if not recipe:
            raise CommandLineError(f"Preset {target!r} has no training recipe in its card.")
        source = f"recipe of preset {target!r}"
    else:
        if dataset is None:
            raise CommandLineError(
                f"{target!r} is a variant name, not a recipe: pass --dataset "
                f"({', '.join(DATASET_NAMES)})."
            )
        return check_recipe(default_recipe(target, dataset))
    recipe = check_recipe(recipe, source)
    if dataset is not None and dataset != recipe["dataset"]:
        _check_dataset(dataset)
        recipe["dataset"] = dataset
    return recipe


def _set_override(recipe, assignment):
    if "=" not in assignment:
        raise CommandLineError(f"--set takes KEY=VALUE, got {assignment!r}.")
    key, value = assignment.split("=", 1)
    try:
        value = json.loads(value)
    except json.JSONDecodeError:
        pass  # a bare string
    path = key.split(".")
    if path[0] not in RECIPE_KEYS:
        raise CommandLineError(f"Unknown recipe key {path[0]!r}. Known keys: {', '.join(RECIPE_KEYS)}.")
    target = recipe
    for part in path[:-1]:
        if not isinstance(target.get(part), dict):
            target[part] = {}
        target = target[part]
    target[path[-1]] = value


def sample_shape(recipe):
    shape, _ = DATASET_INFO[recipe["dataset"]]
    if recipe.get("image_size") is not None and len(shape) == 3:
        size = recipe["image_size"]
        size = (size, size) if isinstance(size, int) else tuple(size)
        shape = (int(size[0]), int(size[1]), shape[2])
    return shape


def _network_builder(name, role):
    import importlib

    from keras_gans import networks

    module, _, function = str(name).rpartition(".")
    try:
        owner = importlib.import_module(f"keras_gans.networks.{module}") if module else networks
    except ImportError:
        owner = None
    builder = getattr(owner, function, None)
    if builder is None or not callable(builder) or function.startswith("_") or isinstance(builder, type):
        known = [n for n in dir(networks) if n.endswith(("_generator", "_discriminator"))]
        raise CommandLineError(
            f"Unknown {role} network {name!r}. Known networks: {', '.join(known)} (or "
            "module.function of keras_gans.networks, e.g. conditional.conditional_generator)."
        )
    return builder


def _build_network(spec, role, fill_ins):
    """Builds a network from `{"network": name, "args": {...}}`.

    Arguments the spec leaves out are filled from `fill_ins` (latent_dim,
    image_shape, ...) when the builder takes them; argument values that are
    network specs themselves (e.g. the `body` of a conditional generator) are
    built first.
    """
    if spec is None:
        return None
    if isinstance(spec, str):
        spec = {"network": spec}
    if not isinstance(spec, dict) or "network" not in spec:
        raise CommandLineError(f"A {role} network spec needs a 'network' name, got {spec!r}.")
    builder = _network_builder(spec["network"], role)
    args = {}
    for key, value in (spec.get("args") or {}).items():
        if isinstance(value, dict) and "network" in value:
            value = _build_network(value, role, fill_ins)
        elif isinstance(value, list) and key.endswith("shape"):
            value = tuple(value)
        args[key] = value
    for key, value in fill_ins.items():
        if key not in args and value is not None and _accepts(builder, key):
            args[key] = value
    try:
        return builder(**args)
    except TypeError as error:
        raise CommandLineError(f"Bad arguments for {spec['network']}: {error}.") from None


def build_model(recipe):
    """Builds the (uncompiled) model a recipe describes."""
    cls = variant_class(recipe["variant"])
    shape = sample_shape(recipe)
    kwargs = dict(recipe.get("variant_args") or {})
    _, num_classes = DATASET_INFO[recipe["dataset"]]
    if _accepts(cls, "num_classes") and "num_classes" not in kwargs:
        if num_classes is None:
            raise CommandLineError(
                f"{cls.__name__} is conditional, but {recipe['dataset']} has no class labels."
            )
        kwargs["num_classes"] = num_classes
    fill_ins = {
        "latent_dim": recipe["latent_dim"],
        "image_shape": tuple(shape),
        "sample_shape": tuple(shape),
        "output_dim": int(np.prod(shape)),
        "input_dim": int(np.prod(shape)),
        "num_classes": kwargs.get("num_classes"),
    }
    generator = _build_network(recipe["generator"], "generator", fill_ins)
    packing = int(kwargs.get("packing", 1) or 1)
    if packing > 1:  # PacGAN: the discriminator sees `packing` samples at once
        packed = shape[:-1] + (shape[-1] * packing,)
        fill_ins.update(image_shape=packed, input_dim=int(np.prod(packed)))
    discriminator = _build_network(recipe["discriminator"], "discriminator", fill_ins)
    if generator is None and len(shape) != 3:
        raise CommandLineError(
            f"{cls.__name__}'s default networks make images; for {recipe['dataset']} give "
            "the recipe a generator and a discriminator (e.g. mlp_generator)."
        )
    return cls(
        generator=generator,
        discriminator=discriminator,
        latent_dim=recipe["latent_dim"],
        image_shape=shape if generator is None else None,
        seed=recipe.get("seed"),
        **kwargs,
    )


def _optimizer(spec):
    import keras

    if spec is None:
        return None
    try:
        return keras.optimizers.get(copy.deepcopy(spec))
    except (ValueError, TypeError) as error:
        raise CommandLineError(f"Bad optimizer {spec!r}: {error}") from None


def compile_model(model, recipe):
    model.compile(
        g_optimizer=_optimizer(recipe.get("g_optimizer")),
        d_optimizer=_optimizer(recipe.get("d_optimizer")),
    )
    return model


def training_data(recipe, conditional, data_dir=None):
    """`(fit_args, fit_kwargs, description)` for `model.fit`."""
    from keras_gans import data

    name = recipe["dataset"]
    if name in MIXTURES:
        n = recipe["num_examples"] or 20_000
        points, labels = data.mixture(name, n, seed=recipe["seed"], with_labels=True)
        args = (points, labels) if conditional else (points,)
        described = {"dataset": name, "num_examples": n, "seed": recipe["seed"],
                     "source": "keras_gans.data.mixture"}
        return args, {"batch_size": recipe["batch_size"], "shuffle": True}, described
    dataset = data.load(
        name,
        split="train",
        batch_size=recipe["batch_size"],
        image_size=recipe.get("image_size"),
        with_labels=conditional,
        data_dir=data_dir,
        shuffle=True,
        seed=recipe["seed"],
        num_examples=recipe["num_examples"],
        drop_remainder=True,
    )
    described = {"dataset": name, "split": "train", "num_examples": recipe["num_examples"],
                 "source": "keras_gans.data.load", "scaling": "[-1, 1]"}
    return (dataset,), {"shuffle": False}, described  # the dataset shuffles itself


# ------------------------------------------------------------------- training


def _machine():
    return f"{platform.machine()}, {os.cpu_count()} CPU cores"


def _run_checkpoint_callback(output, history):
    import keras

    class RunCheckpoint(keras.callbacks.Callback):
        """Saves the full model (optimizer state included) and the run state."""

        def on_epoch_end(self, epoch, logs=None):
            history.append({k: float(v) for k, v in (logs or {}).items()})
            temporary = os.path.join(output, "checkpoint.tmp.keras")
            self.model.save(temporary)
            os.replace(temporary, os.path.join(output, CHECKPOINT_FILE))
            _write_json(os.path.join(output, STATE_FILE), {"epochs_done": epoch + 1, "history": history})

    return RunCheckpoint()


def _write_json(path, value):
    temporary = path + ".tmp"
    with open(temporary, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")
    os.replace(temporary, path)


class PortableSampler:
    """Wraps a model so that `generate(n, seed=...)` draws its latent noise with
    NumPy (`keras_gans.presets.generate_samples`): the same samples, and so the
    same metrics, on every Keras backend."""

    def __init__(self, model):
        self.model = model
        self.num_classes = model.num_classes
        self.image_shape = model.image_shape
        self.latent_dim = model.latent_dim

    def generate(self, n, seed=None, labels=None):
        from keras_gans import presets

        return presets.generate_samples(self.model, n, seed=0 if seed is None else seed, labels=labels)


def mixture_report(model, mixture, seed=0, num_samples=MIXTURE_EVAL_SAMPLES):
    """PacGAN mode scores of `num_samples` samples (NumPy latent seed `seed`)."""
    from keras_gans import metrics
    from keras_gans import presets

    scores = metrics.mixture_scores(presets.generate_samples(model, num_samples, seed=seed), mixture)
    scores["protocol"] = (
        f"{num_samples} samples (NumPy latent seed {seed}); high quality = within 3 "
        "standard deviations of the nearest mode; a mode is captured when it has a "
        "high-quality sample (PacGAN, Lin et al. 2018)"
    )
    return scores


def _format_mixture_scores(scores, mixture):
    from keras_gans import data

    num_modes = len(data.mixture_modes(mixture)[0])
    return (
        f"modes {scores['modes']}/{num_modes}, high-quality samples "
        f"{100 * scores['high_quality']:.1f}%, reverse KL {scores['reverse_kl']:.3f}"
    )


def _resumed_run(args):
    """(recipe, state, model) of the run in `args.output`."""
    import keras

    output = args.output
    checkpoint = os.path.join(output, CHECKPOINT_FILE)
    state_path = os.path.join(output, STATE_FILE)
    if not os.path.isfile(checkpoint) or not os.path.isfile(state_path):
        raise CommandLineError(
            f"Nothing to resume in {output!r}: it has no {CHECKPOINT_FILE} and {STATE_FILE}."
        )
    fixed = [f"--{k.replace('_', '-')}" for k in ("batch_size", "num_examples", "latent_dim", "seed", "set")
             if getattr(args, k) is not None]
    if fixed:
        raise CommandLineError(
            f"{', '.join(fixed)} cannot change when resuming; only --epochs can (start a new run instead)."
        )
    recipe = check_recipe(_read_json(os.path.join(output, RECIPE_FILE), "recipe"))
    if args.target is not None and _normalize(args.target) not in (
        _normalize(recipe["variant"]), _normalize(recipe["name"]),
    ) and not args.target.endswith(".json"):
        raise CommandLineError(
            f"{output!r} holds a {recipe['variant']} run ({recipe['name']}), not {args.target!r}."
        )
    if args.epochs is not None:
        recipe["epochs"] = args.epochs
    recipe = check_recipe(recipe)
    state = _read_json(state_path, "run state")
    keras.utils.set_random_seed(int(recipe["seed"] or 0) + state["epochs_done"])
    try:
        model = keras.models.load_model(checkpoint)
    except Exception as error:  # noqa: BLE001 - zip, h5 and config errors
        raise CommandLineError(f"Cannot load the checkpoint {checkpoint!r}: {error}") from None
    return recipe, state, model


def _new_run(args):
    """(recipe, state, model) of a fresh run."""
    import keras

    if args.target is None:
        raise CommandLineError("train needs a variant name, a recipe file or a preset name.")
    if os.path.exists(os.path.join(args.output, CHECKPOINT_FILE)) and not args.overwrite:
        raise CommandLineError(
            f"{args.output!r} already holds a run; pass --resume to continue it or "
            "--overwrite to start again."
        )
    recipe = resolve_recipe(args.target, args.dataset)
    for key in ("epochs", "batch_size", "num_examples", "latent_dim", "seed"):
        if getattr(args, key) is not None:
            recipe[key] = getattr(args, key)
    for assignment in args.set or ():
        _set_override(recipe, assignment)
    recipe = check_recipe(recipe)
    keras.utils.set_random_seed(int(recipe["seed"] or 0))
    model = compile_model(build_model(recipe), recipe)
    for stale in (CHECKPOINT_FILE, STATE_FILE):
        if os.path.exists(os.path.join(args.output, stale)):
            os.remove(os.path.join(args.output, stale))
    shutil.rmtree(os.path.join(args.output, "samples"), ignore_errors=True)
    return recipe, {"epochs_done": 0, "history": []}, model


def command_train(args):
    import keras

    from keras_gans import presets
    from keras_gans.callbacks import SampleGrid

    output = args.output
    recipe, state, model = _resumed_run(args) if args.resume else _new_run(args)
    fit_args, fit_kwargs, data_description = training_data(
        recipe, model.num_classes is not None, args.data_dir
    )
    os.makedirs(output, exist_ok=True)
    _write_json(os.path.join(output, RECIPE_FILE), recipe)
    history = list(state["history"])
    initial_epoch = state["epochs_done"]
    print(
        f"Training {type(model).__name__} on {recipe['dataset']}: epochs "
        f"{initial_epoch + 1}-{recipe['epochs']}, batch {recipe['batch_size']}, output {output}",
        flush=True,
    )
    start = time.time()
    if initial_epoch < recipe["epochs"]:
        model.fit(
            *fit_args,
            epochs=recipe["epochs"],
            initial_epoch=initial_epoch,
            callbacks=[
                SampleGrid(os.path.join(output, "samples"), every=args.sample_every, seed=0),
                _run_checkpoint_callback(output, history),
            ],
            verbose=args.verbose,
            **fit_kwargs,
        )
    seconds = time.time() - start

    preset_dir = os.path.join(output, "preset")
    card_path = os.path.join(preset_dir, presets.METADATA_FILE)
    previous = _read_json(card_path, "card") if args.resume and os.path.isfile(card_path) else {}
    card = {
        "name": recipe["name"],
        "description": recipe["description"],
        "data": data_description,
        "recipe": recipe,
        "commands": previous.get("commands", []) + [" ".join([PROG] + list(args.argv))],
        "training": {
            "epochs": recipe["epochs"],
            "train_seconds": round(previous.get("training", {}).get("train_seconds", 0.0) + seconds, 1),
            "final_logs": history[-1] if history else {},
            "backend": keras.backend.backend(),
            "keras_version": keras.__version__,
            "machine": _machine(),
            "date": datetime.date.today().isoformat(),
        },
    }
    if recipe["dataset"] in MIXTURES:
        card["metrics"] = mixture_report(model, recipe["dataset"])
        print(f"Mode scores ({MIXTURE_EVAL_SAMPLES} samples): "
              + _format_mixture_scores(card["metrics"], recipe["dataset"]))
    presets.save_to_preset(model, preset_dir, metadata=card)
    samples_dir = os.path.join(output, "samples")
    grids = sorted(os.listdir(samples_dir)) if os.path.isdir(samples_dir) else []
    if grids:
        print(f"Samples: {os.path.join(samples_dir, grids[-1])}")
    print(f"Checkpoint: {os.path.join(output, CHECKPOINT_FILE)}  Preset: {preset_dir}")
    return 0


# --------------------------------------------------------------- loading models


def load_model(spec):
    """A model from a preset name, a preset folder or a `.keras` file."""
    import keras

    from keras_gans import presets

    if spec.endswith(".keras") or os.path.isfile(spec):
        if not os.path.isfile(spec):
            raise CommandLineError(f"Model file {spec!r} does not exist.")
        try:
            model = keras.models.load_model(spec)
        except Exception as error:  # noqa: BLE001 - zip, h5 and config errors
            raise CommandLineError(f"Cannot read model file {spec!r}: {error}") from None
        if not hasattr(model, "generate"):
            raise CommandLineError(
                f"{spec!r} holds a {type(model).__name__}, not a keras_gans GAN."
            )
        return model
    return presets.from_preset(spec)


def _parse_labels(text, model, count):
    if text is None:
        return None
    if model.num_classes is None:
        raise CommandLineError("--labels needs a conditional model; this one has no classes.")
    try:
        labels = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise CommandLineError(f"--labels takes comma-separated integers, got {text!r}.") from None
    if not labels or min(labels) < 0 or max(labels) >= model.num_classes:
        raise CommandLineError(f"Labels must be in [0, {model.num_classes - 1}], got {text!r}.")
    return np.resize(np.asarray(labels, "int32"), count)


# ------------------------------------------------------------------- commands


def command_list(args):
    from keras_gans import presets

    entries = presets.list_presets()
    variants = list(variant_classes())
    if args.json:
        print(json.dumps({"presets": entries, "variants": variants, "datasets": list(DATASET_NAMES)}, indent=2))
        return 0
    print("Presets (keras-gans sample NAME):")
    width = max([len(n) for n in entries] + [4])
    for name, entry in entries.items():
        metrics = entry.get("metrics") or {}
        shown = ", ".join(f"{k} {v:g}" if isinstance(v, float) else f"{k} {v}" for k, v in metrics.items())
        print(f"  {name:<{width}}  {entry.get('description', '')}" + (f"  [{shown}]" if shown else ""))
    print("Variants (keras-gans train VARIANT --dataset DATASET): " + ", ".join(variants))
    print("Datasets: " + ", ".join(DATASET_NAMES))
    return 0


def command_sample(args):
    from keras_gans import presets

    if args.num_samples < 1:
        raise CommandLineError(f"--num-samples must be >= 1, got {args.num_samples}.")
    model = load_model(args.model)
    labels = _parse_labels(args.labels, model, args.num_samples)
    if not args.output.lower().endswith(".png"):
        raise CommandLineError(f"--output must name a .png file, got {args.output!r}.")
    picture = presets.write_sample_grid(
        model, args.output, num_samples=args.num_samples, seed=args.seed, labels=labels
    )
    print(f"Wrote {args.output} ({args.num_samples} samples, {picture.shape[1]}x{picture.shape[0]} pixels)")
    return 0


def _default_extractor(shape):
    if len(shape) == 1:
        return "raw"
    if tuple(shape) == (28, 28, 1):
        return "domain"
    return "inception"


def evaluate_model(model, dataset, split="test", num_samples=10_000, extractor=None,
                   seed=0, data_dir=None, image_size=None):
    """Metrics of a model against a dataset, as a dict with its protocol."""
    from keras_gans import data
    from keras_gans import metrics

    _check_dataset(dataset)
    shape = tuple(model.image_shape)
    if dataset in MIXTURES:
        if shape != (2,):
            raise CommandLineError(
                f"The model generates samples of shape {shape}, but {dataset} holds 2D points."
            )
        real = data.mixture(dataset, num_samples, seed=seed + 1_000_003)
    else:
        real = data.load_numpy(dataset, split, image_size=image_size, data_dir=data_dir)
        if tuple(real.shape[1:]) != shape:
            hint = " (pass --image-size)" if len(shape) == 3 and shape[-1] == real.shape[-1] else ""
            raise CommandLineError(
                f"The model generates samples of shape {shape}, but {dataset} images are "
                f"{tuple(real.shape[1:])}{hint}."
            )
    extractor = extractor or _default_extractor(shape)
    kid_subset_size = max(2, min(1000, num_samples // 2))
    results = metrics.evaluate_generator(
        PortableSampler(model), real, extractor=extractor, num_samples=num_samples, seed=seed,
        metrics=("fid", "kid"), kid_subset_size=kid_subset_size,
    )
    if dataset in MIXTURES:
        reference = f"{num_samples} points of a fresh {dataset} sample"
    elif len(real) > num_samples:
        reference = f"{num_samples} {dataset} {split} images (random subset, seed {seed})"
    else:
        reference = f"the {len(real)} {dataset} {split} images"
    protocol = {
        "dataset": dataset,
        "split": None if dataset in MIXTURES else split,
        "num_samples": num_samples,
        "extractor": extractor,
        "seed": seed,
        "description": (
            f"{extractor} features of {num_samples} generated samples (NumPy latent "
            f"seed {seed} + i for the i-th batch of 500"
            + ("; labels cycling over the classes" if model.num_classes else "")
            + f") vs {reference}; KID: 100 random subsets of {kid_subset_size}"
        ),
    }
    if dataset in MIXTURES:
        scores = mixture_report(model, dataset, seed=seed, num_samples=num_samples)
        results.update({k: v for k, v in scores.items() if k != "protocol"})
        protocol["mixture_scores"] = scores["protocol"]
    results = {k: int(v) if isinstance(v, (int, np.integer)) else float(v) for k, v in results.items()}
    return {"protocol": protocol, "results": results}


def card_summary(evaluations):
    """Headline metrics of a model card: the largest evaluation (lowest seed),
    rounded, with the spread over the seeds evaluated under the same protocol."""
    head = evaluations[0]
    summary = {k: round(v, 4) for k, v in head["results"].items()}

    def same_protocol(evaluation):
        ignored = ("seed", "description", "mixture_scores")
        return {k: v for k, v in evaluation["protocol"].items() if k not in ignored} == {
            k: v for k, v in head["protocol"].items() if k not in ignored
        }

    repeats = [e for e in evaluations if same_protocol(e)]
    if len(repeats) > 1:
        for key in ("fid", "kid"):
            if key in head["results"]:
                values = [e["results"][key] for e in repeats]
                summary[f"{key}_std_over_seeds"] = round(float(np.std(values, ddof=1)), 4)
        summary["num_seeds"] = len(repeats)
    summary["protocol"] = head["protocol"]["description"]
    return summary


def command_evaluate(args):
    from keras_gans import presets

    if args.num_samples < 2:
        raise CommandLineError(f"--num-samples must be >= 2, got {args.num_samples}.")
    model = load_model(args.model)
    evaluation = evaluate_model(
        model, args.dataset, args.split, args.num_samples, args.extractor, args.seed,
        args.data_dir, args.image_size,
    )
    evaluation["command"] = " ".join([PROG] + list(args.argv))
    if args.save_to_card:
        if not os.path.isdir(args.model):
            raise CommandLineError("--save-to-card needs a preset folder as MODEL.")
        card = presets.load_metadata(args.model)
        evaluations = [e for e in card.get("evaluations", []) if e.get("protocol") != evaluation["protocol"]]
        evaluations.append(evaluation)
        card["evaluations"] = sorted(
            evaluations, key=lambda e: (-e["protocol"]["num_samples"], e["protocol"]["seed"])
        )
        card["metrics"] = card_summary(card["evaluations"])
        _write_json(os.path.join(args.model, presets.METADATA_FILE), card)
    if args.json:
        print(json.dumps(evaluation, indent=2))
    else:
        print(evaluation["protocol"]["description"])
        for key, value in evaluation["results"].items():
            print(f"  {key}: {value:.6g}")
    return 0


def command_export(args):
    from keras_gans import export

    model = load_model(args.model)
    path = export.export_generator(
        model, args.path, version=args.version, uint8=args.uint8, overwrite=args.overwrite
    )
    inputs = f"z float32 [None, {model.latent_dim}]" + (
        ", labels int32 [None]" if model.num_classes is not None else ""
    )
    dtype = "uint8" if args.uint8 else "float32"
    print(f"Exported {path}: serving_default({inputs}) -> images {dtype} [None, "
          f"{', '.join(str(d) for d in model.image_shape)}]")
    return 0


# --------------------------------------------------------------------- parser


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(f"{self.prog}: {message}")


def build_parser():
    parser = _Parser(
        prog=PROG,
        description="Train, sample, evaluate and export Keras GANs.",
    )
    parser.add_argument("--traceback", action="store_true", help="show Python tracebacks of errors")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    listing = commands.add_parser("list", help="list presets, variants and datasets")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=command_list)

    train = commands.add_parser("train", help="train a variant or a recipe")
    train.add_argument("target", nargs="?", help="variant name (gan, wgan_gp, ...), recipe .json file or preset name")
    train.add_argument("--dataset", help=f"one of {', '.join(DATASET_NAMES)}")
    train.add_argument("--output", default="runs/train", help="run folder (checkpoint, samples, preset)")
    train.add_argument("--epochs", type=int, help="total number of epochs")
    train.add_argument("--batch-size", type=int)
    train.add_argument("--num-examples", type=int, help="train on the first N examples (mixtures: N points)")
    train.add_argument("--latent-dim", type=int)
    train.add_argument("--seed", type=int)
    train.add_argument("--set", action="append", metavar="KEY=VALUE",
                       help="override a recipe entry, e.g. variant_args.gp_weight=0.1 (JSON values)")
    train.add_argument("--data-dir", help="folder with the raw dataset files")
    train.add_argument("--sample-every", type=int, default=1, help="write a sample grid every N epochs")
    train.add_argument("--resume", action="store_true", help="continue the run in --output")
    train.add_argument("--overwrite", action="store_true", help="replace a run already in --output")
    train.add_argument("--verbose", type=int, choices=(0, 1, 2), default=1,
                       help="0 silent, 1 progress bar, 2 one line per epoch")
    train.set_defaults(func=command_train)

    sample = commands.add_parser("sample", help="write a PNG grid of samples")
    sample.add_argument("model", help="preset name, preset folder or .keras file")
    sample.add_argument("--output", default="samples.png")
    sample.add_argument("--num-samples", type=int, default=64)
    sample.add_argument("--seed", type=int, default=0)
    sample.add_argument("--labels", help="class labels for conditional models, e.g. 0,1,2 (repeated)")
    sample.set_defaults(func=command_sample)

    evaluate = commands.add_parser("evaluate", help="FID/KID (and mode scores) against a dataset")
    evaluate.add_argument("model", help="preset name, preset folder or .keras file")
    evaluate.add_argument("--dataset", required=True, help=f"one of {', '.join(DATASET_NAMES)}")
    evaluate.add_argument("--split", default="test")
    evaluate.add_argument("--num-samples", type=int, default=10_000)
    evaluate.add_argument("--extractor", choices=("domain", "inception", "raw"),
                          help="feature extractor (default: domain for 28x28x1, raw for 2D)")
    evaluate.add_argument("--seed", type=int, default=0)
    evaluate.add_argument("--image-size", type=int)
    evaluate.add_argument("--data-dir")
    evaluate.add_argument("--json", action="store_true", help="print JSON")
    evaluate.add_argument("--save-to-card", action="store_true",
                          help="record the result in the preset folder's metadata.json")
    evaluate.set_defaults(func=command_evaluate)

    export = commands.add_parser("export", help="export the generator for TensorFlow Serving")
    export.add_argument("model", help="preset name, preset folder or .keras file")
    export.add_argument("path", help="base folder; the SavedModel goes to PATH/VERSION")
    export.add_argument("--version", type=int, default=1)
    export.add_argument("--uint8", action="store_true", help="return uint8 images in [0, 255]")
    export.add_argument("--overwrite", action="store_true")
    export.set_defaults(func=command_export)
    return parser


def _one_line(error):
    text = " ".join(str(error).split())
    return text if text else type(error).__name__


def main(argv=None):
    """Runs the command line; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    show_traceback = "--traceback" in argv
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 2
        args.argv = [a for a in argv if a != "--traceback"]
        return args.func(args)
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except Exception as error:  # noqa: BLE001 - one clear line, not a traceback
        if show_traceback:
            raise
        print(f"{PROG}: error: {_one_line(error)}", file=sys.stderr)
        return 2 if isinstance(error, UsageError) else 1
