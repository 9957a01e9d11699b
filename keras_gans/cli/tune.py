"""`keras-gans tune`: a KerasTuner hyperparameter search from a tuning recipe."""

import contextlib
import json
import os
import sys

# Package-internal: the public API of the CLI is keras_gans.cli (main, build_parser).
__all__ = []


def _shown(value):
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def command_tune(args):
    """Runs (or resumes) `keras_gans.tuning.run_tuning` and prints every trial and the best one."""
    from keras_gans import tuning
    from keras_gans.tuning.search import BEST_RECIPE_FILE

    # KerasTuner prints ("Reloading Tuner from ...") whatever its verbosity: with
    # --json, stdout carries the JSON only.
    with contextlib.redirect_stdout(sys.stderr) if args.json else contextlib.nullcontext():
        summary = tuning.run_tuning(
            args.recipe,
            directory=args.output,
            overwrite=args.overwrite,
            max_trials=args.max_trials,
            verbose=args.verbose,
            data_dir=args.data_dir,
        )
    if args.json:
        print(json.dumps(summary, indent=2))
        return 0
    objective = (
        " + ".join(summary["objective"]) if isinstance(summary["objective"], list) else summary["objective"]
    )
    print(f"Search {summary['name']} in {summary['directory']} (objective: {objective}):")
    for trial in summary["trials"]:
        metrics = ", ".join(f"{k} {_shown(v)}" for k, v in (trial.get("metrics") or {}).items())
        score = trial.get("score")
        print(
            f"  trial {trial['trial_id']} {trial['status']}"
            + (f" score {_shown(score)}" if score is not None else "")
            + (f" [{metrics}]" if metrics else "")
        )
    if "best_trial" not in summary:
        print("No trial completed.")
        return 1
    best_recipe = os.path.join(summary["directory"], BEST_RECIPE_FILE)
    values = ", ".join(f"{k}={_shown(v)}" for k, v in summary["best_hyperparameters"].items())
    print(f"Best trial {summary['best_trial']}: {values}")
    print(f"Best recipe: {best_recipe}  (keras-gans train {best_recipe} --output DIR)")
    return 0
