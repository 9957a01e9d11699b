"""Search spaces: hyperparameters of a training recipe and how they are drawn.

A search space is a dict `{name: spec}`. A spec is one of

- `{"values": [...]}`: a choice (`hp.Choice`); numbers, strings or booleans;
- `{"min": a, "max": b}` (+ optional `"sampling": "linear" | "log"` and
  `"step"`): a range, `hp.Int` when `a`, `b` (and `step`) are ints, else
  `hp.Float`;
- `{"value": v}`: a fixed value (`hp.Fixed`).

A name is one of the stability-relevant hyperparameters below, any argument of
the recipe's variant (`n_critic`, `gp_weight`, `r1_gamma`, `label_smoothing`,
...; set in `variant_args`), or a dotted recipe key (`batch_size`,
`generator.args.activation`, ...):

| name | what it sets |
| --- | --- |
| `g_learning_rate` | the generator optimizer's learning rate |
| `d_learning_rate` | the discriminator optimizer's learning rate |
| `ttur_ratio` | `d_learning_rate = ttur_ratio * g_learning_rate` (two time-scale update rule) |
| `beta_1`, `beta_2` | Adam's betas of both optimizers |
| `ema_decay` | the generator EMA's decay; `0` turns the EMA off |
| `width` | the width of both networks: every `hidden_units` entry of MLPs, `filters` of CNNs |
"""

import copy
import inspect
import math
import numbers

import keras

from keras_gans import recipes

OPTIMIZER_HYPERPARAMETERS = ("g_learning_rate", "d_learning_rate", "ttur_ratio", "beta_1", "beta_2")
NAMED_HYPERPARAMETERS = OPTIMIZER_HYPERPARAMETERS + ("ema_decay", "width")
_SPEC_KEYS = (
    {"values"},
    {"value"},
    {"min", "max"},
    {"min", "max", "sampling"},
    {"min", "max", "step"},
    {"min", "max", "step", "sampling"},
)


def variant_arguments(cls):
    """The keyword arguments a variant's constructor takes (through its base
    classes), the training tricks' keywords (`keras_gans.terms`) included."""
    from keras_gans import terms

    names = set(terms.keyword_defaults())
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        for parameter in inspect.signature(init).parameters.values():
            if parameter.kind in (parameter.POSITIONAL_OR_KEYWORD, parameter.KEYWORD_ONLY):
                names.add(parameter.name)
    names.discard("self")
    return names - {"generator", "discriminator", "name"}


def _kind(value):
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, numbers.Integral):
        return "int"
    if isinstance(value, numbers.Real):
        return "float"
    return "str" if isinstance(value, str) else None


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_search_space(search_space, recipe):
    """Validates a search space against a checked recipe; returns a copy.

    Raises:
        ValueError: naming the hyperparameter and what is wrong with it.
    """
    if not isinstance(search_space, dict) or not search_space:
        raise ValueError(
            f"search_space must be a non-empty JSON object. Received: search_space={search_space!r}"
        )
    arguments = variant_arguments(recipes.variant_class(recipe["variant"]))
    checked = {}
    for name, spec in search_space.items():
        where = f"search_space[{name!r}]"
        if name not in NAMED_HYPERPARAMETERS and name not in arguments:
            if name.split(".")[0] not in recipes.RECIPE_KEYS or name in ("variant", "dataset"):
                raise ValueError(
                    f"Unknown hyperparameter {name!r}: not one of {', '.join(NAMED_HYPERPARAMETERS)}, "
                    f"not an argument of {recipe['variant']} and not a recipe key "
                    f"({', '.join(recipes.RECIPE_KEYS)}). Received: {where}"
                )
        if not isinstance(spec, dict) or set(spec) not in _SPEC_KEYS:
            raise ValueError(
                f"{where} must be {{'values': [...]}}, {{'min': a, 'max': b}} (optionally with "
                f"'sampling' and 'step') or {{'value': v}}. Received: {spec!r}"
            )
        if "values" in spec:
            values = spec["values"]
            kinds = {_kind(v) for v in values} if isinstance(values, list) else {None}
            if (
                not values
                or None in kinds
                or len(kinds - {"int", "float"}) + bool(kinds & {"int", "float"}) > 1
            ):
                raise ValueError(
                    f"{where}['values'] must be a non-empty list of numbers, of strings or of booleans "
                    f"(one kind). Received: {values!r}"
                )
            if kinds == {"int", "float"}:
                spec = dict(spec, values=[float(v) for v in values])
        if "min" in spec:
            low, high = spec["min"], spec["max"]
            if (
                not all(isinstance(v, numbers.Real) and not isinstance(v, bool) for v in (low, high))
                or low >= high
            ):
                raise ValueError(f"{where} needs numbers min < max. Received: min={low!r}, max={high!r}")
            sampling = spec.get("sampling", "linear")
            if sampling not in ("linear", "log"):
                raise ValueError(f"{where}['sampling'] must be 'linear' or 'log'. Received: {sampling!r}")
            if sampling == "log" and low <= 0:
                raise ValueError(f"{where} with sampling='log' needs min > 0. Received: min={low!r}")
        checked[name] = copy.deepcopy(spec)
    if "ttur_ratio" in checked and "d_learning_rate" in checked:
        raise ValueError(
            "ttur_ratio sets d_learning_rate from g_learning_rate; give one of them. Received: "
            "search_space with both 'ttur_ratio' and 'd_learning_rate'"
        )
    return checked


