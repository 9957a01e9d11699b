"""Trains the Fashion-MNIST classifier behind `keras_gans.metrics.DomainFeatures`.

Trains `build_domain_classifier()` on the 60k Fashion-MNIST training images
(offline: the Debian package `dataset-fashion-mnist` or `--data-dir`), reports
its test accuracy, and checks the features it gives for FID: domain-FID of
10k training images against the 10k test images (should be small) and against
the same test images with their pixels shuffled (should be far larger).
Writes `model.weights.h5` and `metadata.json` into `--output-dir`.

Usage:

    python scripts/train_domain_classifier.py \
        --output-dir zoo/fashion_mnist_classifier

Runs in a few minutes on a 2-core CPU (TensorFlow backend).
"""

import argparse
import datetime
import json
import os
import platform
import sys
import time

import keras
import numpy as np

# Run from a checkout without installing the package.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from keras_gans.data import load_numpy
from keras_gans.metrics import DomainFeatures
from keras_gans.metrics import build_domain_classifier
from keras_gans.metrics import fid_from_features
from keras_gans.metrics import kid_from_features


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", default="zoo/fashion_mnist_classifier")
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--learning-rate", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--num-train",
        type=int,
        default=None,
        help="train on the first N images only (quick checks)",
    )
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    keras.utils.set_random_seed(args.seed)
    train_x, train_y = load_numpy("fashion_mnist", "train", with_labels=True, data_dir=args.data_dir)
    test_x, test_y = load_numpy("fashion_mnist", "test", with_labels=True, data_dir=args.data_dir)
    if args.num_train:
        train_x, train_y = train_x[: args.num_train], train_y[: args.num_train]

    classifier = build_domain_classifier()
    steps = args.epochs * int(np.ceil(len(train_x) / args.batch_size))
    schedule = keras.optimizers.schedules.CosineDecay(args.learning_rate, steps)
    classifier.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=["accuracy"],
    )
    start = time.time()
    classifier.fit(
        train_x,
        train_y,
        batch_size=args.batch_size,
        epochs=args.epochs,
        verbose=2,
    )
    train_seconds = time.time() - start
    _, test_accuracy = classifier.evaluate(test_x, test_y, verbose=0)
    print(f"test accuracy: {test_accuracy:.4f} (trained in {train_seconds:.0f} s)")

    os.makedirs(args.output_dir, exist_ok=True)
    weights_path = os.path.join(args.output_dir, "model.weights.h5")
    # Save from an uncompiled copy: the file then holds no optimizer state.
    exported = build_domain_classifier()
    exported.set_weights(classifier.get_weights())
    exported.save_weights(weights_path)

    # Sanity check of the features through the public extractor.
    extractor = DomainFeatures(weights=weights_path)
    rng = np.random.default_rng(args.seed)
    train_subset = train_x[rng.choice(len(train_x), 10_000, replace=False)]
    permutation = rng.permutation(28 * 28)
    shuffled_test = test_x.reshape(len(test_x), -1)[:, permutation].reshape(test_x.shape)
    train_features = extractor(train_subset)
    test_features = extractor(test_x)
    shuffled_features = extractor(shuffled_test)
    checks = {
        "fid_train_vs_test": fid_from_features(train_features, test_features),
        "fid_train_vs_pixel_shuffled_test": fid_from_features(train_features, shuffled_features),
        "kid_train_vs_test": kid_from_features(train_features, test_features, seed=0)[0],
        "kid_train_vs_pixel_shuffled_test": kid_from_features(train_features, shuffled_features, seed=0)[0],
    }
    for name, value in checks.items():
        print(f"{name}: {value:.4f}")

    metadata = {
        "name": "fashion_mnist_classifier",
        "description": (
            "Small CNN (keras_gans.metrics.build_domain_classifier) trained on "
            "Fashion-MNIST; its 128-d 'features' layer gives DomainFeatures "
            "for FID/KID/precision-recall of 28x28 grayscale images, its "
            "softmax the Inception Score."
        ),
        "input": "28x28x1 images scaled to [-1, 1]",
        "num_parameters": int(classifier.count_params()),
        "test_accuracy": round(float(test_accuracy), 4),
        "feature_checks": {
            "protocol": (
                "domain features of 10,000 random training images vs the "
                "10,000 test images, and vs the test images with one fixed "
                "random permutation of their 784 pixels; KID: 100 subsets of "
                "1,000"
            ),
            **{name: round(float(value), 4) for name, value in checks.items()},
        },
        "training": {
            "epochs": args.epochs,
            "batch_size": args.batch_size,
            "optimizer": f"Adam, cosine decay from {args.learning_rate}",
            "num_train_images": int(len(train_x)),
            "seed": args.seed,
            "train_seconds": round(train_seconds, 1),
            "backend": keras.backend.backend(),
            "keras_version": keras.__version__,
            "machine": f"{platform.machine()}, {os.cpu_count()} CPU cores",
            "date": datetime.date.today().isoformat(),
        },
        "command": "KERAS_BACKEND=%s python scripts/train_domain_classifier.py %s"
        % (keras.backend.backend(), " ".join(sys.argv[1:] if argv is None else argv)),
    }
    with open(os.path.join(args.output_dir, "metadata.json"), "w") as f:
        json.dump(metadata, f, indent=2)
        f.write("\n")
    print(f"wrote {weights_path} and metadata.json")


if __name__ == "__main__":
    main()
