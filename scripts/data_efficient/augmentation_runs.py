"""Few-image GAN training on Fashion-MNIST: no augmentation, DiffAugment, ADA, ADA + LeCam.

Every run trains the same small DCGAN (latent 64, 32 filters, batch-norm
discriminator, non-saturating loss, Adam 2e-4 / 0.5, batch 64) for about the
same number of steps on a random subset of the training images (the subset
depends on the seed only, so within a seed every setting sees the same
images), and measures domain-FID of 10,000 samples against the 10,000 test
images every `--eval-every` steps and at the end. One JSON line per finished
run goes to `--results`; finished runs are skipped, and a run cut short
resumes from its last checkpoint in `--work` (the engine's resume: saved
model, `initial_epoch`). With `--commit` each result is committed as it
comes.

    nice -n 10 python scripts/data_efficient/augmentation_runs.py --commit

The docs table (docs/data_efficient.md) is `python
scripts/data_efficient/data_efficient_table.py`.
"""

import argparse
import json
import math
import os
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fashion_mnist_runs  # noqa: E402

SETTINGS = {
    "none": {},
    "diff_augment": {"diff_augment": "color,translation,cutout"},
    "ada": {"ada_target": 0.6, "ada_kimg": 100},
    "ada_lecam": {"ada_target": 0.6, "ada_kimg": 100, "lecam_weight": 0.3},
}
BATCH_SIZE = 64
LATENT_DIM = 64
BETA_1 = 0.5
# The networks and learning rates (set from the command line, recorded in each result).
NETWORKS = {"g_filters": 32, "d_filters": 32, "g_learning_rate": 2e-4, "d_learning_rate": 2e-4}
DEFAULT_NETWORKS = dict(NETWORKS)


def build_gan(setting, seed):
    from keras_gans import models
    from keras_gans import networks

    generator = networks.dcgan_generator(LATENT_DIM, (28, 28, 1), filters=NETWORKS["g_filters"])
    discriminator = networks.dcgan_discriminator((28, 28, 1), filters=NETWORKS["d_filters"])
    return models.GAN(generator, discriminator, seed=seed, **SETTINGS[setting])


def compile_gan(gan):
    import keras

    gan.compile(
        g_optimizer=keras.optimizers.Adam(NETWORKS["g_learning_rate"], beta_1=BETA_1),
        d_optimizer=keras.optimizers.Adam(NETWORKS["d_learning_rate"], beta_1=BETA_1),
    )


def training_subset(size, seed):
    import numpy as np

    images, _ = fashion_mnist_runs.fashion_mnist("train")
    order = np.random.default_rng(10_000 + seed).permutation(len(images))
    return images[np.sort(order[:size])]


def run_key(setting, size, seed, steps):
    """`setting/size/seed/steps`, then `/name=value,...` for each network option that
    differs from `DEFAULT_NETWORKS` (so runs with other networks keep their own rows)."""
    changed = ",".join(f"{k}={v:g}" for k, v in NETWORKS.items() if v != DEFAULT_NETWORKS[k])
    return f"{setting}/{size}/{seed}/{steps}" + (f"/{changed}" if changed else "")


def shorter_kept_run(setting, size, seed, steps, keep_models, records):
    """The longest finished run of the same setting, size and seed with fewer steps whose
    final model is kept in `keep_models` (a run that a longer one can continue), or None."""
    if not keep_models:
        return None
    shorter = [
        r
        for r in records
        if (r["setting"], r["size"], r["seed"]) == (setting, size, seed)
        and int(r["key"].split("/")[3]) < steps
        and all(r.get(name) == value for name, value in NETWORKS.items())
        and os.path.exists(os.path.join(keep_models, r["key"].replace("/", "_") + ".keras"))
    ]
    return max(shorter, key=lambda r: r["steps"], default=None)


