"""Metrics of a generator against real data in one call.

Features are extracted batch by batch; FID only needs their running mean and
covariance (`FeatureStatistics`), so raw feature vectors are kept only when a
requested metric needs them (KID, precision/recall, density/coverage).
"""

import keras
import numpy as np

from keras_gans.metrics.density_coverage import density_coverage
from keras_gans.metrics.feature_extractors import get_extractor
from keras_gans.metrics.frechet import FeatureStatistics
from keras_gans.metrics.frechet import fid_from_features
from keras_gans.metrics.inception_score import inception_score
from keras_gans.metrics.kernel_inception import kid_from_features
from keras_gans.metrics.precision_recall import precision_recall

METRIC_NAMES = ("fid", "kid", "inception_score", "precision_recall", "density_coverage")
NEEDS_FEATURES = ("kid", "precision_recall", "density_coverage")


def check_metrics(metrics):
    if isinstance(metrics, str):
        metrics = (metrics,)
    metrics = tuple(metrics)
    unknown = [m for m in metrics if m not in METRIC_NAMES]
    if unknown or not metrics:
        raise ValueError(f"Unknown metrics {unknown or metrics}. Known metrics: {', '.join(METRIC_NAMES)}.")
    return metrics


class FeatureSet:
    """Features of one set of samples: statistics, and optionally the raw
    feature vectors and class probabilities.

    Args:
        statistics: a `FeatureStatistics` of the features.
        features: `(n, d)` array, or `None` when not kept.
        probabilities: `(n, num_classes)` array, or `None`.
    """

    def __init__(self, statistics, features=None, probabilities=None):
        self.statistics = statistics
        self.features = features
        self.probabilities = probabilities

    @property
    def count(self):
        return self.statistics.count

    @classmethod
    def from_batches(
        cls,
        batches,
        extractor,
        num_samples=None,
        keep_features=True,
        keep_probabilities=False,
    ):
        """Extracts features from an iterable of image batches."""
        extractor = get_extractor(extractor)
        statistics = FeatureStatistics()
        features, probabilities = [], []
        for batch in batches:
            if num_samples is not None:
                batch = batch[: num_samples - statistics.count]
            if len(batch) == 0:
                break
            if keep_probabilities:
                batch_features, batch_probabilities = extractor.features_and_probabilities(batch)
                probabilities.append(np.asarray(batch_probabilities))
            else:
                batch_features = extractor(batch)
            batch_features = np.asarray(batch_features)
            statistics.update(batch_features)
            if keep_features:
                features.append(batch_features)
            if num_samples is not None and statistics.count >= num_samples:
                break
        if statistics.count == 0:
            raise ValueError("No samples to extract features from.")
        return cls(
            statistics,
            np.concatenate(features) if keep_features else None,
            np.concatenate(probabilities) if keep_probabilities else None,
        )


def _image_batches(data, batch_size, num_samples, seed):
    """Yields NumPy image batches from an array, a tf.data.Dataset or an
    iterable of batches (`(images, labels)` pairs are reduced to images)."""
    if hasattr(data, "as_numpy_iterator"):  # tf.data.Dataset
        iterator = data.as_numpy_iterator()
    elif hasattr(data, "shape"):  # NumPy array or backend tensor
        array = np.asarray(keras.ops.convert_to_numpy(data))
        if num_samples is not None and len(array) > num_samples:
            rng = np.random.default_rng(seed)
            array = array[np.sort(rng.choice(len(array), num_samples, replace=False))]
        for start in range(0, len(array), batch_size):
            yield array[start : start + batch_size]
        return
    else:
        iterator = data
    for batch in iterator:
        if isinstance(batch, (tuple, list)):
            batch = batch[0]
        elif isinstance(batch, dict):
            raise ValueError(
                f"Expected batches of images or (images, labels) pairs, got a dict with keys {sorted(batch)}."
            )
        yield np.asarray(batch)


def extract_features(
    data,
    extractor="domain",
    num_samples=None,
    batch_size=500,
    keep_features=True,
    keep_probabilities=False,
    seed=0,
):
    """Features of real images.

    Args:
        data: images as an array `(n, ...)` (a seeded random subset of
            `num_samples` is used when larger), a `tf.data.Dataset` or any
            iterable of batches (images or `(images, labels)`; the first
            `num_samples` are used).
        extractor: `"domain"`, `"inception"`, `"raw"` or an extractor object.
        num_samples: number of samples (`None`: all).
        batch_size: images per extractor call for array input.
        keep_features: keep the raw feature vectors (needed by KID,
            precision/recall and density/coverage).
        keep_probabilities: keep class probabilities (Inception Score).
        seed: seed of the random subset for array input.

    Returns:
        A `FeatureSet`.
    """
    batches = _image_batches(data, batch_size, num_samples, seed)
    return FeatureSet.from_batches(batches, extractor, num_samples, keep_features, keep_probabilities)


