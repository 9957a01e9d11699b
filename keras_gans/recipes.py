"""Training recipes: a JSON description of a training run, and the model it builds.

A recipe names a variant, a dataset, the networks (functions of
`keras_gans.networks` and their arguments), the optimizers and the training
sizes. `keras-gans train` runs recipes; the same functions build and train a
recipe's model from Python:

```python
recipe = keras_gans.recipes.load_recipe("gan", dataset="ring")
model = keras_gans.recipes.build_compiled_model(recipe)
fit_args, fit_kwargs, _ = keras_gans.recipes.training_data(recipe, model)
model.fit(*fit_args, epochs=recipe["epochs"], **fit_kwargs)
```

See docs/cli.md#recipe-format for the format.
"""

import copy
import importlib
import inspect
import json
import numbers
import os

import numpy as np

from keras_gans import data
from keras_gans import models
from keras_gans import networks

RECIPE_KEYS = (
    "name",
    "description",
    "variant",
    "variant_args",
    "dataset",
    "image_size",
    "num_examples",
    "latent_dim",
    "generator",
    "discriminator",
    "g_optimizer",
    "d_optimizer",
    "batch_size",
    "epochs",
    "seed",
)
# The default recipe's training sizes on the 2D mixtures (PacGAN-like set-up).
MIXTURE_NUM_EXAMPLES = 20_000

__all__ = [
    "MIXTURE_NUM_EXAMPLES",
    "RECIPE_KEYS",
    "build_compiled_model",
    "build_model",
    "check_recipe",
    "default_recipe",
    "is_conditional",
    "load_recipe",
    "network_builder",
    "sample_shape",
    "set_recipe_value",
    "training_data",
    "variant_class",
    "variant_classes",
]


def _normalize(name):
    return "".join(c for c in str(name).lower() if c.isalnum())


def variant_classes():
    """`{display name: class}` of the GAN variants exported by `keras_gans.models`.

    Example:

    >>> list(keras_gans.recipes.variant_classes())[:3]
    ['acgan', 'conditional_gan', 'gan']
    """
    found = {}
    for attribute in models.__all__:
        obj = getattr(models, attribute)
        if (
            isinstance(obj, type)
            and issubclass(obj, models.AdversarialModel)
            and obj is not models.AdversarialModel
        ):
            found[models.base.snake_case(obj.__name__)] = obj
    return dict(sorted(found.items()))


def variant_class(name):
    """The variant class for a name such as `gan`, `wgan_gp`, `WGANGP` or `wgan-gp`."""
    classes = variant_classes()
    for display, cls in classes.items():
        if _normalize(name) in (_normalize(display), _normalize(cls.__name__)):
            return cls
    raise ValueError(
        f"Unknown variant {name!r}. Known variants: {', '.join(classes)}. Received: variant={name!r}"
    )


def _accepts(cls_or_fn, argument):
    try:
        parameters = inspect.signature(cls_or_fn).parameters
    except (TypeError, ValueError):
        return False
    return argument in parameters


def is_conditional(cls):
    """True for variants trained on class labels (they take `num_classes`)."""
    return _accepts(cls, "num_classes")


def default_recipe(variant, dataset):
    """The recipe `keras-gans train <variant> --dataset <dataset>` uses.

    2D mixtures: latent size 2, Adam(1e-3, beta_1=0.5) for both networks,
    batch 256, 20,000 points, 80 epochs, and the 3 x 128-unit MLPs of
    `keras_gans.networks` (conditional variants: their default conditional
    MLPs, the same bodies with the label code concatenated). Images: the
    variant's default networks, latent size and optimizers, batch 64, 5 epochs.
    """
    cls = variant_class(variant)
    data.dataset_info(dataset)  # a clear error for unknown names
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
    if dataset in data.MIXTURE_NAMES:
        adam = {"class_name": "Adam", "config": {"learning_rate": 1e-3, "beta_1": 0.5}}
        recipe.update(
            latent_dim=2,
            num_examples=MIXTURE_NUM_EXAMPLES,
            batch_size=256,
            epochs=80,
            g_optimizer=copy.deepcopy(adam),
            d_optimizer=copy.deepcopy(adam),
        )
        if not is_conditional(cls):
            recipe.update(
                generator={"network": "mlp_generator", "args": {}},
                discriminator={"network": "mlp_discriminator", "args": {}},
            )
    return recipe


