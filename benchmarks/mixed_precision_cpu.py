"""What mixed precision costs on a CPU: step time per dtype policy, one process.

`python -m benchmarks.mixed_precision_cpu` trains the default DCGAN-28 (batch 64) and
WGAN-GP-28 (batch 16, n_critic 5) for a few steps under `float32`, `mixed_bfloat16` and
`mixed_float16` and prints the median step time of 3 epochs and its ratio to float32.
"""

import argparse
import json
import time

import keras
import numpy as np

from keras_gans import models

SETUPS = {"dcgan_28": (models.GAN, 64), "wgan_gp_28": (models.WGANGP, 16)}
POLICIES = ("float32", "mixed_bfloat16", "mixed_float16")


def step_time(variant, batch_size, policy, steps=4, repeats=3):
    keras.mixed_precision.set_global_policy(policy)
    gan = variant(image_shape=(28, 28, 1), latent_dim=64, seed=0)
    gan.compile()
    group = batch_size * gan.n_critic
    images = np.random.default_rng(0).uniform(-1, 1, (group * steps, 28, 28, 1)).astype("float32")
    gan.fit(images[:group], batch_size=batch_size, epochs=1, verbose=0)  # trace / compile
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        gan.fit(images, batch_size=batch_size, epochs=1, verbose=0)
        times.append((time.perf_counter() - start) / steps)
    keras.mixed_precision.set_global_policy("float32")
    return float(np.median(times))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", help="write the results as JSON")
    args = parser.parse_args(argv)
    results = {}
    for name, (variant, batch_size) in SETUPS.items():
        times = {policy: step_time(variant, batch_size, policy) for policy in POLICIES}
        results[name] = {
            p: {"ms_per_step": round(1000 * t, 1), "vs_float32": round(t / times["float32"], 2)}
            for p, t in times.items()
        }
        print(name, json.dumps(results[name]), flush=True)
    results["backend"] = keras.backend.backend()
    if args.output:
        with open(args.output, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