def train_one(setting, size, seed, steps, eval_every, work, fid, start_from=None, keep_models=None):
    """Trains (or resumes) one run; `start_from`, a finished shorter run's record, continues
    that run's kept model (same optimizer state and step count) up to `steps`."""
    import keras
    import numpy as np

    images = training_subset(size, seed)
    steps_per_epoch = math.ceil(size / BATCH_SIZE)
    epochs = max(1, round(steps / steps_per_epoch))
    eval_epochs = max(1, round(eval_every / steps_per_epoch))
    key = run_key(setting, size, seed, steps).replace("/", "_")
    checkpoint = os.path.join(work, key + ".keras")
    progress_path = os.path.join(work, key + ".json")
    progress = {"epoch": 0, "fid_by_step": {}, "seconds": 0.0, "history": {}}
    if os.path.exists(checkpoint) and os.path.exists(progress_path):
        gan = keras.models.load_model(checkpoint)
        with open(progress_path) as f:
            progress = json.load(f)
        print(f"{key}: resumed at epoch {progress['epoch']}", flush=True)
    elif start_from is not None:
        gan = keras.models.load_model(
            os.path.join(keep_models, start_from["key"].replace("/", "_") + ".keras")
        )
        progress.update(
            epoch=start_from["epochs"],
            fid_by_step=dict(start_from["fid_by_step"]),
            seconds=start_from["train_seconds"],
            continued_from=start_from["key"],
        )
        print(f"{key}: continues {start_from['key']} at epoch {progress['epoch']}", flush=True)
    else:
        gan = build_gan(setting, seed)
        compile_gan(gan)
    while progress["epoch"] < epochs:
        start = time.time()
        last = min(epochs, progress["epoch"] + eval_epochs)
        history = gan.fit(
            images, batch_size=BATCH_SIZE, epochs=last, initial_epoch=progress["epoch"], verbose=0
        )
        for name, values in history.history.items():
            progress["history"].setdefault(name, []).extend(float(v) for v in values)
        progress["seconds"] += time.time() - start
        progress["epoch"] = last
        step = int(keras.ops.convert_to_numpy(gan.optimizer.iterations))
        progress["fid_by_step"][str(step)] = fid(gan)
        gan.save(checkpoint)
        with open(progress_path, "w") as f:
            json.dump(progress, f)
        print(f"{key}: step {step} FID {progress['fid_by_step'][str(step)]:.2f}", flush=True)
    record = {
        "experiment": "augmentation",
        "key": run_key(setting, size, seed, steps),
        "setting": setting,
        "options": SETTINGS[setting],
        "size": size,
        "seed": seed,
        "steps": int(keras.ops.convert_to_numpy(gan.optimizer.iterations)),
        "epochs": epochs,
        "batch_size": BATCH_SIZE,
        "latent_dim": LATENT_DIM,
        **NETWORKS,
        "fid": progress["fid_by_step"][max(progress["fid_by_step"], key=int)],
        "fid_by_step": progress["fid_by_step"],
        "train_seconds": round(progress["seconds"], 1),
        "final_logs": {k: v[-1] for k, v in progress["history"].items()},
        **fashion_mnist_runs.run_facts(),
    }
    if "continued_from" in progress:
        # Its first steps are that run's (their logs are in its record, not in `history`).
        record["continued_from"] = progress["continued_from"]
    if "ada_p" in progress["history"]:
        # The epochs' mean p at each evaluation point, and p at the end.
        values = progress["history"]["ada_p"]
        points = range(eval_epochs, len(values) + 1, eval_epochs)
        record["ada_p_by_evaluation"] = [round(values[i - 1], 4) for i in points]
        record["ada_p_final"] = float(
            np.asarray(keras.ops.convert_to_numpy(gan.get_layer("ada").probability))
        )
    return gan, record


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--settings", nargs="+", default=list(SETTINGS), choices=list(SETTINGS))
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 5000])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--eval-every", type=int, default=1000)
    default_results = os.path.join(
        fashion_mnist_runs.REPO_ROOT, "scripts/data_efficient/results/augmentation.jsonl"
    )
    parser.add_argument("--results", default=default_results)
    parser.add_argument("--work", default="/tmp/keras_gans_data_efficient")
    parser.add_argument(
        "--keep-models",
        default=None,
        help="folder to keep each run's final model in; a longer run of the same setting, "
        "size, seed and networks continues the longest kept shorter one",
    )
    parser.add_argument("--commit", action="store_true", help="git-commit the results file after each run")
    for key, value in NETWORKS.items():
        parser.add_argument("--" + key.replace("_", "-"), type=type(value), default=value)
    args = parser.parse_args(argv)
    NETWORKS.update({key: getattr(args, key) for key in NETWORKS})
    os.makedirs(args.work, exist_ok=True)
    records = fashion_mnist_runs.read_results(args.results)
    done = {r["key"] for r in records}
    fid = None
    command = "python scripts/data_efficient/augmentation_runs.py " + " ".join(argv or sys.argv[1:])
    # Seed-major order: every finished seed gives a complete comparison.
    for seed in args.seeds:
        for size in args.sizes:
            for setting in args.settings:
                key = run_key(setting, size, seed, args.steps)
                if key in done:
                    continue
                fid = fid or fashion_mnist_runs.DomainFID()
                start_from = shorter_kept_run(setting, size, seed, args.steps, args.keep_models, records)
                gan, record = train_one(
                    setting,
                    size,
                    seed,
                    args.steps,
                    args.eval_every,
                    args.work,
                    fid,
                    start_from,
                    args.keep_models,
                )
                record["command"] = command.strip()
                if args.keep_models:
                    os.makedirs(args.keep_models, exist_ok=True)
                    gan.save(os.path.join(args.keep_models, key.replace("/", "_") + ".keras"))
                fashion_mnist_runs.append_result(args.results, record)
                for suffix in (".keras", ".json"):
                    path = os.path.join(args.work, key.replace("/", "_") + suffix)
                    if os.path.exists(path):
                        os.remove(path)
                print(f"{key}: FID {record['fid']:.2f} in {record['train_seconds']:.0f} s", flush=True)
                if args.commit:
                    fashion_mnist_runs.commit([args.results], f"data_efficient: augmentation run {key}")
    if not os.listdir(args.work):
        shutil.rmtree(args.work, ignore_errors=True)


if __name__ == "__main__":
    main()
