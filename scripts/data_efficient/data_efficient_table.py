"""The docs table of the few-image runs (docs/data_efficient.md) from their results file.

One row per (training images, setting): domain-FID of each seed, mean and
standard deviation, training time, and whether the setting beat no
augmentation in every seed that both have finished.

    python scripts/data_efficient/data_efficient_table.py
"""

import argparse
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import augmentation_runs  # noqa: E402
import fashion_mnist_runs  # noqa: E402

TITLES = {
    "none": "no augmentation",
    "diff_augment": "DiffAugment (color, translation, cutout)",
    "ada": "ADA (target 0.6, 100 kimg)",
    "ada_lecam": "ADA + LeCam (0.3)",
}


def table(records):
    by_key = {}
    for r in records:
        # A run is named by its requested budget (`key`); `steps` is the exact count it ran.
        # Runs with other networks (a fifth key part) get their own rows.
        parts = r["key"].split("/")
        budget = int(parts[3])
        networks = parts[4] if len(parts) > 4 else ""
        by_key[((r["size"], budget, networks), r["setting"], r["seed"])] = r
    sizes = sorted({size for size, _, _ in by_key})  # (images, steps, networks) groups
    seeds = sorted({seed for _, _, seed in by_key})
    lines = [
        "| training images | steps | setting | "
        + " | ".join(f"FID seed {s}" for s in seeds)
        + " | mean ± std | training (s, mean) | beats none in every seed |",
        "|---" * (len(seeds) + 6) + "|",
    ]
    for size in sizes:
        for setting in augmentation_runs.SETTINGS:
            runs = {seed: by_key.get((size, setting, seed)) for seed in seeds}
            fids = [r["fid"] for r in runs.values() if r]
            if not fids:
                continue
            spread = (
                f"{statistics.mean(fids):.2f} ± {statistics.stdev(fids):.2f}"
                if len(fids) > 1
                else f"{fids[0]:.2f}"
            )
            cells = [f"{r['fid']:.2f}" if r else "-" for r in runs.values()]
            seconds = statistics.mean(r["train_seconds"] for r in runs.values() if r)
            if setting == "none":
                verdict = ""
            else:
                pairs = [
                    (runs[s]["fid"], by_key[(size, "none", s)]["fid"])
                    for s in seeds
                    if runs[s] and (size, "none", s) in by_key
                ]
                wins = sum(own < base for own, base in pairs)
                verdict = f"{'yes' if pairs and wins == len(pairs) else 'no'} ({wins}/{len(pairs)})"
            title = TITLES[setting] + (f" [{size[2]}]" if size[2] else "")
            lines.append(
                f"| {size[0]:,} | {max(r['steps'] for r in runs.values() if r):,} | {title} | "
                + " | ".join(cells)
                + f" | {spread} | {seconds:.0f} | {verdict} |"
            )
    return "\n".join(lines)


def trajectories(records):
    """FID at each evaluation of the runs that were evaluated more than once."""
    lines = []
    continued = {r.get("continued_from") for r in records}  # their points are in the longer run's
    for r in sorted(records, key=lambda r: (r["size"], r["steps"], r["seed"], r["setting"])):
        if len(r["fid_by_step"]) < 2 or r["key"] in continued:
            continue
        points = ", ".join(
            f"{int(step):,}: {fid:.2f}"
            for step, fid in sorted(r["fid_by_step"].items(), key=lambda x: int(x[0]))
        )
        networks = "/".join(r["key"].split("/")[4:])
        title = TITLES[r["setting"]] + (f" [{networks}]" if networks else "")
        lines.append(f"- {r['size']:,} images, seed {r['seed']}, {title}: {points}")
    return "\n".join(lines)


def semi_supervised_table(records):
    """Test accuracy of the SGAN discriminator and of the supervised baseline, per seed."""
    by_budget = {}
    for r in records:
        # Key `method/seed/budget`: one row per method and budget (an SGAN budget is its
        # epochs, with `xR` for R repeats of the labelled images).
        budget_key = r["key"].split("/")[2]
        by_budget.setdefault((r["method"], budget_key), {})[r["seed"]] = r
    seeds = sorted({r["seed"] for r in records})
    lines = [
        "| method | budget | "
        + " | ".join(f"accuracy seed {s}" for s in seeds)
        + " | mean ± std | training (s, mean) |",
        "|---" * (len(seeds) + 4) + "|",
    ]
    titles = {
        "supervised": "supervised, 1,000 labels alone",
        "sgan": "SGAN, 1,000 labels + 59,000 unlabelled",
    }
    order = {"supervised": 0, "sgan": 1}
    for method, budget_key in sorted(by_budget, key=lambda k: (order[k[0]], k[1])):
        runs = by_budget[(method, budget_key)]
        values = [r["accuracy"] for r in runs.values()]
        spread = (
            f"{statistics.mean(values):.4f} ± {statistics.stdev(values):.4f}"
            if len(values) > 1
            else f"{values[0]:.4f}"
        )
        some = next(iter(runs.values()))
        budget = (
            f"{some['epochs']} epochs ({some['steps']:,} steps, labelled ×{some['repeat_labelled']}"
            + (
                f", learning rates to 0 over the last {some['decay_epochs']}"
                if some.get("decay_epochs")
                else ""
            )
            + ")"
            if method == "sgan"
            else f"{some['steps']:,} steps"
        )
        cells = [f"{runs[s]['accuracy']:.4f}" if s in runs else "-" for s in seeds]
        seconds = statistics.mean(r["train_seconds"] for r in runs.values())
        lines.append(
            f"| {titles[method]} | {budget} | " + " | ".join(cells) + f" | {spread} | {seconds:.0f} |"
        )
    best = {
        seed: r
        for (method, _), runs in by_budget.items()
        if method == "supervised"
        for seed, r in runs.items()
    }
    if best:
        lines.append("")
        lines.append(
            "Supervised, best test accuracy over its evaluations "
            "(stopping chosen on the test set, optimistic): "
            + ", ".join(f"seed {s} {best[s]['best_accuracy_on_test']:.4f}" for s in sorted(best))
            + "."
        )
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--results",
        default=os.path.join(
            fashion_mnist_runs.REPO_ROOT, "scripts/data_efficient/results/augmentation.jsonl"
        ),
    )
    parser.add_argument(
        "--semi-supervised-results",
        default=os.path.join(
            fashion_mnist_runs.REPO_ROOT, "scripts/data_efficient/results/semi_supervised.jsonl"
        ),
    )
    args = parser.parse_args(argv)
    records = [
        r for r in fashion_mnist_runs.read_results(args.results) if r.get("experiment") == "augmentation"
    ]
    if not records:
        print(f"No finished runs in {args.results}.", file=sys.stderr)
        return 1
    print(table(records))
    if trajectories(records):
        print("\nFID during the longer runs (step: FID):\n")
        print(trajectories(records))
    semi = fashion_mnist_runs.read_results(args.semi_supervised_results)
    if semi:
        print("\nSemi-supervised (test accuracy on the 10,000 test images):\n")
        print(semi_supervised_table(semi))
    return 0


if __name__ == "__main__":
    sys.exit(main())
