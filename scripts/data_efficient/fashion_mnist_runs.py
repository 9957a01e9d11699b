"""What the data-efficiency experiments share: Fashion-MNIST, the results file, FID, commits.

Fashion-MNIST is read straight from the idx files (Debian's
`dataset-fashion-mnist`, /usr/share/datasets/fashion-mnist, or
`$FASHION_MNIST_DIR`) and scaled to [-1, 1], as `keras_gans.data` does.
Results are JSON lines, one per finished run, appended as they come; a run
whose key is in the file is not run again, so an interrupted experiment
resumes where it stopped.
"""

import datetime
import gzip
import json
import os
import platform
import subprocess
import sys

import numpy as np

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FASHION_MNIST_DIR = os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
MACHINE = "2-core x86-64 CPU machine, shared with other jobs"


def _idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims))
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def fashion_mnist(split="train"):
    """`(images, labels)`: float32 `(n, 28, 28, 1)` in [-1, 1] and int32 labels."""
    prefix = "train" if split == "train" else "t10k"
    images = _idx(os.path.join(FASHION_MNIST_DIR, f"{prefix}-images-idx3-ubyte.gz"))
    labels = _idx(os.path.join(FASHION_MNIST_DIR, f"{prefix}-labels-idx1-ubyte.gz"))
    return (images[..., None].astype("float32") / 127.5 - 1.0), labels.astype("int32")


def read_results(path):
    """The records of a JSON-lines file (none when it does not exist)."""
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def append_result(path, record):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "a") as f:
        f.write(json.dumps(record, sort_keys=True) + "\n")


def commit(paths, message):
    """Commits the given files (only them), retrying while another commit holds the index."""
    import time

    relative = [os.path.relpath(p, REPO_ROOT) for p in paths]
    for _ in range(30):
        lock = os.path.join(REPO_ROOT, ".git", "index.lock")
        if os.path.exists(lock):
            time.sleep(5)
            continue
        added = subprocess.run(["git", "add", *relative], cwd=REPO_ROOT, capture_output=True, text=True)
        if added.returncode:
            time.sleep(5)
            continue
        done = subprocess.run(
            ["git", "commit", "-q", "-m", message, "--", *relative],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
        )
        if done.returncode == 0 or "nothing to commit" in done.stdout + done.stderr:
            return True
        time.sleep(5)
    print(f"could not commit {relative}", file=sys.stderr)
    return False


class DomainFID:
    """Domain-FID against the 10,000 Fashion-MNIST test images (the zoo's features)."""

    def __init__(self):
        from keras_gans.metrics.evaluate import extract_features

        test_images, _ = fashion_mnist("test")
        self.reference = extract_features(test_images, "domain", keep_features=False)

    def __call__(self, model, num_samples=10_000, seed=0):
        """FID of `num_samples` samples (batch `i` of 500 from latent seed `seed + i`)."""
        from keras_gans.metrics.evaluate import generated_features
        from keras_gans.metrics.frechet import fid_from_features

        fake = generated_features(model, "domain", num_samples, seed=seed, keep_features=False)
        return float(fid_from_features(self.reference.statistics, fake.statistics))


def run_facts():
    """Backend, versions, machine and date of a run."""
    import keras

    return {
        "backend": keras.backend.backend(),
        "keras": keras.__version__,
        "python": platform.python_version(),
        "machine": MACHINE,
        "date": datetime.date.today().isoformat(),
    }
