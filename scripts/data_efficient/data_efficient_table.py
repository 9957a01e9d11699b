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
        by_key[(r["size"], r["setting"], r["seed"])] = r
    sizes = sorted({size for size, _, _ in by_key})
    seeds = sorted({seed for _, _, seed in by_key})
    lines = [
        "| training images | setting | "
        + " | ".join(f"FID seed {s}" for s in seeds)
        + " | mean ± std | training (s, mean) | beats none in every seed |",
        "|---" * (len(seeds) + 5) + "|",
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
            lines.append(
                f"| {size:,} | {TITLES[setting]} | "
                + " | ".join(cells)
                + f" | {spread} | {seconds:.0f} | {verdict} |"
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
    args = parser.parse_args(argv)
    records = [
        r for r in fashion_mnist_runs.read_results(args.results) if r.get("experiment") == "augmentation"
    ]
    if not records:
        print(f"No finished runs in {args.results}.", file=sys.stderr)
        return 1
    print(table(records))
    return 0


if __name__ == "__main__":
    sys.exit(main())