def declare(hp, search_space):
    """Draws (or reads back) each hyperparameter of a checked space from a KerasTuner `hp`."""
    values = {}
    for name, spec in search_space.items():
        if "value" in spec:
            values[name] = hp.Fixed(name, spec["value"])
        elif "values" in spec:
            values[name] = hp.Choice(
                name,
                spec["values"],
                ordered=all(
                    isinstance(v, numbers.Number) and not isinstance(v, bool) for v in spec["values"]
                ),
            )
        else:
            sampling = spec.get("sampling", "linear")
            if _is_int(spec["min"]) and _is_int(spec["max"]) and _is_int(spec.get("step", 1)):
                values[name] = hp.Int(
                    name, spec["min"], spec["max"], step=spec.get("step", 1), sampling=sampling
                )
            else:
                values[name] = hp.Float(
                    name, float(spec["min"]), float(spec["max"]), step=spec.get("step"), sampling=sampling
                )
    return values


def resolve_default_optimizers(recipe):
    """A recipe whose `g_optimizer`/`d_optimizer` name the variant's default
    optimizers when it leaves them out, so that their settings can be tuned."""
    recipe = copy.deepcopy(recipe)
    if recipe.get("g_optimizer") is not None and recipe.get("d_optimizer") is not None:
        return recipe
    defaults = recipes.build_model(recipe).default_optimizers()
    for key, optimizer in zip(("g_optimizer", "d_optimizer"), defaults):
        if recipe.get(key) is None:
            recipe[key] = {"class_name": type(optimizer).__name__, "config": _tunable_config(optimizer)}
    return recipe


def _tunable_config(optimizer):
    config = keras.optimizers.serialize(optimizer)["config"]
    keep = ("learning_rate", "beta_1", "beta_2", "epsilon", "momentum", "rho")
    return {key: value for key, value in config.items() if key in keep}


def _set_optimizer_value(recipe, key, option, value):
    spec = recipe[key]
    config = spec.setdefault("config", {})
    if option.startswith("beta") and spec.get("class_name", "").lower() not in (
        "adam",
        "adamw",
        "nadam",
        "adamax",
    ):
        raise ValueError(
            f"{option} applies to Adam-type optimizers; the recipe's {key} is {spec.get('class_name')!r}. "
            f"Received: search_space[{option!r}]"
        )
    config[option] = value


def _builder_parameters(spec, role):
    builder = recipes.network_builder(spec["network"], role)  # the recipe's own lookup
    return inspect.signature(builder).parameters


def _set_width(recipe, width):
    changed = False
    for role in ("generator", "discriminator"):
        spec = recipe.get(role)
        if spec is None:
            continue
        if isinstance(spec, str):
            spec = recipe[role] = {"network": spec}
        args = spec.setdefault("args", {}) or {}
        spec["args"] = args
        parameters = _builder_parameters(spec, role)
        if "hidden_units" in parameters:
            current = args.get("hidden_units", parameters["hidden_units"].default)
            args["hidden_units"] = [int(width)] * len(tuple(current))
            changed = True
        elif "filters" in parameters:
            args["filters"] = int(width)
            changed = True
    if not changed and "filters" in variant_arguments(recipes.variant_class(recipe["variant"])):
        recipe.setdefault("variant_args", {})["filters"] = int(width)
        changed = True
    if not changed:
        raise ValueError(
            f"width needs networks with hidden_units or filters: name them in the recipe's generator "
            f"and discriminator (e.g. mlp_generator, dcgan_generator). Received: variant="
            f"{recipe['variant']!r}, generator={recipe.get('generator')!r}"
        )


def apply_hyperparameters(recipe, values):
    """A copy of a (checked) recipe with hyperparameter values set.

    Args:
        recipe: a recipe from `resolve_default_optimizers`.
        values: `{name: value}` as `declare` returns.

    Returns:
        The new recipe.
    """
    recipe = copy.deepcopy(recipe)
    arguments = variant_arguments(recipes.variant_class(recipe["variant"]))
    g_rate = values.get("g_learning_rate")
    if g_rate is not None:
        _set_optimizer_value(recipe, "g_optimizer", "learning_rate", float(g_rate))
    if "d_learning_rate" in values:
        _set_optimizer_value(recipe, "d_optimizer", "learning_rate", float(values["d_learning_rate"]))
    if "ttur_ratio" in values:
        if g_rate is None:
            g_rate = recipe["g_optimizer"].get("config", {}).get("learning_rate")
        if not isinstance(g_rate, numbers.Real):
            raise ValueError(
                "ttur_ratio needs a numeric generator learning rate in the recipe or the search space. "
                f"Received: g_optimizer={recipe['g_optimizer']!r}"
            )
        _set_optimizer_value(recipe, "d_optimizer", "learning_rate", float(values["ttur_ratio"]) * g_rate)
    for option in ("beta_1", "beta_2"):
        if option in values:
            for key in ("g_optimizer", "d_optimizer"):
                _set_optimizer_value(recipe, key, option, float(values[option]))
    for name, value in values.items():
        if name in OPTIMIZER_HYPERPARAMETERS:
            continue
        if name == "ema_decay":
            value = None if not value else float(value)
            recipe.setdefault("variant_args", {})["ema_decay"] = value
        elif name == "width":
            _set_width(recipe, value)
        elif name in arguments:
            recipe.setdefault("variant_args", {})[name] = value
        else:
            recipes.set_recipe_value(recipe, name, value)
    for key in ("g_optimizer", "d_optimizer"):
        rate = (recipe.get(key) or {}).get("config", {}).get("learning_rate")
        if isinstance(rate, float) and not (math.isfinite(rate) and rate > 0):
            raise ValueError(f"The {key} learning rate must be positive. Received: {rate!r}")
    return recipe
