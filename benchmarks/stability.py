"""Stability benchmark: how often does a training recipe succeed, over training seeds?

For each cell (dataset x recipe) and each training seed, the benchmark trains the
recipe from scratch and scores it:

- 2D mixtures (`ring`, `grid`), the PacGAN protocol: 2,500 samples; a sample is of
  high quality within 3 standard deviations of its nearest mode
  (`keras_gans.metrics.mixture_scores`). A run succeeds with all modes and at
  least 90 % high-quality samples.
- Fashion-MNIST (`fashion_mnist`, a short budget): the domain-FID
  (`keras_gans.metrics.evaluate_generator`, `extractor="domain"`) of 5,000
  samples against the test split. A run succeeds at a domain-FID of at most
  `--fid-threshold` (20 by default).

Per cell it reports the fraction of seeds that succeed, the mean +- std of each
score, and the wall time of training. A recipe is a JSON-able dict in the format
of `keras_gans.recipes` (variant, variant_args, latent_dim, generator,
discriminator, g_optimizer, d_optimizer, batch_size, epochs, num_examples),
without `dataset` and `seed`, which the cell sets; `datasets` lists the datasets
it applies to. `--recipe-file` adds recipes from a JSON object `{name: recipe}`.

It runs in parts and resumes: every finished run is appended as one JSON line to
the results file (`--results`); a run whose key (dataset, recipe, seed, backend
and a hash of the full recipe) is already there is skipped. The markdown table
(`--markdown`) summarizes every run of the results file.

Example (one small slice; the full benchmark drops the overrides):

```bash
python -m benchmarks.stability --datasets ring --recipes gan --seeds 0-1 \
    --epochs 1 --num-examples 2000 --results /tmp/stability.jsonl \
    --markdown /tmp/stability.md
```
"""

import argparse
import copy
import datetime
import hashlib
import json
import math
import os
import platform
import sys
import time

DEFAULT_RESULTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "stability.jsonl")
DEFAULT_MARKDOWN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "results", "stability.md")
MIXTURES = ("ring", "grid")
IMAGE_DATASETS = ("fashion_mnist",)
SUCCESS_HIGH_QUALITY = 0.9
HELD_OUT_SAMPLES = 2_000  # real samples for MH-GAN's calibration, never trained on
FID_SAMPLES = 5_000
FID_THRESHOLD = 20.0
IMAGE_TRAIN_SIZES = {"fashion_mnist": 60_000}


def _adam(learning_rate, beta_1, beta_2=0.999):
    return {
        "class_name": "Adam",
        "config": {"learning_rate": learning_rate, "beta_1": beta_1, "beta_2": beta_2},
    }


def _mlps(generator_units, discriminator_units):
    return {
        "generator": {"network": "mlp_generator", "args": {"hidden_units": list(generator_units)}},
        "discriminator": {
            "network": "mlp_discriminator",
            "args": {"hidden_units": list(discriminator_units)},
        },
    }


def _mixture_recipe(variant, description, variant_args=None, optimizers="adam", **changes):
    """The issue's baseline: 3x128 MLPs, Adam(1e-3, 0.5, 0.9), batch 256, 13 epochs of 100k."""
    recipe = {
        "description": description,
        "datasets": list(MIXTURES),
        "variant": variant,
        "variant_args": dict(variant_args or {}),
        "latent_dim": 2,
        **_mlps((128, 128, 128), (128, 128, 128)),
        "g_optimizer": _adam(1e-3, 0.5, 0.9) if optimizers == "adam" else None,
        "d_optimizer": _adam(1e-3, 0.5, 0.9) if optimizers == "adam" else None,
        "batch_size": 256,
        "epochs": 13,
        "num_examples": 100_000,
    }
    recipe.update(changes)
    return recipe