def _read_json(path, what):
    try:
        with open(path) as f:
            return json.load(f)
    except OSError as error:
        raise FileNotFoundError(f"Cannot read the {what} {path}: {error.strerror}.") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(
            f"The {what} {path} is corrupt or truncated: it is not valid JSON ({error})."
        ) from None


def _check_count(recipe, key, source, allow_none=False):
    value = recipe.get(key)
    if value is None and allow_none:
        return
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or value < (0 if key == "seed" else 1)
    ):
        kind = "a non-negative integer" if key == "seed" else "a positive integer"
        raise ValueError(f"The {source}'s {key!r} must be {kind}. Received: {key}={value!r}")


def check_recipe(recipe, source="recipe"):
    """Validates a recipe dict and fills in the defaults; returns a new dict.

    Args:
        recipe: a dict with at least `variant` and `dataset`.
        source: how to name the recipe in error messages.
    """
    if not isinstance(recipe, dict):
        raise ValueError(f"The {source} must be a JSON object. Received: {type(recipe).__name__}")
    unknown = sorted(set(recipe) - set(RECIPE_KEYS))
    if unknown:
        raise ValueError(f"Unknown keys {unknown} in the {source}. Known keys: {', '.join(RECIPE_KEYS)}.")
    for key in ("variant", "dataset"):
        if not recipe.get(key):
            raise ValueError(f"The {source} lacks {key!r}.")
    full = default_recipe(recipe["variant"], recipe["dataset"])
    full.update(copy.deepcopy(recipe))
    for key in ("epochs", "batch_size", "latent_dim"):
        _check_count(full, key, source)
    _check_count(full, "num_examples", source, allow_none=True)
    _check_count(full, "seed", source, allow_none=True)
    if full["image_size"] is not None and full["dataset"] in data.MIXTURE_NAMES:
        raise ValueError(
            f"The {source}'s 'image_size' applies to images, not to {full['dataset']}. "
            f"Received: image_size={full['image_size']!r}"
        )
    return full


def load_recipe(target, dataset=None):
    """A checked recipe from a JSON file, a zoo preset's card, or a variant name.

    Args:
        target: a recipe `.json` file, a preset name or folder (the recipe in its
            model card), or a variant name (its `default_recipe`).
        dataset: the dataset (required with a variant name; replaces the
            recipe's otherwise).
    """
    from keras_gans import presets

    if target.endswith(".json") or os.path.isfile(target):
        recipe, source = _read_json(target, "recipe"), f"recipe {target}"
    elif target in presets.list_presets() or os.path.isdir(target):
        recipe = presets.load_metadata(target).get("recipe")
        if not recipe:
            raise ValueError(f"Preset {target!r} has no training recipe in its card.")
        source = f"recipe of preset {target!r}"
    else:
        if dataset is None:
            variant_class(target)
            raise ValueError(
                f"{target!r} is a variant name, not a recipe: pass --dataset (dataset= in Python), "
                f"one of {', '.join(data.DATASET_NAMES)}."
            )
        return check_recipe(default_recipe(target, dataset))
    recipe = check_recipe(recipe, source)
    if dataset is not None and dataset != recipe["dataset"]:
        data.dataset_info(dataset)
        recipe["dataset"] = dataset
    return recipe


def set_recipe_value(recipe, key, value):
    """Sets `recipe[key]`, where a dotted key (`variant_args.gp_weight`) reaches into nested dicts."""
    path = key.split(".")
    if path[0] not in RECIPE_KEYS:
        raise ValueError(
            f"Unknown recipe key {path[0]!r}. Known keys: {', '.join(RECIPE_KEYS)}. Received: {key}"
        )
    target = recipe
    for part in path[:-1]:
        if not isinstance(target.get(part), dict):
            target[part] = {}
        target = target[part]
    target[path[-1]] = value
    return recipe


def sample_shape(recipe):
    """The shape of one training sample of a recipe (its dataset at `image_size`)."""
    shape = data.dataset_info(recipe["dataset"]).sample_shape
    if recipe.get("image_size") is not None and len(shape) == 3:
        size = recipe["image_size"]
        size = (size, size) if isinstance(size, int) else tuple(size)
        shape = (int(size[0]), int(size[1]), shape[2])
    return tuple(shape)


