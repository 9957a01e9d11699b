"""What a trial is judged by: metrics of `keras_gans.metrics` at the end of training.

Every trial ends with the protocol of the zoo's model cards, run once per
evaluation seed: `keras_gans.metrics.evaluate_model` for FID and KID (raw
coordinates for 2D points, the Fashion-MNIST domain classifier for 28x28
images, InceptionV3 otherwise) and, on the 2D mixtures, the PacGAN mode scores
(`modes`, `high_quality`, `reverse_kl`; `keras_gans.metrics.mixture_report`
alone when the objective needs no FID or KID, which skips KID's cost). The
trial's metrics are their means over the seeds. An objective names one of them, or several: their sum (a
`max` metric with a minus sign) is then the trial's `score`, minimized.
"""

import math

import numpy as np

# Metric name -> the direction that is better.
OBJECTIVE_DIRECTIONS = {
    "fid": "min",
    "kid": "min",
    "reverse_kl": "min",
    "high_quality": "max",
    "modes": "max",
}
# The score of a trial whose generator produced NaN or Inf (a finite number, so
# that Bayesian optimization can still fit the trials).
DIVERGED = {"min": 1e10, "max": -1e10}
PROBE_SAMPLES = 256
EVALUATION_KEYS = ("seeds", "num_samples", "split")


def check_evaluation(evaluation):
    """A checked copy of an evaluation dict (`seeds`, `num_samples`, `split`)."""
    evaluation = dict(evaluation or {})
    unknown = sorted(set(evaluation) - set(EVALUATION_KEYS))
    if unknown:
        raise ValueError(
            f"Unknown evaluation keys {unknown}. Known keys: {', '.join(EVALUATION_KEYS)}. "
            f"Received: evaluation={evaluation!r}"
        )
    seeds = evaluation.get("seeds", [0])
    if (
        not isinstance(seeds, list)
        or not seeds
        or any(isinstance(s, bool) or not isinstance(s, int) or s < 0 for s in seeds)
    ):
        raise ValueError(f"evaluation['seeds'] must be a list of non-negative ints. Received: {seeds!r}")
    samples = evaluation.get("num_samples")
    if samples is not None and (isinstance(samples, bool) or not isinstance(samples, int) or samples < 2):
        raise ValueError(f"evaluation['num_samples'] must be an integer >= 2. Received: {samples!r}")
    return evaluation


def check_objective(objective, dataset):
    """The objective names as a list; 2D mixtures alone have mode scores."""
    from keras_gans import data

    names = [objective] if isinstance(objective, str) else objective
    if not isinstance(names, list) or not names or any(n not in OBJECTIVE_DIRECTIONS for n in names):
        raise ValueError(
            f"objective must be one or a list of {', '.join(OBJECTIVE_DIRECTIONS)}. "
            f"Received: objective={objective!r}"
        )
    mode_scores = {"reverse_kl", "high_quality", "modes"}
    if dataset not in data.MIXTURE_NAMES and mode_scores & set(names):
        raise ValueError(
            f"{sorted(mode_scores & set(names))} are scores of the 2D mixtures; {dataset} has FID and KID. "
            f"Received: objective={objective!r}"
        )
    return list(names)


SCORE = "score"


def tuner_objective(names):
    """The KerasTuner objective for the metric names: the metric itself, or
    the minimized `score` (see `combined_score`) for several."""
    import keras_tuner

    if len(names) == 1:
        return keras_tuner.Objective(names[0], OBJECTIVE_DIRECTIONS[names[0]])
    return keras_tuner.Objective(SCORE, "min")


def combined_score(results, names):
    """`sum(metric if better low else -metric)` over the names."""
    return float(sum(results[n] if OBJECTIVE_DIRECTIONS[n] == "min" else -results[n] for n in names))


MODE_SCORES = ("modes", "high_quality", "reverse_kl")
FEATURE_METRICS = ("fid", "kid", "kid_std")


def evaluate_trial(model, recipe, seeds=(0,), num_samples=None, split="test", data_dir=None, metrics=None):
    """The metrics of a trained trial model, averaged over evaluation seeds.

    Args:
        model: the trained model.
        recipe: the trial's recipe (its dataset and image size).
        seeds: evaluation seeds (latent noise and real subset of each evaluation).
        num_samples: samples per evaluation (default: 2,500 for 2D mixtures,
            as PacGAN; 2,000 images otherwise).
        split: the split of an image dataset.
        data_dir: folder with the raw dataset files.
        metrics: the metric names needed (default: all). FID and KID come
            together from `keras_gans.metrics.evaluate_model`; the mode scores
            alone (`keras_gans.metrics.mixture_report`) skip the costly KID.

    Returns:
        dict of floats, means over `seeds`: `fid`, `kid`, `kid_std` when
        asked for, and `modes`, `high_quality`, `reverse_kl` on the mixtures.
        A generator that makes NaN or Inf samples gets the `DIVERGED` scores,
        and so does an infinite mean (`reverse_kl` of a seed without
        high-quality samples).
    """
    from keras_gans import data
    from keras_gans import metrics as metrics_lib
    from keras_gans import presets

    is_mixture = recipe["dataset"] in data.MIXTURE_NAMES
    wanted = set(metrics or (FEATURE_METRICS + MODE_SCORES))
    if num_samples is None:
        num_samples = metrics_lib.MIXTURE_EVAL_SAMPLES if is_mixture else 2000
    names = (FEATURE_METRICS if wanted & set(FEATURE_METRICS) or not is_mixture else ()) + (
        MODE_SCORES if is_mixture else ()
    )
    probe = presets.generate_samples(model, PROBE_SAMPLES, seed=0)
    if not np.all(np.isfinite(probe)):
        return {name: DIVERGED[OBJECTIVE_DIRECTIONS.get(name, "min")] for name in names}
    runs = []
    for seed in seeds:
        if names[0] == "fid":
            run = metrics_lib.evaluate_model(
                model,
                recipe["dataset"],
                split=split,
                num_samples=num_samples,
                seed=int(seed),
                data_dir=data_dir,
                image_size=recipe.get("image_size"),
            )["results"]
        else:
            run = metrics_lib.mixture_report(
                model, recipe["dataset"], seed=int(seed), num_samples=num_samples
            )
        runs.append(run)
    results = {}
    for name in names:
        value = float(np.mean([run[name] for run in runs]))
        results[name] = value if math.isfinite(value) else DIVERGED[OBJECTIVE_DIRECTIONS.get(name, "min")]
    return results