def _pacgan_setup(packing):
    """PacGAN's 2D set-up (fjxmlzn/PacGAN, synthetic_data_experiments): 100k points,
    400-unit MLPs (the generator's 4 hidden layers; the paper's discriminator has 3
    maxout layers, here 3 LeakyReLU layers of 400 units, and no batch norm in the
    generator), Adam(1e-4, beta_1=0.8), batch 100. The paper trains 400 epochs; the
    budget here is 20 (raise it with --epochs)."""
    name = "GAN" if packing == 1 else f"PacGAN{packing}"
    return _mixture_recipe(
        "GAN",
        f"{name} in PacGAN's set-up: 4x400 / 3x400 MLPs, Adam(1e-4, 0.8), batch 100, 100k points",
        variant_args={"packing": packing} if packing > 1 else {},
        **_mlps((400,) * 4, (400,) * 3),
        g_optimizer=_adam(1e-4, 0.8),
        d_optimizer=_adam(1e-4, 0.8),
        batch_size=100,
        epochs=20,
    )


RECIPES = {
    "gan": _mixture_recipe("GAN", "non-saturating GAN, 3x128 MLPs, Adam(1e-3, 0.5, 0.9), batch 256"),
    "minimax_gan": _mixture_recipe("GAN", "minimax GAN (same set-up)", {"loss": "minimax"}),
    "hinge_gan": _mixture_recipe("GAN", "hinge-loss GAN (same set-up)", {"loss": "hinge"}),
    "lsgan": _mixture_recipe("LSGAN", "least-squares GAN (same set-up)"),
    "wgan": _mixture_recipe("WGAN", "WGAN with weight clipping, its default RMSprop", optimizers=None),
    "wgan_gp": _mixture_recipe(
        "WGANGP",
        "WGAN-GP, gradient-penalty weight 0.1, n_critic 5, Adam(1e-3, 0.5, 0.9)",
        {"gp_weight": 0.1},
    ),
    "pacgan2": _mixture_recipe("GAN", "PacGAN2: the GAN recipe, discriminator on packs of 2", {"packing": 2}),
    "pacgan4": _mixture_recipe("GAN", "PacGAN4: the GAN recipe, discriminator on packs of 4", {"packing": 4}),
    "pacgan_setup_gan": _pacgan_setup(1),
    "pacgan_setup_pacgan2": _pacgan_setup(2),
    "dcgan": {
        "description": "DCGAN (32 filters), Adam(2e-4, 0.5), batch 64, 2 epochs of 20k images",
        "datasets": list(IMAGE_DATASETS),
        "variant": "GAN",
        "variant_args": {},
        "latent_dim": 64,
        "generator": {"network": "dcgan_generator", "args": {"filters": 32}},
        "discriminator": {"network": "dcgan_discriminator", "args": {"filters": 32}},
        "g_optimizer": _adam(2e-4, 0.5),
        "d_optimizer": _adam(2e-4, 0.5),
        "batch_size": 64,
        "epochs": 2,
        "num_examples": 20_000,
    },
    "wgan_gp_dcgan": {
        "description": "WGAN-GP with its default DCGAN networks and optimizers, 2 epochs of 20k images",
        "datasets": list(IMAGE_DATASETS),
        "variant": "WGANGP",
        "variant_args": {},
        "latent_dim": 64,
        "generator": None,
        "discriminator": None,
        "g_optimizer": None,
        "d_optimizer": None,
        "batch_size": 64,
        "epochs": 2,
        "num_examples": 20_000,
    },
}
BENCHMARK_KEYS = ("description", "datasets", "schedule")  # benchmark-only keys of a recipe
SCHEDULES = ("CosineDecay", "PiecewiseConstantDecay", "PolynomialDecay")


# ---------------------------------------------------------------- recipes


def parse_seeds(text):
    """`"0-9"`, `"0,3,5"`, `"2"` or a mix such as `"0-2,7"` -> sorted unique ints."""
    seeds = set()
    for part in str(text).split(","):
        part = part.strip()
        try:
            if "-" in part:
                low, high = (int(p) for p in part.split("-", 1))
                if low > high or low < 0:
                    raise ValueError
                seeds.update(range(low, high + 1))
            else:
                seed = int(part)
                if seed < 0:
                    raise ValueError
                seeds.add(seed)
        except ValueError:
            raise ValueError(
                f"Seeds are non-negative integers and ranges such as 0-9 or 0,3,5. Received: seeds={text!r}"
            ) from None
    return sorted(seeds)