def network_builder(name, role):
    """The network-building function a recipe names.

    Args:
        name: a builder of `keras_gans.networks` (`"dcgan_generator"`) or
            `module.function` of one of its modules
            (`"conditional.conditional_generator"`).
        role: `"generator"` or `"discriminator"`, for the error message.

    Returns:
        The function.

    Raises:
        ValueError: no such builder; the message lists the known ones.

    Example:

    >>> keras_gans.recipes.network_builder("dcgan_generator", "generator")
    <function dcgan_generator at ...>
    """
    module, _, function = str(name).rpartition(".")
    try:
        owner = importlib.import_module(f"keras_gans.networks.{module}") if module else networks
    except ImportError:
        owner = None
    builder = getattr(owner, function, None)
    if builder is None or not callable(builder) or function.startswith("_") or isinstance(builder, type):
        known = [n for n in dir(networks) if n.endswith(("_generator", "_discriminator"))]
        raise ValueError(
            f"Unknown {role} network {name!r}. Known networks: {', '.join(known)} (or "
            "module.function of keras_gans.networks, e.g. conditional.conditional_generator). "
            f"Received: network={name!r}"
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
        raise ValueError(f"A {role} network spec needs a 'network' name. Received: {role}={spec!r}")
    builder = network_builder(spec["network"], role)
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
        raise ValueError(f"Bad arguments for {spec['network']}: {error}.") from None


def build_model(recipe):
    """Builds the (uncompiled) model a recipe describes."""
    cls = variant_class(recipe["variant"])
    shape = sample_shape(recipe)
    kwargs = dict(recipe.get("variant_args") or {})
    num_classes = data.dataset_info(recipe["dataset"]).num_classes
    if is_conditional(cls) and "num_classes" not in kwargs:
        if num_classes is None:
            raise ValueError(f"{cls.__name__} is conditional, but {recipe['dataset']} has no class labels.")
        kwargs["num_classes"] = num_classes
    fill_ins = {
        "latent_dim": recipe["latent_dim"],
        "image_shape": shape,
        "sample_shape": shape,
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
    if generator is None and len(shape) != 3 and not is_conditional(cls):
        raise ValueError(
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


def _optimizer(spec, key):
    import keras

    if spec is None:
        return None
    try:
        return keras.optimizers.get(copy.deepcopy(spec))
    except (ValueError, TypeError) as error:
        raise ValueError(f"Bad optimizer in the recipe's {key!r}: {error} Received: {key}={spec!r}") from None


def build_compiled_model(recipe):
    """`build_model(recipe)`, compiled with the recipe's optimizers (None: the variant's defaults)."""
    model = build_model(recipe)
    model.compile(
        g_optimizer=_optimizer(recipe.get("g_optimizer"), "g_optimizer"),
        d_optimizer=_optimizer(recipe.get("d_optimizer"), "d_optimizer"),
    )
    return model


def training_data(recipe, model, data_dir=None):
    """What `model.fit` trains a recipe on: `(fit_args, fit_kwargs, description)`.

    Conditional models get `(samples, labels)`: the classes of an image
    dataset, or the mode index of each point of a 2D mixture.

    Args:
        recipe: a checked recipe.
        model: the recipe's model (`model.num_classes` says whether it needs labels).
        data_dir: folder with the raw dataset files (see `keras_gans.data.load`).

    Returns:
        positional and keyword arguments of `fit`, and a dict describing the
        data for the model card.
    """
    name = recipe["dataset"]
    conditional = model.num_classes is not None
    if name in data.MIXTURE_NAMES:
        n = recipe["num_examples"] or MIXTURE_NUM_EXAMPLES
        points, labels = data.mixture(name, n, seed=recipe["seed"], with_labels=True)
        args = (points, labels) if conditional else (points,)
        described = {
            "dataset": name,
            "num_examples": n,
            "seed": recipe["seed"],
            "source": "keras_gans.data.mixture",
        }
        if conditional:
            described["labels"] = "mode index of each point"
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
    described = {
        "dataset": name,
        "split": "train",
        "num_examples": recipe["num_examples"],
        "source": "keras_gans.data.load",
        "scaling": "[-1, 1]",
    }
    return (dataset,), {"shuffle": False}, described  # the dataset shuffles itself
