"""A CPU-sized StyleGAN run (lazy R1 and path length regularization) on Fashion-MNIST 32x32.

Fashion-MNIST is padded by 2 pixels of background on each side to 32x32. The run trains
in chunks of `--chunk-images` images; after each chunk it generates `--num-samples`
images with the EMA generator, crops them back to 28x28 and scores them against the
real test images with the Fashion-MNIST domain classifier (domain-FID). Results are
appended per chunk to the `--output` JSON-lines file, and the model is saved to
`--checkpoint` after each chunk, so an interrupted run resumes with `--resume`.

Usage:

    KERAS_BACKEND=tensorflow python scripts/stylegan_fashion_mnist.py \
        --chunks 6 --chunk-images 8000 --output runs/stylegan_fashion_mnist.jsonl
"""

import argparse
import json
import os
import time

import numpy as np


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chunks", type=int, default=6)
    parser.add_argument("--chunk-images", type=int, default=8000)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--latent-dim", type=int, default=64)
    parser.add_argument("--filters", type=int, nargs="+", default=[64, 64, 32, 16])
    parser.add_argument("--mapping-layers", type=int, default=2)
    parser.add_argument("--r1-gamma", type=float, default=1.0)
    parser.add_argument("--num-samples", type=int, default=2000)
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument("--ema-decay", type=float, default=0.99)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--output", default="runs/stylegan_fashion_mnist.jsonl")
    parser.add_argument("--checkpoint", default="runs/stylegan_fashion_mnist.keras")
    parser.add_argument("--resume", action="store_true")
    return parser.parse_args()


def main():
    args = parse_args()
    import keras

    import keras_gans
    from keras_gans.metrics import compare_features
    from keras_gans.metrics import extract_features

    pad = ((0, 0), (2, 2), (2, 2), (0, 0))
    train = np.pad(keras_gans.data.load_numpy("fashion_mnist", "train"), pad, constant_values=-1.0)
    test = keras_gans.data.load_numpy("fashion_mnist", "test")
    real_features = extract_features(test, "domain", num_samples=args.num_samples, keep_features=False)

    def domain_fid(gan):
        fake = gan.generate(args.num_samples, seed=1)[:, 2:30, 2:30, :]
        features = extract_features(fake, "domain", keep_features=False)
        return round(float(compare_features(real_features, features, metrics=("fid",))["fid"]), 2)

    done = 0
    if args.resume and os.path.exists(args.checkpoint):
        gan = keras.models.load_model(args.checkpoint)
        with open(args.output) as f:
            done = sum(1 for line in f if line.strip())
    else:
        keras.utils.set_random_seed(args.seed)
        gan = keras_gans.models.StyleGAN(
            image_shape=(32, 32, 1),
            latent_dim=args.latent_dim,
            filters=args.filters,
            mapping_layers=args.mapping_layers,
            r1_gamma=args.r1_gamma,
            ema_decay=args.ema_decay,
            seed=args.seed,
        )
        adam = lambda: keras.optimizers.Adam(args.learning_rate, beta_1=0.0, beta_2=0.99, epsilon=1e-8)  # noqa: E731
        gan.compile(g_optimizer=adam(), d_optimizer=adam())
        os.makedirs(os.path.dirname(args.output) or ".", exist_ok=True)
        with open(args.output, "w") as f:
            record = {
                "chunk": 0,
                "images_seen": 0,
                "fid": domain_fid(gan),
                "train_seconds": 0.0,
                "backend": keras.backend.backend(),
                "args": vars(args),
            }
            f.write(json.dumps(record) + "\n")
        print(json.dumps(record), flush=True)
        done = 1
    rng = np.random.default_rng(args.seed + done)
    for chunk in range(done, args.chunks + 1):
        images = train[rng.integers(0, len(train), args.chunk_images)]
        start = time.time()
        history = gan.fit(images, batch_size=args.batch_size, epochs=1, verbose=0)
        seconds = time.time() - start
        gan.save(args.checkpoint)
        record = {
            "chunk": chunk,
            "images_seen": chunk * args.chunk_images,
            "fid": domain_fid(gan),
            "train_seconds": round(seconds, 1),
            "logs": {k: round(float(v[-1]), 4) for k, v in history.history.items()},
        }
        with open(args.output, "a") as f:
            f.write(json.dumps(record) + "\n")
        print(json.dumps(record), flush=True)


if __name__ == "__main__":
    main()