def _names(text):
    return [name.strip() for name in str(text).split(",") if name.strip()]


def parse_sampler_options(text, samplers):
    """Sampler options from JSON text or a JSON file: `{sampler: {option: value}}`."""
    from keras_gans import sampling

    for name in samplers:
        sampling.get(name)  # a clear error for unknown names
    if not text:
        return {}
    if os.path.isfile(text):
        with open(text) as f:
            text = f.read()
    try:
        options = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"--sampler-options is not valid JSON ({error}). Received: {text!r}") from None
    if not isinstance(options, dict) or not all(isinstance(v, dict) for v in options.values()):
        raise ValueError(
            'Sampler options are a JSON object {sampler: {option: value}}, e.g. {"mh": '
            f'{{"chain_length": 100}}}}. Received: {text!r}'
        )
    unused = sorted(set(options) - set(samplers))
    if unused:
        raise ValueError(f"Options for samplers not in --samplers: {unused}. Received: --samplers {samplers}")
    return options


def load_recipe_file(path):
    """Recipes from a JSON object `{name: recipe}`."""
    with open(path) as f:
        recipes = json.load(f)
    if not isinstance(recipes, dict) or not all(isinstance(r, dict) for r in recipes.values()):
        raise ValueError(
            f"A recipe file holds a JSON object {{name: recipe}}. Received: {path} holding "
            f"{type(recipes).__name__}"
        )
    return recipes


def n_critic_of(recipe):
    """Discriminator updates per train step of a recipe (its variant's default unless set)."""
    from keras_gans import recipes as recipes_lib

    args = recipe.get("variant_args") or {}
    if args.get("n_critic") is not None:
        return int(args["n_critic"])
    cls = recipes_lib.variant_class(recipe["variant"])
    if "setting" in args or hasattr(cls, "default_setting"):  # SNGAN: n_dis of its setting
        from keras_gans.models.sngan import SNGAN_SETTINGS

        return SNGAN_SETTINGS[args.get("setting", cls.default_setting)]["n_dis"]
    return int(cls.default_n_critic)


