"""`training_callbacks`: the callbacks that let a person watch a run."""

import os

from keras_gans.callbacks.failure_monitor import FailureMonitor
from keras_gans.callbacks.metrics_evaluator import MetricsEvaluator
from keras_gans.callbacks.sample_grid import SampleGrid
from keras_gans.callbacks.tensorboard_logger import TensorBoardLogger

SAMPLES_FOLDER = "samples"
TENSORBOARD_FOLDER = "tensorboard"


def training_callbacks(
    run_dir,
    real_data=None,
    sample_every=1,
    num_samples=64,
    seed=0,
    metrics_every=None,
    metrics_num_samples=1000,
    extractor="domain",
    metrics=("fid", "kid"),
    failure_monitor=True,
    step_every=1,
):
    """The callback set that records a run in `run_dir` for TensorBoard and
    for `keras_gans.report.write_report`.

    Returns, in this order (the order matters: later callbacks see what
    earlier ones added to the logs):

    1. `SampleGrid`: a grid (a scatter plot for 2D data) of `num_samples`
       samples from fixed noise every `sample_every` epochs, as
       `run_dir/samples/epoch_NNN.png` and as the TensorBoard image `samples`.
    2. `MetricsEvaluator` (only with `metrics_every` and `real_data`): the
       `metrics` (FID, KID) of `metrics_num_samples` samples every
       `metrics_every` epochs.
    3. `FailureMonitor` (unless `failure_monitor=False`): diagnoses of
       failed training; with `real_data` it also checks sample diversity.
    4. `TensorBoardLogger`: the losses per step and per epoch, the learning
       rates, the metrics and the failure monitor's diagnoses, in
       `run_dir/tensorboard`.

    Args:
        run_dir: the run folder.
        real_data: optional real samples (array, `tf.data.Dataset` or
            batches) for the metrics and the diversity check.
        sample_every: epochs between sample pictures.
        num_samples: samples per picture.
        seed: seed of the fixed noise of the pictures, the metrics and the
            diversity check.
        metrics_every: epochs between metric evaluations; `None` evaluates
            none.
        metrics_num_samples: samples per metric evaluation.
        extractor: feature extractor of the metrics (`"domain"` for 28x28
            grey images, `"raw"` for 2D points, `"inception"`).
        metrics: metric names (see `keras_gans.metrics.METRIC_NAMES`).
        failure_monitor: `True` for a default `FailureMonitor` (watching
            `fid` when metrics are evaluated), `False` for none, or a
            `FailureMonitor` to use.
        step_every: steps between `step/` scalars.

    Returns:
        A list of callbacks for `fit`.

    Example:

    ```python
    points = keras_gans.data.mixture("ring", 20_000)
    gan.fit(points, epochs=80, batch_size=256, callbacks=
            keras_gans.callbacks.training_callbacks(
                "runs/ring", real_data=points, metrics_every=5, extractor="raw"))
    keras_gans.report.write_report("runs/ring")  # runs/ring/report.html
    ```
    """
    if metrics_every is not None and real_data is None:
        raise ValueError(
            "metrics_every needs real_data to compare with. Received: "
            f"metrics_every={metrics_every!r}, real_data=None"
        )
    if not isinstance(failure_monitor, (bool, FailureMonitor)):
        raise ValueError(
            "failure_monitor must be True, False or a FailureMonitor. Received: "
            f"failure_monitor={failure_monitor!r}"
        )
    run_dir = os.fspath(run_dir)
    log_dir = os.path.join(run_dir, TENSORBOARD_FOLDER)
    callbacks = [
        SampleGrid(
            os.path.join(run_dir, SAMPLES_FOLDER),
            num_samples=num_samples,
            every=sample_every,
            seed=seed,
            tensorboard_dir=log_dir,
        )
    ]
    if metrics_every is not None:
        callbacks.append(
            MetricsEvaluator(
                real_data,
                every=metrics_every,
                extractor=extractor,
                num_samples=metrics_num_samples,
                metrics=metrics,
                seed=seed,
                kid_subset_size=max(2, min(1000, metrics_num_samples // 2)),
            )
        )
    monitor = failure_monitor
    if monitor is True:
        monitor = FailureMonitor(
            real_data=real_data,
            seed=seed,
            quality_metric="fid" if metrics_every is not None and "fid" in metrics else None,
        )
    if monitor:
        callbacks.append(monitor)
    callbacks.append(TensorBoardLogger(log_dir, step_every=step_every, failure_monitor=monitor or None))
    return callbacks
