"""`run_tuning`: a hyperparameter search from a tuning recipe (JSON).

A tuning recipe names a training recipe, what to change in it for every trial
(`overrides`, e.g. a shorter training), the search space, the objective and
the tuner. `run_tuning` runs the search in a folder that holds KerasTuner's
own state (the oracle and every trial, so that a search that stops resumes
where it was), the tuning recipe it runs (`tuning_recipe.json`), and, after the
search, `trials.json` (every trial: hyperparameters and metrics) and
`best_recipe.json` (the best trial's training recipe, ready for
`keras-gans train`). See docs/tuning.md for the format.
"""

import copy
import json
import os

from keras_gans import recipes
from keras_gans.tuning.gan_hypermodel import GANHyperModel
from keras_gans.tuning.objectives import check_evaluation
from keras_gans.tuning.objectives import check_objective
from keras_gans.tuning.objectives import tuner_objective
from keras_gans.tuning.search_space import check_search_space

TUNING_KEYS = (
    "name",
    "description",
    "recipe",
    "overrides",
    "search_space",
    "objective",
    "tuner",
    "max_trials",
    "executions_per_trial",
    "seed",
    "evaluation",
)
TUNERS = ("random", "bayesian", "grid")
TUNING_RECIPE_FILE = "tuning_recipe.json"
TRIALS_FILE = "trials.json"
BEST_RECIPE_FILE = "best_recipe.json"
PROJECT_NAME = "keras_tuner"


def _positive_int(tuning, key, default):
    value = tuning.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"The tuning recipe's {key} must be a positive integer. Received: {key}={value!r}")
    return value


def load_tuning_recipe(source):
    """A checked tuning recipe, with its training recipe resolved.

    Args:
        source: a tuning recipe `.json` file, or the recipe as a dict. Its
            `recipe` is a training recipe file, a preset name (the recipe of
            its model card) or an inline training recipe; a relative file path
            is read relative to the tuning recipe's folder first.

    Returns:
        dict with every key of `TUNING_KEYS`; `recipe` is the checked training
        recipe with the `overrides` applied.
    """
    base_dir = None
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        try:
            with open(path) as f:
                tuning = json.load(f)
        except OSError as error:
            raise ValueError(f"Cannot read the tuning recipe {path}: {error.strerror}.") from None
        except json.JSONDecodeError as error:
            raise ValueError(f"The tuning recipe {path} is not valid JSON: {error}.") from None
        base_dir = os.path.dirname(os.path.abspath(path))
    elif isinstance(source, dict):
        tuning = copy.deepcopy(source)
    else:
        raise ValueError(f"A tuning recipe is a JSON file or a dict. Received: {type(source).__name__}")
    if not isinstance(tuning, dict):
        raise ValueError("A tuning recipe must be a JSON object.")
    unknown = sorted(set(tuning) - set(TUNING_KEYS))
    if unknown:
        raise ValueError(
            f"Unknown keys {unknown} in the tuning recipe. Known keys: {', '.join(TUNING_KEYS)}."
        )
    for key in ("recipe", "search_space", "objective"):
        if key not in tuning:
            raise ValueError(f"The tuning recipe lacks {key!r}.")
    recipe = tuning["recipe"]
    if isinstance(recipe, str):
        candidate = os.path.join(base_dir, recipe) if base_dir and not os.path.isabs(recipe) else recipe
        recipe = recipes.load_recipe(candidate if os.path.isfile(candidate) else recipe)
    elif isinstance(recipe, dict):
        recipe = recipes.check_recipe(recipe, "tuning recipe's recipe")
    else:
        raise ValueError(
            f"The tuning recipe's recipe must be a file, a preset name or a dict. Received: {recipe!r}"
        )
    overrides = tuning.get("overrides") or {}
    if not isinstance(overrides, dict):
        raise ValueError(f"overrides must map recipe keys to values. Received: overrides={overrides!r}")
    for key, value in overrides.items():
        recipes.set_recipe_value(recipe, key, copy.deepcopy(value))
    recipe = recipes.check_recipe(recipe, "tuning recipe's recipe (with its overrides)")
    seed = tuning.get("seed", 0)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"The tuning recipe's seed must be a non-negative integer. Received: seed={seed!r}")
    if recipe.get("seed") is None:
        recipe["seed"] = seed
    tuner = tuning.get("tuner", "random")
    tuner = {"type": tuner} if isinstance(tuner, str) else dict(tuner)
    if tuner.get("type") not in TUNERS:
        raise ValueError(
            f"Unknown tuner. Known tuners: {', '.join(TUNERS)}. Received: tuner={tuning.get('tuner')!r}"
        )
    checked = {
        "name": tuning.get("name") or f"{recipe['name']}_search",
        "description": tuning.get("description", ""),
        "recipe": recipe,
        "overrides": overrides,
        "search_space": check_search_space(tuning["search_space"], recipe),
        "objective": check_objective(tuning["objective"], recipe["dataset"]),
        "tuner": tuner,
        "max_trials": _positive_int(tuning, "max_trials", 10),
        "executions_per_trial": _positive_int(tuning, "executions_per_trial", 1),
        "seed": seed,
        "evaluation": check_evaluation(tuning.get("evaluation")),
    }
    return checked


