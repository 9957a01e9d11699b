"""Model cards: the measurements recorded in a preset's `metadata.json`.

`evaluate_model` measures a model against a dataset and returns the result with
its protocol (what was measured, how, with which seed) in the form the cards
keep; `add_evaluation` records it in a card and recomputes the card's headline
(`card_summary`). Generated samples come from NumPy latent noise
(`keras_gans.presets.generate_samples`), so the numbers are the same on every
Keras backend up to float rounding.
"""

import numpy as np

from keras_gans import data
from keras_gans.metrics.evaluate import evaluate_generator
from keras_gans.metrics.mixture_scores import mixture_scores

# PacGAN's protocol for the 2D mixtures.
MIXTURE_EVAL_SAMPLES = 2500
# Generated samples per batch (batch i uses latent seed `seed + i`).
EVAL_BATCH_SIZE = 500

__all__ = [
    "EVAL_BATCH_SIZE",
    "MIXTURE_EVAL_SAMPLES",
    "add_evaluation",
    "card_summary",
    "default_extractor",
    "evaluate_model",
    "mixture_report",
]


class _NumpyLatentSampler:
    """`generate(n, seed=...)` on NumPy latent noise, for `evaluate_generator`."""

    def __init__(self, model):
        self.model = model
        self.num_classes = model.num_classes

    def generate(self, n, seed=None, labels=None):
        from keras_gans.presets import generate_samples

        return generate_samples(self.model, n, seed=0 if seed is None else seed, labels=labels)


def mixture_report(model, mixture, seed=0, num_samples=MIXTURE_EVAL_SAMPLES):
    """PacGAN mode scores of `num_samples` samples (NumPy latent seed `seed`), with their protocol.

    Example:

    >>> keras_gans.metrics.mixture_report(gan, "ring")["modes"]
    8
    """
    from keras_gans.presets import generate_samples

    scores = mixture_scores(generate_samples(model, num_samples, seed=seed), mixture)
    scores["protocol"] = (
        f"{num_samples} samples (NumPy latent seed {seed}); high quality = within 3 "
        "standard deviations of the nearest mode; a mode is captured when it has a "
        "high-quality sample (PacGAN, Lin et al. 2018)"
    )
    return scores


def default_extractor(sample_shape):
    """The feature extractor the cards use: raw coordinates for 2D points, the
    Fashion-MNIST classifier for 28x28x1 images, InceptionV3 otherwise."""
    if len(sample_shape) == 1:
        return "raw"
    if tuple(sample_shape) == (28, 28, 1):
        return "domain"
    return "inception"


