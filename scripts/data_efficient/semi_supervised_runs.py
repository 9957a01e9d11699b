"""Few labels on Fashion-MNIST: the SGAN discriminator against the same network trained supervised.

For each seed, 100 training images per class are labelled (1,000 labels,
chosen by the seed) and the other 59,000 training images are unlabelled.

- `sgan`: `SemiSupervisedGAN(num_classes=10)` with its default discriminator
  and optimizers (feature-matching generator; a DCGAN generator of
  `--generator-filters` filters, latent 100), trained on the 1,000 labelled
  images (repeated `--repeat-labelled` times so that each batch holds some)
  and the 59,000 unlabelled ones for `--sgan-epochs` epochs.
- `supervised`: the same discriminator network (the same architecture,
  initialisation and dropout, built by a `SemiSupervisedGAN` of the same
  seed) trained with softmax cross-entropy on the 1,000 labelled images
  alone, Adam(2e-4, beta_1=0.5) as the SGAN's discriminator, batch 64, for
  `--supervised-steps` steps.

Score: accuracy on the 10,000 test images after the last step. The test
accuracy is also recorded after each epoch (SGAN) and every 200 steps
(supervised); the best of those is an optimistic figure that picks the
stopping point on the test set, reported for the supervised baseline only to
show that the comparison does not hinge on when it stops.

    KERAS_BACKEND=tensorflow python scripts/data_efficient/semi_supervised_runs.py --commit

One JSON line per finished run goes to `--results`; finished runs are skipped.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import fashion_mnist_runs  # noqa: E402

LABELS_PER_CLASS = 100
BATCH_SIZE = 64
NUM_CLASSES = 10


def labelled_split(labels, seed):
    """Indices of `LABELS_PER_CLASS` labelled images per class and of the other images."""
    import numpy as np

    rng = np.random.default_rng(20_000 + seed)
    chosen = np.concatenate(
        [rng.choice(np.flatnonzero(labels == k), LABELS_PER_CLASS, replace=False) for k in range(NUM_CLASSES)]
    )
    chosen = np.sort(chosen)
    rest = np.setdiff1d(np.arange(len(labels)), chosen)
    return chosen, rest


GENERATOR_FILTERS = 32
REPEAT_LABELLED = 10


def run_key(method, seed, args):
    """`method/seed/budget`: SGAN budgets are epochs, with `xR` when the labelled images
    are repeated R times instead of the default 10 and `dK` when the learning rates decay
    to 0 over the last K epochs; supervised budgets are steps."""
    if method == "supervised":
        return f"supervised/{seed}/{args.supervised_steps}"
    repeat = "" if args.repeat_labelled == REPEAT_LABELLED else f"x{args.repeat_labelled}"
    decay = f"d{args.decay_epochs}" if args.decay_epochs else ""
    return f"sgan/{seed}/{args.sgan_epochs}{repeat}{decay}"


def build_sgan(seed, total_steps=None, decay_steps=0):
    """The SGAN with its default optimizers; with `decay_steps`, both learning rates
    stay constant and then fall linearly to 0 over the last `decay_steps` of
    `total_steps` updates (Salimans et al. 2016 decay theirs linearly at the end)."""

    from keras_gans import image_to_image
    from keras_gans import models
    from keras_gans import networks

    generator = networks.dcgan_generator(100, (28, 28, 1), filters=GENERATOR_FILTERS)
    gan = models.SemiSupervisedGAN(
        generator=generator, num_classes=NUM_CLASSES, image_shape=(28, 28, 1), seed=seed
    )
    if not decay_steps:
        gan.compile()
        return gan
    decayed = []
    for default in gan.default_optimizers():
        config = default.get_config()
        schedule = image_to_image.LinearDecay(config["learning_rate"], total_steps - decay_steps, decay_steps)
        decayed.append(type(default)(**{**config, "learning_rate": schedule}))
    gan.compile(g_optimizer=decayed[0], d_optimizer=decayed[1])
    return gan


def accuracy(predicted, labels):
    import numpy as np

    return float(np.mean(np.asarray(predicted) == np.asarray(labels)))


def run_sgan(seed, epochs, repeat_labelled, data, decay_epochs=0):
    import math

    import keras

    train_images, train_labels, test_images, test_labels = data
    chosen, rest = labelled_split(train_labels, seed)
    steps_per_epoch = math.ceil((repeat_labelled * len(chosen) + len(rest)) / BATCH_SIZE)
    gan = build_sgan(seed, epochs * steps_per_epoch, decay_epochs * steps_per_epoch)
    x, y = gan.semi_supervised_arrays(
        train_images[chosen], train_labels[chosen], train_images[rest], repeat_labelled
    )
    if math.ceil(len(x) / BATCH_SIZE) != steps_per_epoch:  # the schedule's step count
        raise RuntimeError(f"expected {steps_per_epoch} steps per epoch for {len(x)} images")
    by_epoch = []

    class TestAccuracy(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            by_epoch.append(accuracy(gan.classify(test_images), test_labels))
            print(f"sgan/{seed}: epoch {epoch + 1} test accuracy {by_epoch[-1]:.4f}", flush=True)

    start = time.time()
    history = gan.fit(x, y, batch_size=BATCH_SIZE, epochs=epochs, verbose=0, callbacks=[TestAccuracy()])
    seconds = time.time() - start
    return {
        "accuracy": by_epoch[-1],
        "accuracy_by_epoch": [round(a, 4) for a in by_epoch],
        "steps": int(keras.ops.convert_to_numpy(gan.optimizer.iterations)),
        "epochs": epochs,
        "repeat_labelled": repeat_labelled,
        "decay_epochs": decay_epochs,
        "train_seconds": round(seconds, 1),
        "final_logs": {k: float(v[-1]) for k, v in history.history.items()},
    }


def run_supervised(seed, steps, data):
    import keras
    import numpy as np

    train_images, train_labels, test_images, test_labels = data
    chosen, _ = labelled_split(train_labels, seed)
    # The SGAN's own discriminator network, fresh: same architecture, initialisation and dropout.
    classifier = build_sgan(seed).discriminator
    classifier.compile(
        optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    )
    images, labels = train_images[chosen], train_labels[chosen]
    rng = np.random.default_rng(30_000 + seed)
    by_step = {}
    start = time.time()
    done = 0
    while done < steps:
        order = rng.permutation(len(images))
        for begin in range(0, len(images), BATCH_SIZE):
            batch = order[begin : begin + BATCH_SIZE]
            classifier.train_on_batch(images[batch], labels[batch])
            done += 1
            if done % 200 == 0 or done == steps:
                logits = classifier.predict(test_images, batch_size=256, verbose=0)
                by_step[str(done)] = round(accuracy(np.argmax(logits, axis=-1), test_labels), 4)
                print(f"supervised/{seed}: step {done} test accuracy {by_step[str(done)]:.4f}", flush=True)
            if done == steps:
                break
    seconds = time.time() - start
    return {
        "accuracy": by_step[str(steps)],
        "accuracy_by_step": by_step,
        "best_accuracy_on_test": max(by_step.values()),
        "steps": steps,
        "train_seconds": round(seconds, 1),
    }


def main(argv=None):
    global GENERATOR_FILTERS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--methods", nargs="+", default=["supervised", "sgan"], choices=["supervised", "sgan"]
    )
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--sgan-epochs", type=int, default=3)
    parser.add_argument("--repeat-labelled", type=int, default=REPEAT_LABELLED)
    parser.add_argument(
        "--decay-epochs",
        type=int,
        default=0,
        help="SGAN: decay both learning rates linearly to 0 over the last K epochs (default: constant)",
    )
    parser.add_argument("--supervised-steps", type=int, default=3000)
    parser.add_argument("--generator-filters", type=int, default=GENERATOR_FILTERS)
    default_results = os.path.join(
        fashion_mnist_runs.REPO_ROOT, "scripts/data_efficient/results/semi_supervised.jsonl"
    )
    parser.add_argument("--results", default=default_results)
    parser.add_argument("--commit", action="store_true", help="git-commit the results file after each run")
    args = parser.parse_args(argv)
    GENERATOR_FILTERS = args.generator_filters
    done = {r["key"] for r in fashion_mnist_runs.read_results(args.results)}
    command = "python scripts/data_efficient/semi_supervised_runs.py " + " ".join(argv or sys.argv[1:])
    data = None
    for seed in args.seeds:
        for method in args.methods:
            key = run_key(method, seed, args)
            if key in done:
                continue
            if data is None:
                data = (*fashion_mnist_runs.fashion_mnist("train"), *fashion_mnist_runs.fashion_mnist("test"))
            if method == "sgan":
                record = run_sgan(seed, args.sgan_epochs, args.repeat_labelled, data, args.decay_epochs)
            else:
                record = run_supervised(seed, args.supervised_steps, data)
            record.update(
                experiment="semi_supervised",
                generator_filters=GENERATOR_FILTERS,
                key=key,
                method=method,
                seed=seed,
                labels_per_class=LABELS_PER_CLASS,
                batch_size=BATCH_SIZE,
                command=command.strip(),
                **fashion_mnist_runs.run_facts(),
            )
            fashion_mnist_runs.append_result(args.results, record)
            print(
                f"{key}: test accuracy {record['accuracy']:.4f} in {record['train_seconds']:.0f} s",
                flush=True,
            )
            if args.commit:
                fashion_mnist_runs.commit([args.results], f"data_efficient: semi-supervised run {key}")


if __name__ == "__main__":
    main()