def optimizer_updates(full_recipe):
    """`{"g_optimizer": updates, "d_optimizer": updates}` of a whole run.

    A train step takes `n_critic` critic batches (`fit` counts
    `ceil(num_examples / (batch_size * n_critic))` steps an epoch), makes
    `n_critic` discriminator updates, one generator update, and one more
    discriminator update every `r1_interval` steps for a lazy R1 penalty
    (at steps 0, `r1_interval`, ...).
    """
    from keras_gans import recipes as recipes_lib

    n_critic = n_critic_of(full_recipe)
    size = full_recipe["num_examples"]
    batch = full_recipe["batch_size"]
    if full_recipe["dataset"] in MIXTURES:  # arrays: a last, shorter group still trains
        size = size or recipes_lib.MIXTURE_NUM_EXAMPLES
        group = batch * n_critic
        usable = size - size % group if size % group < n_critic else size
        per_epoch = usable // group + (1 if usable % group else 0)
    else:  # image pipelines drop the remainders
        size = size or IMAGE_TRAIN_SIZES[full_recipe["dataset"]]
        per_epoch = size // batch // n_critic
    steps = full_recipe["epochs"] * per_epoch
    args = full_recipe.get("variant_args") or {}
    lazy = 0
    if args.get("r1_gamma") and int(args.get("r1_interval", 1)) > 1:
        lazy = -(-steps // int(args["r1_interval"]))
    return {"g_optimizer": steps, "d_optimizer": steps * n_critic + lazy}


def _scheduled(optimizer, updates, schedule):
    """The optimizer spec with its constant learning rate replaced by `schedule`
    over `updates` updates."""
    optimizer = copy.deepcopy(optimizer)
    config = optimizer.setdefault("config", {})
    rate = config.get("learning_rate", 1e-3)
    if not isinstance(rate, (int, float)):
        raise ValueError(
            "A benchmark `schedule` replaces constant learning rates; this optimizer has one "
            f"already. Received: learning_rate={rate!r}"
        )
    name = schedule.get("class_name")
    options = dict(schedule.get("config") or {})
    if name == "CosineDecay":
        settings = {
            "initial_learning_rate": rate,
            "decay_steps": int(updates),
            "alpha": float(options.get("alpha", 0.0)),
        }
    elif name == "PiecewiseConstantDecay":
        fractions = [float(f) for f in options["boundaries"]]
        scales = [float(s) for s in options["scales"]]
        if len(scales) != len(fractions) + 1:
            raise ValueError(
                "A PiecewiseConstantDecay schedule needs one scale more than boundaries. "
                f"Received: boundaries={fractions}, scales={scales}"
            )
        settings = {"boundaries": [int(f * updates) for f in fractions], "values": [rate * s for s in scales]}
    elif name == "PolynomialDecay":
        settings = {
            "initial_learning_rate": rate,
            "decay_steps": int(updates),
            "end_learning_rate": rate * float(options.get("end_fraction", 0.0)),
            "power": float(options.get("power", 1.0)),
        }
    else:
        raise ValueError(f"Unknown benchmark schedule. Known: {', '.join(SCHEDULES)}. Received: {schedule!r}")
    config["learning_rate"] = {
        "module": "keras.optimizers.schedules",
        "class_name": name,
        "config": settings,
    }
    return optimizer


def apply_schedule(full_recipe, schedule):
    """Both optimizers of a checked recipe on `schedule`, which counts each
    optimizer's own updates over the whole run.

    `schedule`: `{"class_name": "CosineDecay", "config": {"alpha": a}}` (from
    the optimizer's rate down to `a` times it), `{"class_name":
    "PiecewiseConstantDecay", "config": {"boundaries": [fractions of the run],
    "scales": [factors of the rate]}}` or `{"class_name": "PolynomialDecay",
    "config": {"end_fraction": f, "power": p}}`.
    """
    full = copy.deepcopy(full_recipe)
    updates = optimizer_updates(full)
    for key in ("g_optimizer", "d_optimizer"):
        if full.get(key) is None:
            raise ValueError(f"A benchmark `schedule` needs the recipe's {key!r}. Received: {key}=None")
        full[key] = _scheduled(full[key], updates[key], schedule)
    return full


def cell_recipe(recipe, dataset, seed, epochs=None, num_examples=None):
    """The full, checked `keras_gans.recipes` recipe of one run (its `schedule`
    resolved for the run's length: see `apply_schedule`)."""
    from keras_gans import recipes as recipes_lib

    schedule = recipe.get("schedule")
    recipe = {k: copy.deepcopy(v) for k, v in recipe.items() if k not in BENCHMARK_KEYS}
    recipe.update(dataset=dataset, seed=int(seed))
    if epochs is not None:
        recipe["epochs"] = int(epochs)
    if num_examples is not None:
        recipe["num_examples"] = int(num_examples)
    full = recipes_lib.check_recipe(recipe, source=f"benchmark recipe for {dataset}")
    return apply_schedule(full, schedule) if schedule else full


def recipe_digest(full_recipe, evaluation=None):
    """A short hash of a run's recipe without its seed, and of how it is scored:
    the cell's configuration."""
    unseeded = {k: v for k, v in full_recipe.items() if k != "seed"}
    text = json.dumps({"recipe": unseeded, "evaluation": evaluation or {}}, sort_keys=True)
    return hashlib.sha1(text.encode()).hexdigest()[:10]


def run_key(dataset, name, seed, backend, full_recipe, evaluation=None):
    return f"{dataset}/{name}/{backend}/{recipe_digest(full_recipe, evaluation)}/seed{seed}"


def evaluation_settings(dataset, eval_seeds, samplers, sampler_options, fid_samples, fid_threshold):
    """What decides a run's scores besides its recipe (part of its key)."""
    settings = {
        "eval_seeds": list(eval_seeds),
        "samplers": list(samplers),
        "sampler_options": {name: sampler_options.get(name, {}) for name in samplers},
    }
    if dataset in IMAGE_DATASETS:
        settings.update(fid_samples=fid_samples, fid_threshold=fid_threshold)
    return settings


def select_cells(recipes, datasets, variants=None, names=None):
    """`(dataset, name, recipe)` for the recipes that apply to each dataset, filtered
    by variant (`keras_gans.recipes.variant_class` names) and recipe name."""
    from keras_gans import recipes as recipes_lib

    if names:
        unknown = [n for n in names if n not in recipes]
        if unknown:
            raise ValueError(f"Unknown recipes {unknown}. Known recipes: {', '.join(recipes)}.")
    wanted = None
    if variants:
        wanted = {recipes_lib.variant_class(v) for v in variants}
    cells = []
    for dataset in datasets:
        if dataset not in MIXTURES + IMAGE_DATASETS:
            raise ValueError(
                f"Unknown benchmark dataset. Known: {', '.join(MIXTURES + IMAGE_DATASETS)}. "
                f"Received: --datasets {dataset}"
            )
        for name, recipe in recipes.items():
            if names and name not in names:
                continue
            if dataset not in recipe.get("datasets", MIXTURES):
                continue
            if wanted is not None and recipes_lib.variant_class(recipe["variant"]) not in wanted:
                continue
            cells.append((dataset, name, recipe))
    return cells


# -------------------------------------------------------------- one run


def _worst(scores):
    """The worst of several score dicts: fewest modes, least high quality or
    precision or recall, largest reverse KL or FID."""
    worst = {}
    for key in scores[0]:
        values = [s[key] for s in scores]
        worst[key] = max(values) if key in ("reverse_kl", "fid") else min(values)
    return worst


def _is_success(scores, dataset, fid_threshold):
    from keras_gans import data

    if dataset in MIXTURES:
        num_modes = len(data.mixture_modes(dataset)[0])
        return scores["modes"] == num_modes and scores["high_quality"] >= SUCCESS_HIGH_QUALITY
    return math.isfinite(scores["fid"]) and scores["fid"] <= fid_threshold


def score_samples(samples, dataset, real_features=None):
    """PacGAN mode scores (2D mixtures), or domain-FID, precision and recall (images)."""
    from keras_gans import metrics

    if dataset in MIXTURES:
        return metrics.mixture_scores(samples, dataset)
    fake = metrics.extract_features(samples, "domain", keep_features=True)
    scores = metrics.compare_features(real_features, fake, metrics=("fid", "precision_recall"))
    return {key: scores[key] for key in ("fid", "precision", "recall")}


def held_out_samples(dataset, seed):
    """Real samples no run trains on: fresh mixture points, or test images."""
    from keras_gans import data

    if dataset in MIXTURES:
        return data.mixture(dataset, HELD_OUT_SAMPLES, seed=1_000_000 + seed)
    return data.load_numpy(dataset, "test", num_examples=HELD_OUT_SAMPLES)


def train_and_score(
    full_recipe,
    eval_seeds=(0,),
    fid_samples=FID_SAMPLES,
    fid_threshold=FID_THRESHOLD,
    real_features=None,
    samplers=(),
    sampler_options=None,
):
    """Trains one recipe and scores it, with plain sampling and with each sampler.

    Plain samples are `keras_gans.presets.generate_samples` (NumPy latents, as the
    model cards use); sampler `name` draws `keras_gans.sampling.sample(model, n,
    name, seed=eval_seed, **sampler_options[name])`, MH-GAN with held-out real
    samples. Scores are the worst over `eval_seeds`.

    Returns:
        `(scores, success, wall_time_s, by_sampler, model)`, `by_sampler` mapping
        each sampler to `{"scores", "success", "wall_time_s"}`.
    """
    import keras

    from keras_gans import presets
    from keras_gans import recipes as recipes_lib
    from keras_gans import sampling
    from keras_gans.metrics import MIXTURE_EVAL_SAMPLES

    dataset = full_recipe["dataset"]
    if dataset not in MIXTURES and real_features is None:
        real_features = real_image_features(dataset, fid_samples)
    keras.utils.set_random_seed(full_recipe["seed"])
    model = recipes_lib.build_compiled_model(full_recipe)
    fit_args, fit_kwargs, _ = recipes_lib.training_data(full_recipe, model)
    start = time.perf_counter()
    model.fit(*fit_args, epochs=full_recipe["epochs"], verbose=0, **fit_kwargs)
    wall_time = time.perf_counter() - start
    num_samples = MIXTURE_EVAL_SAMPLES if dataset in MIXTURES else fid_samples

    def scores_of(draw):
        return _worst([score_samples(draw(s), dataset, real_features) for s in eval_seeds])

    scores = scores_of(lambda s: presets.generate_samples(model, num_samples, seed=s))
    by_sampler = {}
    for name in samplers:
        options = dict((sampler_options or {}).get(name, {}))
        if name == "mh":
            options.setdefault("real_samples", held_out_samples(dataset, full_recipe["seed"]))
        start = time.perf_counter()
        sampler_scores = scores_of(lambda s: sampling.sample(model, num_samples, name, seed=s, **options))
        by_sampler[name] = {
            "scores": sampler_scores,
            "success": bool(_is_success(sampler_scores, dataset, fid_threshold)),
            "wall_time_s": (time.perf_counter() - start) / len(eval_seeds),
        }
    return scores, bool(_is_success(scores, dataset, fid_threshold)), wall_time, by_sampler, model


def real_image_features(dataset, num_samples):
    """Domain features of `num_samples` test images (kept for precision/recall)."""
    from keras_gans import data
    from keras_gans import metrics

    real = data.load_numpy(dataset, "test")
    return metrics.extract_features(real, "domain", num_samples=num_samples, keep_features=True)


def machine():
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
    }


