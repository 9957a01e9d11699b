"""Runs (or resumes) the 20-trial ring search and compares its best trial with `gan_ring`.

    nice -n 10 python benchmarks/tuning/ring_search.py --output runs/tuning/gan_ring_search

The search is `benchmarks/tuning/gan_ring_search.json` (`keras_gans.tuning.run_tuning`,
resumable: run the same command again after an interruption). The comparison uses the
same protocol on both sides: PacGAN mode scores of 2,500 samples for each of the NumPy
latent seeds 0, 1 and 2, averaged; the `gan_ring` numbers come from its model card
(`keras-gans evaluate zoo/gan_ring --dataset ring --num-samples 2500 --seed S`).
Prints a Markdown table and writes it, with the timings, to `<output>/comparison.json`.
"""

import argparse
import json
import os
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SEARCH = os.path.join(HERE, "gan_ring_search.json")
SCORES = ("modes", "high_quality", "reverse_kl")


def card_scores(preset="gan_ring", num_samples=2500, seeds=(0, 1, 2)):
    from keras_gans import presets

    card = presets.load_metadata(preset)
    runs = [
        e["results"]
        for e in card["evaluations"]
        if e["protocol"]["num_samples"] == num_samples and e["protocol"]["seed"] in seeds
    ]
    if len(runs) != len(seeds):
        raise ValueError(
            f"The {preset} card lacks the evaluations of seeds {seeds} at {num_samples} samples."
        )
    return {name: float(np.mean([r[name] for r in runs])) for name in SCORES}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default="runs/tuning/gan_ring_search")
    parser.add_argument("--max-trials", type=int, default=None)
    args = parser.parse_args(argv)
    from keras_gans import tuning

    start = time.time()
    result = tuning.run_tuning(SEARCH, args.output, max_trials=args.max_trials, verbose=1)
    seconds = time.time() - start
    reference = card_scores()
    best = result["best_metrics"]
    better = {
        "modes": bool(best["modes"] >= reference["modes"]),
        "high_quality": bool(best["high_quality"] >= reference["high_quality"]),
        "reverse_kl": bool(best["reverse_kl"] <= reference["reverse_kl"]),
    }
    lines = [
        "| recipe | epochs | modes | high quality | reverse KL |",
        "| --- | --- | --- | --- | --- |",
        f"| gan_ring (hand-written) | 80 | {reference['modes']:.2f} | {reference['high_quality']:.4f} "
        f"| {reference['reverse_kl']:.4f} |",
        f"| best of the search (trial {result['best_trial']}) | {result['best_recipe']['epochs']} "
        f"| {best['modes']:.2f} | {best['high_quality']:.4f} | {best['reverse_kl']:.4f} |",
    ]
    print("\n".join(lines))
    print("best hyperparameters:", json.dumps(result["best_hyperparameters"]))
    print("at least as good on every score:", all(better.values()), better)
    print(f"search time (this call): {seconds:.0f} s for {len(result['trials'])} trials")
    comparison = {
        "reference": reference,
        "best": best,
        "best_trial": result["best_trial"],
        "best_hyperparameters": result["best_hyperparameters"],
        "at_least_as_good": better,
        "seconds_this_call": seconds,
        "table": lines,
    }
    with open(os.path.join(args.output, "comparison.json"), "w") as f:
        json.dump(comparison, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
