"""What `keras-gans train` records for a person to watch: TensorBoard event
files, sample pictures, metric evaluations and failure diagnoses
(`keras_gans.callbacks.training_callbacks`), and the stop at a NaN loss."""

import math

import keras
import numpy as np

# Package-internal: the public API of the CLI is keras_gans.cli (main, build_parser).
__all__ = []

# Real samples the failure monitor's diversity check compares with.
DIVERSITY_SAMPLES = 256


class NonFiniteLossStop(keras.callbacks.Callback):
    """Stops `fit` at the first batch whose logged loss is NaN or infinite.

    The `FailureMonitor` before it diagnoses the loss (and every other
    failure) without stopping; this callback stops only for a diverged loss.
    """

    def __init__(self, loss_keys=("d_loss", "g_loss")):
        super().__init__()
        self.loss_keys = tuple(loss_keys)
        self.stopped_at = None

    def on_train_begin(self, logs=None):
        self.stopped_at = None
        self._epoch = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        for key in self.loss_keys:
            value = (logs or {}).get(key)
            if value is not None and not math.isfinite(float(value)):
                self.stopped_at = (self._epoch + 1, batch, key, float(value))
                self._model.stop_training = True  # `_model`: no JAX state sync
                return


def real_samples(fit_args, count):
    """Up to `count` real samples of what `fit` trains on (an array, or the
    images of a `tf.data` pipeline), as a NumPy array; None if it is empty."""
    data = fit_args[0]
    if isinstance(data, np.ndarray):
        return data
    batches, found = [], 0
    for batch in data.as_numpy_iterator():
        images = batch[0] if isinstance(batch, tuple) else batch
        batches.append(images)
        found += len(images)
        if found >= count:
            break
    return np.concatenate(batches)[:count] if batches else None


def run_callbacks(args, output, model, fit_args, fine_tuning):
    """The callbacks of a `keras-gans train` run, before its checkpoint.

    Returns:
        `(callbacks, monitor, stop)`: the list (training_callbacks, the initial
        samples of a fine-tuning run, the NaN stop), the `FailureMonitor` and
        the `NonFiniteLossStop`.
    """
    from keras_gans import metrics
    from keras_gans.callbacks import FailureMonitor
    from keras_gans.callbacks import SampleGrid
    from keras_gans.callbacks import training_callbacks
    from keras_gans.cli.fine_tuning import InitialSamples

    needed = max(DIVERSITY_SAMPLES, args.metrics_num_samples if args.metrics_every else 0)
    real = real_samples(fit_args, needed)
    extractor = args.metrics_extractor or metrics.default_extractor(tuple(model.image_shape))
    callbacks = training_callbacks(
        output,
        real_data=real if args.metrics_every or real is not None else None,
        sample_every=args.sample_every,
        seed=0,
        metrics_every=args.metrics_every if real is not None else None,
        metrics_num_samples=args.metrics_num_samples,
        extractor=extractor,
        step_every=args.log_every_steps,
    )
    monitor = next(c for c in callbacks if isinstance(c, FailureMonitor))
    if fine_tuning:
        grid = next(c for c in callbacks if isinstance(c, SampleGrid))
        callbacks.insert(callbacks.index(grid) + 1, InitialSamples(grid))
    stop = NonFiniteLossStop()
    callbacks.insert(callbacks.index(monitor) + 1, stop)
    return callbacks, monitor, stop


def failure_summary(monitor):
    """One line about the failure monitor's diagnoses."""
    if not monitor.failures:
        return "Failure monitor: no failure diagnosed."
    shown = ", ".join(f"{f['kind']} (epoch {f['epoch']})" for f in monitor.failures[:5])
    more = f" and {len(monitor.failures) - 5} more" if len(monitor.failures) > 5 else ""
    return f"Failure monitor: {len(monitor.failures)} diagnoses: {shown}{more}; see report.html."