# -------------------------------------------------------------- results


def read_results(path):
    """The run records of a results file (missing file: none). A truncated last line
    (an interrupted write) is ignored."""
    if not os.path.exists(path):
        return []
    records = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                continue
    return records


def append_result(path, record):
    directory = os.path.dirname(path)
    if directory:
        os.makedirs(directory, exist_ok=True)
    torn = False
    if os.path.exists(path) and os.path.getsize(path):
        with open(path, "rb") as f:
            f.seek(-1, os.SEEK_END)
            torn = f.read(1) != b"\n"  # an interrupted write: start a new line
    with open(path, "a") as f:
        f.write(("\n" if torn else "") + json.dumps(record, sort_keys=True) + "\n")
        f.flush()
        os.fsync(f.fileno())


def _mean_std(values):
    values = [float(v) for v in values]
    if not values:
        return float("nan"), float("nan")
    mean = sum(values) / len(values)
    variance = sum((v - mean) ** 2 for v in values) / len(values)
    return mean, math.sqrt(variance)


def summarize(records):
    """One row per cell `(dataset, recipe, backend, config)`: runs, successes, mean and
    (population) std of each score and of the wall time."""
    cells = {}
    for record in records:
        views = [("none", record)]
        for sampler, result in sorted((record.get("samplers") or {}).items()):
            views.append((sampler, dict(record, **result)))
        for sampler, view in views:
            cell = (view["dataset"], view["recipe"], sampler, view["backend"], view["config"])
            cells.setdefault(cell, []).append(view)
    rows = []
    for (dataset, recipe, sampler, backend, config), runs in sorted(
        cells.items(), key=lambda item: (item[0][:2], item[0][2] != "none") + item[0][2:]
    ):
        scored = [r for r in runs if r.get("error") is None]
        row = {
            "dataset": dataset,
            "recipe": recipe,
            "sampler": sampler,
            "backend": backend,
            "config": config,
            "epochs": runs[0]["full_recipe"]["epochs"],
            "seeds": sorted(r["seed"] for r in runs),
            "runs": len(runs),
            "successes": sum(bool(r["success"]) for r in runs),
            "errors": len(runs) - len(scored),
            "wall_time_s": _mean_std([r["wall_time_s"] for r in scored]),
            "scores": {},
        }
        for name in sorted({k for r in scored for k in r["scores"]}):
            row["scores"][name] = _mean_std([r["scores"][name] for r in scored if name in r["scores"]])
        rows.append(row)
    return rows