def evaluate_model(
    model, dataset, split="test", num_samples=10_000, extractor=None, seed=0, data_dir=None, image_size=None
):
    """Metrics of a model against a dataset, with the protocol a model card records.

    FID and KID of `num_samples` generated samples (latent seed `seed + i` for
    the i-th batch of 500; conditional models cycle their labels over the
    classes) against as many real ones (a random subset of `split`, seed
    `seed`; a fresh sample for the 2D mixtures, which also get the PacGAN mode
    scores).

    Args:
        model: a `keras_gans` model.
        dataset: a dataset name (`keras_gans.data.DATASET_NAMES`).
        split: the split of an image dataset.
        num_samples: generated (and real) samples, >= 2.
        extractor: `"domain"`, `"inception"`, `"raw"`, or None for `default_extractor`.
        seed: latent seed of the samples and seed of the real subset.
        data_dir: folder with the raw dataset files.
        image_size: resize the real images (see `keras_gans.data.load`).

    Returns:
        `{"protocol": {...}, "results": {"fid": ..., "kid": ..., ...}}`.

    Example:

    ```python
    gan = keras_gans.models.from_preset("dcgan_fashion_mnist")
    card_entry = keras_gans.metrics.evaluate_model(gan, "fashion_mnist", num_samples=2000)
    ```
    """
    info = data.dataset_info(dataset)
    if isinstance(num_samples, bool) or not isinstance(num_samples, (int, np.integer)) or num_samples < 2:
        raise ValueError(f"`num_samples` must be an integer >= 2. Received: num_samples={num_samples!r}")
    shape = tuple(model.image_shape)
    is_mixture = dataset in data.MIXTURE_NAMES
    if is_mixture:
        if shape != info.sample_shape:
            raise ValueError(f"The model generates samples of shape {shape}, but {dataset} holds 2D points.")
        real = data.mixture(dataset, num_samples, seed=seed + 1_000_003)
    else:
        real = data.load_numpy(dataset, split, image_size=image_size, data_dir=data_dir)
        if tuple(real.shape[1:]) != shape:
            hint = " (pass --image-size)" if len(shape) == 3 and shape[-1] == real.shape[-1] else ""
            raise ValueError(
                f"The model generates samples of shape {shape}, but {dataset} images are "
                f"{tuple(real.shape[1:])}{hint}."
            )
    extractor = extractor or default_extractor(shape)
    kid_subset_size = max(2, min(1000, num_samples // 2))
    results = evaluate_generator(
        _NumpyLatentSampler(model),
        real,
        extractor=extractor,
        num_samples=num_samples,
        seed=seed,
        metrics=("fid", "kid"),
        kid_subset_size=kid_subset_size,
        batch_size=EVAL_BATCH_SIZE,
    )
    if is_mixture:
        reference = f"{num_samples} points of a fresh {dataset} sample"
    elif len(real) > num_samples:
        reference = f"{num_samples} {dataset} {split} images (random subset, seed {seed})"
    else:
        reference = f"the {len(real)} {dataset} {split} images"
    protocol = {
        "dataset": dataset,
        "split": None if is_mixture else split,
        "num_samples": num_samples,
        "extractor": extractor,
        "seed": seed,
        "description": (
            f"{extractor} features of {num_samples} generated samples (NumPy latent "
            f"seed {seed} + i for the i-th batch of {EVAL_BATCH_SIZE}"
            + ("; labels cycling over the classes" if model.num_classes else "")
            + f") vs {reference}; KID: 100 random subsets of {kid_subset_size}"
        ),
    }
    if is_mixture:
        scores = mixture_report(model, dataset, seed=seed, num_samples=num_samples)
        results.update({k: v for k, v in scores.items() if k != "protocol"})
        protocol["mixture_scores"] = scores["protocol"]
    results = {k: int(v) if isinstance(v, (int, np.integer)) else float(v) for k, v in results.items()}
    return {"protocol": protocol, "results": results}


def card_summary(evaluations):
    """Headline metrics of a model card.

    The largest evaluation (lowest seed), rounded, with the spread of FID and KID
    over the seeds evaluated under the same protocol.
    """
    head = evaluations[0]
    summary = {k: round(v, 4) for k, v in head["results"].items()}

    def same_protocol(evaluation):
        ignored = ("seed", "description", "mixture_scores")
        return {k: v for k, v in evaluation["protocol"].items() if k not in ignored} == {
            k: v for k, v in head["protocol"].items() if k not in ignored
        }

    repeats = [e for e in evaluations if same_protocol(e)]
    if len(repeats) > 1:
        for key in ("fid", "kid"):
            if key in head["results"]:
                values = [e["results"][key] for e in repeats]
                summary[f"{key}_std_over_seeds"] = round(float(np.std(values, ddof=1)), 4)
        summary["num_seeds"] = len(repeats)
    summary["protocol"] = head["protocol"]["description"]
    return summary


def add_evaluation(card, evaluation):
    """Records an evaluation in a model card (a dict, edited in place and returned).

    An earlier evaluation with the same protocol is replaced; evaluations are
    kept largest first, then by seed; the card's `metrics` are recomputed.
    """
    evaluations = [e for e in card.get("evaluations", []) if e.get("protocol") != evaluation["protocol"]]
    evaluations.append(evaluation)
    card["evaluations"] = sorted(
        evaluations, key=lambda e: (-e["protocol"]["num_samples"], e["protocol"]["seed"])
    )
    card["metrics"] = card_summary(card["evaluations"])
    return card