def build_tuner(tuning, directory, overwrite=False, data_dir=None):
    """The KerasTuner tuner of a checked tuning recipe, its state in `directory`."""
    import keras_tuner

    hypermodel = GANHyperModel(
        tuning["recipe"], tuning["search_space"], tuning["evaluation"], tuning["objective"], data_dir=data_dir
    )
    options = {key: value for key, value in tuning["tuner"].items() if key != "type"}
    classes = {
        "random": keras_tuner.RandomSearch,
        "bayesian": keras_tuner.BayesianOptimization,
        "grid": keras_tuner.GridSearch,
    }
    try:
        return classes[tuning["tuner"]["type"]](
            hypermodel=hypermodel,
            objective=tuner_objective(tuning["objective"]),
            max_trials=tuning["max_trials"],
            executions_per_trial=tuning["executions_per_trial"],
            seed=tuning["seed"],
            directory=directory,
            project_name=PROJECT_NAME,
            overwrite=overwrite,
            max_retries_per_trial=0,
            **options,
        )
    except TypeError as error:
        raise ValueError(f"Bad tuner options {options}: {error}") from None


def _comparable(tuning):
    """What must match for a folder's search to be resumed (not max_trials)."""
    return json.loads(json.dumps({k: v for k, v in tuning.items() if k != "max_trials"}))


def _check_directory(directory, tuning, overwrite):
    stored_path = os.path.join(directory, TUNING_RECIPE_FILE)
    if not os.path.isdir(directory) or not os.listdir(directory):
        return False
    if not os.path.isfile(stored_path):
        raise FileExistsError(
            f"{directory} is not empty and holds no tuning search ({TUNING_RECIPE_FILE}); a search never "
            f"deletes other files. Choose another directory. Received: directory={directory!r}"
        )
    if overwrite:
        return True
    with open(stored_path) as f:
        stored = json.load(f)
    if _comparable(stored) != _comparable(tuning):
        raise ValueError(
            f"{directory} holds a search with another tuning recipe; resume it with the same recipe, or "
            "pass overwrite=True (--overwrite) to start this one there. Received: directory="
            f"{directory!r}"
        )
    return False


def _write_json(path, value):
    temporary = path + ".tmp"
    with open(temporary, "w") as f:
        json.dump(value, f, indent=2)
        f.write("\n")
    os.replace(temporary, path)


def _trial_summary(trial, objective):
    return {
        "trial_id": trial.trial_id,
        "status": trial.status,
        "score": trial.score,
        "hyperparameters": dict(trial.hyperparameters.values),
        "metrics": {name: trial.metrics.get_last_value(name) for name in sorted(trial.metrics.metrics)},
    }


def run_tuning(recipe, directory=None, overwrite=False, max_trials=None, verbose=1, data_dir=None):
    """Runs (or resumes) a hyperparameter search from a tuning recipe.

    Trials are drawn by the recipe's tuner with its `seed` (the same recipe
    draws the same trials) and each trial trains with the training recipe's
    seed. KerasTuner keeps the search's state in `directory`: running the
    same recipe again skips the finished trials and runs the rest (raise
    `max_trials` to extend a finished search).

    Args:
        recipe: a tuning recipe file or dict (see `load_tuning_recipe`).
        directory: the search's folder (default `tuning/<name>`); a non-empty
            folder that holds no search is refused.
        overwrite: start the search anew in a folder that holds one.
        max_trials: replaces the recipe's `max_trials`.
        verbose: KerasTuner's verbosity (0, 1 or 2).
        data_dir: folder with the raw dataset files.

    Returns:
        dict with `name`, `directory`, `objective`, `trials` (each trial's
        id, status, score, hyperparameters and metrics), `best_trial`,
        `best_hyperparameters`, `best_metrics` and `best_recipe`.

    Example:

    ```python
    result = keras_gans.tuning.run_tuning("benchmarks/tuning/gan_ring_search.json", "tuning/ring")
    result["best_metrics"], result["best_recipe"]["g_optimizer"]
    ```
    """
    tuning = load_tuning_recipe(recipe)
    if max_trials is not None:
        tuning["max_trials"] = _positive_int({"max_trials": max_trials}, "max_trials", None)
    directory = os.fspath(directory or os.path.join("tuning", tuning["name"]))
    restart = _check_directory(directory, tuning, overwrite)
    os.makedirs(directory, exist_ok=True)
    if restart:
        for name in (TRIALS_FILE, BEST_RECIPE_FILE):
            if os.path.exists(os.path.join(directory, name)):
                os.remove(os.path.join(directory, name))
    tuner = build_tuner(tuning, directory, overwrite=restart, data_dir=data_dir)
    _write_json(os.path.join(directory, TUNING_RECIPE_FILE), tuning)
    tuner.search(verbose=verbose)

    trials = sorted(tuner.oracle.trials.values(), key=lambda t: t.trial_id)
    summary = {
        "name": tuning["name"],
        "directory": directory,
        "objective": tuning["objective"],
        "trials": [_trial_summary(t, tuning["objective"]) for t in trials],
    }
    completed = [t for t in trials if t.status == "COMPLETED"]
    if completed:
        best = tuner.oracle.get_best_trials(1)[0]
        best_recipe = tuner.hypermodel.trial_recipe(best.hyperparameters.copy())
        best_recipe["name"] = f"{tuning['name']}_best"
        best_recipe["description"] = (
            f"Best trial ({best.trial_id}) of the search {tuning['name']!r} "
            f"(objective {', '.join(tuning['objective'])}) on {tuning['recipe']['name']}"
        )
        summary.update(
            best_trial=best.trial_id,
            best_hyperparameters=dict(best.hyperparameters.values),
            best_metrics=_trial_summary(best, tuning["objective"])["metrics"],
            best_recipe=best_recipe,
        )
        _write_json(os.path.join(directory, BEST_RECIPE_FILE), best_recipe)
    _write_json(os.path.join(directory, TRIALS_FILE), summary)
    return summary