def _format(mean_std, digits):
    mean, std = mean_std
    if not math.isfinite(mean):
        return str(mean)
    return f"{mean:.{digits}f} ± {std:.{digits}f}"


def markdown_table(rows, commands=()):
    score_columns = [
        ("modes", "modes", 1),
        ("high_quality", "high quality", 3),
        ("reverse_kl", "reverse KL", 3),
        ("fid", "domain-FID", 2),
        ("precision", "precision", 3),
        ("recall", "recall", 3),
    ]
    used = [c for c in score_columns if any(c[0] in row["scores"] for row in rows)]
    lines = []
    if commands:
        lines += ["Produced by:", ""] + [f"    {command}" for command in commands] + [""]
    info = machine()
    lines += [
        f"Machine: {info['processor']}, {info['cpu_count']} CPUs, {info['platform']}; "
        f"written {datetime.date.today().isoformat()}.",
        "",
        "Success: all modes and >= 90 % high-quality samples (2D mixtures, 2,500 samples, "
        "PacGAN protocol); domain-FID <= the run's threshold (images). Scores: mean ± std "
        "over seeds; wall time: training (plain sampling), sampling (samplers).",
        "",
    ]
    header = (
        ["dataset", "recipe", "sampler", "backend", "epochs", "success"]
        + [c[1] for c in used]
        + ["wall time (s)"]
    )
    lines.append("| " + " | ".join(header) + " |")
    lines.append("|" + "---|" * len(header))
    for row in rows:
        success = f"{row['successes']}/{row['runs']}"
        if row["errors"]:
            success += f" ({row['errors']} errors)"
        cells = [row["dataset"], row["recipe"], row["sampler"], row["backend"], str(row["epochs"]), success]
        for key, _, digits in used:
            cells.append(_format(row["scores"][key], digits) if key in row["scores"] else "")
        cells.append(_format(row["wall_time_s"], 1))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------- main