def generated_features(
    model,
    extractor="domain",
    num_samples=10_000,
    batch_size=500,
    seed=0,
    keep_features=True,
    keep_probabilities=False,
):
    """Features of `num_samples` samples from `model.generate`.

    Conditional models (`model.num_classes` set) get balanced labels.
    Batch `i` uses seed `seed + i`, so a fixed `seed` gives the same samples.

    Returns:
        A `FeatureSet`.
    """
    num_classes = getattr(model, "num_classes", None)

    def batches():
        for index, start in enumerate(range(0, num_samples, batch_size)):
            count = min(batch_size, num_samples - start)
            labels = None
            if num_classes:
                labels = (np.arange(start, start + count) % num_classes).astype("int32")
            batch_seed = None if seed is None else seed + index
            yield model.generate(count, seed=batch_seed, labels=labels)

    return FeatureSet.from_batches(batches(), extractor, num_samples, keep_features, keep_probabilities)


def compare_features(
    real,
    fake,
    metrics=("fid", "kid"),
    kid_num_subsets=100,
    kid_subset_size=1000,
    seed=0,
):
    """Computes metrics between two `FeatureSet`s.

    Returns:
        dict of floats with keys among `fid`, `kid`, `kid_std`,
        `inception_score`, `inception_score_std`, `precision`, `recall`,
        `density`, `coverage`.
    """
    metrics = check_metrics(metrics)
    results = {}
    for metric in metrics:
        if metric in NEEDS_FEATURES and (real.features is None or fake.features is None):
            raise ValueError(f"{metric} needs feature vectors; keep_features=True.")
    if "fid" in metrics:
        results["fid"] = fid_from_features(real.statistics, fake.statistics)
    if "kid" in metrics:
        results["kid"], results["kid_std"] = kid_from_features(
            real.features,
            fake.features,
            num_subsets=kid_num_subsets,
            subset_size=kid_subset_size,
            seed=seed,
        )
    if "inception_score" in metrics:
        if fake.probabilities is None:
            raise ValueError("inception_score needs class probabilities of the fakes.")
        results["inception_score"], results["inception_score_std"] = inception_score(
            fake.probabilities, splits=min(10, len(fake.probabilities))
        )
    if "precision_recall" in metrics:
        results.update(precision_recall(real.features, fake.features, k=3))
    if "density_coverage" in metrics:
        results.update(density_coverage(real.features, fake.features, k=5))
    return results


def evaluate_generator(
    model,
    real_data,
    extractor="domain",
    num_samples=10_000,
    metrics=("fid", "kid"),
    batch_size=500,
    seed=0,
    kid_num_subsets=100,
    kid_subset_size=1000,
):
    """FID, KID, IS, precision/recall, density/coverage of a generator.

    Args:
        model: a `keras_gans` model (anything with `generate(n, seed=...,
            labels=...)` returning NumPy samples in the real data's format).
        real_data: real images (array, `tf.data.Dataset` or iterable of
            batches, see `extract_features`), or a `FeatureSet` of them
            computed beforehand with the same extractor.
        extractor: `"domain"` (28x28 grayscale), `"inception"`, `"raw"`
            (flattened samples, for 2D data) or an extractor object.
        num_samples: real and generated samples to use.
        metrics: names among `"fid"`, `"kid"`, `"inception_score"`,
            `"precision_recall"`, `"density_coverage"`.
        batch_size: samples per generation and extraction call.
        seed: seed of the generated samples and of the KID subsets.
        kid_num_subsets, kid_subset_size: KID subsets (capped by the
            number of samples).

    Returns:
        dict of Python floats, e.g. `{"fid": ..., "kid": ..., "kid_std": ...}`.

    Example:

    >>> real = keras_gans.data.load_numpy("fashion_mnist", "test")
    >>> keras_gans.metrics.evaluate_generator(gan, real, num_samples=10000)
    {'fid': ..., 'kid': ..., 'kid_std': ...}
    """
    metrics = check_metrics(metrics)
    keep_features = any(m in NEEDS_FEATURES for m in metrics)
    extractor = get_extractor(extractor)
    if isinstance(real_data, FeatureSet):
        real = real_data
    else:
        real = extract_features(
            real_data,
            extractor,
            num_samples,
            batch_size,
            keep_features=keep_features,
            seed=seed,
        )
    fake = generated_features(
        model,
        extractor,
        num_samples,
        batch_size,
        seed,
        keep_features=keep_features,
        keep_probabilities="inception_score" in metrics,
    )
    return compare_features(real, fake, metrics, kid_num_subsets, kid_subset_size, seed)
