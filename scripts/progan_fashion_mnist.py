"""A CPU-sized ProGAN run on Fashion-MNIST padded to 32x32, with domain FID per phase.

Fashion-MNIST (60k training images, 28x28) is padded by 2 pixels of background
on each side to 32x32. ProGAN grows 4x4 -> 8x8 -> 16x16 -> 32x32. At the end
of each phase (after its stabilization) the script generates `--num-samples`
images (the generator's output of every level is already upsampled to 32x32,
nearest neighbour), crops them back to 28x28 and scores them against the real
test images with the Fashion-MNIST domain classifier (`extractor="domain"`).
For reference it also scores the real training images reduced to the phase's
resolution the same way (average-pooled, upsampled, cropped): the best FID a
generator at that resolution could reach.

Usage:

    KERAS_BACKEND=tensorflow python scripts/progan_fashion_mnist.py \
        --fade-in-images 12000 --stabilize-images 12000 --output runs/progan_fashion_mnist.json
"""

import argparse
import json
import os
import platform
import time

import numpy as np


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fade-in-images", type=int, default=12_000)
    parser.add_argument("--stabilize-images", type=int, default=12_000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--latent-dim", type=int, default=64)
    parser.add_argument("--filters", type=int, nargs="+", default=[64, 64, 32, 16])
    parser.add_argument("--num-samples", type=int, default=5000)
    parser.add_argument("--learning-rate", type=float, default=1e-3)
    parser.add_argument("--ema-decay", type=float, default=0.99)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", default=None, help="JSON file for the figures")
    return parser.parse_args()


def main():
    args = parse_args()
    import keras

    import keras_gans
    from keras_gans.metrics import compare_features
    from keras_gans.metrics import extract_features
    from keras_gans.models.progan import total_schedule_images
    from keras_gans.networks.progan import average_downsample
    from keras_gans.networks.progan import nearest_upsample

    keras.utils.set_random_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    pad = ((0, 0), (2, 2), (2, 2), (0, 0))
    train = np.pad(keras_gans.data.load_numpy("fashion_mnist", "train"), pad, constant_values=-1.0)
    test = keras_gans.data.load_numpy("fashion_mnist", "test")
    real_features = extract_features(test, "domain", num_samples=args.num_samples, keep_features=False)

    def crop(images):
        return images[:, 2:30, 2:30, :]

    gan = keras_gans.models.ProGAN(
        image_shape=(32, 32, 1),
        latent_dim=args.latent_dim,
        filters=args.filters,
        fade_in_images=args.fade_in_images,
        stabilize_images=args.stabilize_images,
        ema_decay=args.ema_decay,
        seed=args.seed,
    )
    optimizer = lambda: keras.optimizers.Adam(args.learning_rate, beta_1=0.0, beta_2=0.99, epsilon=1e-8)  # noqa: E731
    gan.compile(g_optimizer=optimizer(), d_optimizer=optimizer())

    results = {
        "command": "KERAS_BACKEND="
        + keras.backend.backend()
        + " python scripts/progan_fashion_mnist.py "
        + " ".join(
            f"--{k.replace('_', '-')} {' '.join(map(str, v)) if isinstance(v, list) else v}"
            for k, v in vars(args).items()
            if v is not None
        ),
        "backend": keras.backend.backend(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores, {platform.platform()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "phases": [],
    }
    start = time.time()
    train_time = 0.0
    seen = 0
    for level in range(gan.num_levels):
        phase_end = total_schedule_images(level + 1, args.fade_in_images, args.stabilize_images)
        count = (phase_end - seen) // args.batch_size * args.batch_size
        chunk = train[rng.integers(0, len(train), count)]
        fit_start = time.time()
        gan.fit(chunk, batch_size=args.batch_size, epochs=1, shuffle=False, verbose=0)
        train_time += time.time() - fit_start
        seen += count
        fake = extract_features(crop(gan.generate(args.num_samples, seed=1)), "domain", keep_features=False)
        fid = compare_features(real_features, fake, metrics=("fid",))["fid"]
        factor = 2 ** (gan.num_levels - 1 - level)
        reduced = nearest_upsample(average_downsample(train[: args.num_samples], factor), factor)
        floor = extract_features(crop(keras.ops.convert_to_numpy(reduced)), "domain", keep_features=False)
        floor_fid = compare_features(real_features, floor, metrics=("fid",))["fid"]
        phase = {
            "resolution": gan.resolution,
            "level": gan.level,
            "alpha": gan.alpha,
            "images_seen": int(keras.ops.convert_to_numpy(gan.images_seen)),
            "fid": round(float(fid), 2),
            "real_at_resolution_fid": round(float(floor_fid), 2),
            "train_seconds": round(train_time, 1),
        }
        results["phases"].append(phase)
        print(json.dumps(phase), flush=True)
    results["total_seconds"] = round(time.time() - start, 1)
    print(json.dumps(results, indent=2))
    if args.output:
        os.makedirs(os.path.dirname(args.output) or ".", exist_ok=True)
        with open(args.output, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