def build_parser():
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.stability",
        description="Trains recipes over training seeds and reports how often they succeed.",
    )
    parser.add_argument(
        "--datasets",
        default="ring,grid",
        help="comma-separated: ring, grid, fashion_mnist (default ring,grid)",
    )
    parser.add_argument("--variants", default=None, help="only recipes of these variants (e.g. gan,wgan_gp)")
    parser.add_argument("--recipes", default=None, help="only these recipes (names; see --list)")
    parser.add_argument("--recipe-file", default=None, help="JSON object {name: recipe} of more recipes")
    parser.add_argument("--seeds", default="0-9", help="training seeds, e.g. 0-9 or 0,3,5 (default 0-9)")
    parser.add_argument("--eval-seeds", default="0", help="latent seeds of the scores; the worst counts")
    parser.add_argument(
        "--samplers",
        default=None,
        help="also score keras_gans.sampling samplers, e.g. drs,mh,ddls,truncation",
    )
    parser.add_argument(
        "--sampler-options",
        default=None,
        help='JSON (or a JSON file) of sampler options, e.g. {"mh": {"chain_length": 100}}',
    )
    parser.add_argument("--epochs", type=int, default=None, help="override every recipe's epochs")
    parser.add_argument("--num-examples", type=int, default=None, help="override every recipe's data size")
    parser.add_argument("--fid-samples", type=int, default=FID_SAMPLES)
    parser.add_argument("--fid-threshold", type=float, default=FID_THRESHOLD)
    parser.add_argument("--results", default=DEFAULT_RESULTS, help="JSON-lines file of runs (appended)")
    parser.add_argument("--markdown", default=DEFAULT_MARKDOWN, help="markdown table of all runs there")
    parser.add_argument(
        "--save-models",
        default=None,
        help="folder: save each trained model there as <dataset>_<recipe>_seed<seed>.keras",
    )
    parser.add_argument("--list", action="store_true", help="print the selected runs and exit")
    parser.add_argument(
        "--table-only",
        action="store_true",
        help="train nothing: write the table of the selected runs found in --results",
    )
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    command = "python -m benchmarks.stability " + " ".join(sys.argv[1:] if argv is None else argv)
    import keras

    recipes = dict(RECIPES)
    if args.recipe_file:
        recipes.update(load_recipe_file(args.recipe_file))
    cells = select_cells(
        recipes,
        _names(args.datasets),
        _names(args.variants) if args.variants else None,
        _names(args.recipes) if args.recipes else None,
    )
    seeds = parse_seeds(args.seeds)
    eval_seeds = parse_seeds(args.eval_seeds)
    samplers = _names(args.samplers) if args.samplers else []
    sampler_options = parse_sampler_options(args.sampler_options, samplers)
    backend = keras.backend.backend()
    done = {r["key"] for r in read_results(args.results)}
    plan = []
    for dataset, name, recipe in cells:
        for seed in seeds:
            full = cell_recipe(recipe, dataset, seed, args.epochs, args.num_examples)
            evaluation = evaluation_settings(
                dataset, eval_seeds, samplers, sampler_options, args.fid_samples, args.fid_threshold
            )
            key = run_key(dataset, name, seed, backend, full, evaluation)
            plan.append((key, dataset, name, seed, full, evaluation))
    if args.list:
        for key, *_ in plan:
            print(("done " if key in done else "todo ") + key)
        return 0
    real_features = {}
    for key, dataset, name, seed, full, evaluation in plan:
        if args.table_only:
            break
        if key in done:
            print(f"skip {key} (in {args.results})", flush=True)
            continue
        record = {
            "key": key,
            "dataset": dataset,
            "recipe": name,
            "seed": seed,
            "backend": backend,
            "config": recipe_digest(full, evaluation),
            "full_recipe": full,
            "evaluation": evaluation,
            "keras_version": keras.__version__,
            "machine": machine(),
            "started": datetime.datetime.now().isoformat(timespec="seconds"),
            "error": None,
            "command": command,
        }
        try:
            if dataset in IMAGE_DATASETS and dataset not in real_features:
                real_features[dataset] = real_image_features(dataset, args.fid_samples)
            scores, success, wall_time, by_sampler, model = train_and_score(
                full,
                eval_seeds,
                args.fid_samples,
                args.fid_threshold,
                real_features.get(dataset),
                samplers,
                sampler_options,
            )
            if args.save_models:
                os.makedirs(args.save_models, exist_ok=True)
                path = os.path.join(args.save_models, f"{dataset}_{name}_seed{seed}.keras")
                model.save(path)
                record["model_path"] = path
            record.update(scores=scores, success=success, wall_time_s=wall_time, samplers=by_sampler)
            if dataset in IMAGE_DATASETS:
                record["fid_threshold"] = args.fid_threshold
        except Exception as error:  # a crashed run is a failed run; the benchmark goes on
            record.update(
                scores={}, success=False, wall_time_s=float("nan"), error=f"{type(error).__name__}: {error}"
            )
        append_result(args.results, record)
        done.add(key)
        print(
            f"done {key}: {record['scores']} success={record['success']}"
            + "".join(f" {n}: {r['scores']}" for n, r in (record.get("samplers") or {}).items())
            + (f" error={record['error']}" if record["error"] else ""),
            flush=True,
        )
    records = read_results(args.results)
    if args.table_only:  # the selected runs only, in the order of the plan
        order = {key: i for i, (key, *_) in enumerate(plan)}
        records = sorted((r for r in records if r["key"] in order), key=lambda r: order[r["key"]])
    commands = list(dict.fromkeys(r["command"] for r in records if r.get("command")))
    table = markdown_table(summarize(records), commands)
    if args.markdown:
        directory = os.path.dirname(args.markdown)
        if directory:
            os.makedirs(directory, exist_ok=True)
        with open(args.markdown, "w") as f:
            f.write(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
