"""`MetricsEvaluator`: FID/KID (and friends) of the generator during training."""

import keras

from keras_gans.metrics.evaluate import NEEDS_FEATURES
from keras_gans.metrics.evaluate import check_metrics
from keras_gans.metrics.evaluate import compare_features
from keras_gans.metrics.evaluate import extract_features
from keras_gans.metrics.evaluate import generated_features
from keras_gans.metrics.feature_extractors import get_extractor


class MetricsEvaluator(keras.callbacks.Callback):
    """Adds sample-quality metrics to the epoch logs every few epochs.

    At the end of every `every`-th epoch, generates `num_samples` samples
    (fixed `seed`, so epochs are comparable), extracts their features and
    compares them with the real data's (extracted once, at the first
    evaluation). The results (`fid`, `kid`, `kid_std`, ...) are added to the
    epoch logs, so they appear in the progress bar, in `History` and in any
    later callback (e.g. `FailureMonitor(quality_metric="fid")`).

    Numbers with few samples are biased (FID grows as the sample count
    falls): compare runs only at equal `num_samples` and extractor.

    Args:
        real_data: real samples: an array, a `tf.data.Dataset` or an iterable
            of batches (images or `(images, labels)`).
        every: evaluate every `every` epochs.
        extractor: `"domain"`, `"inception"`, `"raw"` or an extractor object
            (see `keras_gans.metrics.get_extractor`).
        num_samples: real and generated samples per evaluation.
        metrics: names among `keras_gans.metrics.METRIC_NAMES`.
        seed: seed of the generated samples and KID subsets.
        batch_size: samples per generation / extraction call.
        kid_subset_size: KID subset size (capped by `num_samples`).
        kid_num_subsets: number of KID subsets.

    Example:

    ```python
    real = keras_gans.data.load_numpy("fashion_mnist", "test")
    gan.fit(dataset, epochs=20, callbacks=[
        keras_gans.callbacks.MetricsEvaluator(real, every=5, num_samples=2000)])
    ```
    """

    def __init__(
        self,
        real_data,
        every=1,
        extractor="domain",
        num_samples=1000,
        metrics=("fid", "kid"),
        seed=0,
        batch_size=500,
        kid_subset_size=1000,
        kid_num_subsets=100,
    ):
        super().__init__()
        if int(every) < 1 or int(num_samples) < 2:
            raise ValueError(f"every must be >= 1 and num_samples >= 2, got {every} and {num_samples}.")
        self.real_data = real_data
        self.every = int(every)
        self.extractor = extractor
        self.num_samples = int(num_samples)
        self.metrics = check_metrics(metrics)
        self.seed = seed
        self.batch_size = batch_size
        self.kid_subset_size = kid_subset_size
        self.kid_num_subsets = kid_num_subsets
        self.history = []
        self._extractor = None
        self._real = None

    def evaluate(self):
        """Computes the metrics for the current generator; returns a dict."""
        if self._extractor is None:
            self._extractor = get_extractor(self.extractor)
        keep_features = any(m in NEEDS_FEATURES for m in self.metrics)
        if self._real is None:
            self._real = extract_features(
                self.real_data,
                self._extractor,
                self.num_samples,
                self.batch_size,
                keep_features=keep_features,
                seed=self.seed,
            )
        fake = generated_features(
            self.model,
            self._extractor,
            self.num_samples,
            self.batch_size,
            self.seed,
            keep_features=keep_features,
            keep_probabilities="inception_score" in self.metrics,
        )
        return compare_features(
            self._real,
            fake,
            self.metrics,
            self.kid_num_subsets,
            self.kid_subset_size,
            self.seed,
        )

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every:
            return
        results = self.evaluate()
        self.history.append({"epoch": epoch + 1, **results})
        if logs is not None:
            logs.update(results)
