"""`TensorBoardLogger`: a GAN's losses, learning rates and diagnoses as TensorBoard scalars."""

import keras
import numpy as np

# The tensor layouts of TensorBoard's scalar and text plugins, written with
# core TensorFlow (`tf.summary.write`) so that writing needs TensorFlow only,
# not the tensorboard package (`tf.summary.scalar` does need it).
_SCALARS_PLUGIN = "scalars"
_TEXT_PLUGIN = "text"


# Shown by TensorBoard next to each chart (see docs/watching.md).
_DESCRIPTIONS = {
    "step/": "Value of this training step (mean over its updates). x: global step.",
    "epoch/": "Epoch log value, as in History. x: epoch.",
    "learning_rate/": "Learning rate at the end of the epoch. x: epoch.",
    "failure_monitor/failures": "Number of FailureMonitor diagnoses at this epoch (0: healthy).",
    "failure_monitor/events": "FailureMonitor diagnoses: what went wrong and what to try.",
}


def _summary_metadata(plugin_name, tag):
    from tensorflow.core.framework import summary_pb2

    description = next((d for prefix, d in _DESCRIPTIONS.items() if tag.startswith(prefix)), "")
    return summary_pb2.SummaryMetadata(
        summary_description=description,
        plugin_data=summary_pb2.SummaryMetadata.PluginData(plugin_name=plugin_name),
    )


def _learning_rate(optimizer):
    """The optimizer's current learning rate as a float (schedules evaluated
    at the optimizer's own iteration count), or None."""
    if optimizer is None:
        return None
    try:
        value = optimizer.learning_rate
    except (AttributeError, TypeError, ValueError):
        return None
    return float(np.asarray(keras.ops.convert_to_numpy(value)))


def _mean_trackers(model):
    """`{name: metric}` of the model's `keras.metrics.Mean` trackers."""
    return {m.name: m for m in getattr(model, "metrics", []) if isinstance(m, keras.metrics.Mean)}


class TensorBoardLogger(keras.callbacks.Callback):
    """Writes a GAN's training curves as TensorBoard event files.

    Works under every Keras backend: it writes with TensorFlow's summary
    writer, and needs TensorFlow but not the tensorboard package (which is
    needed only to look at the files: `tensorboard --logdir LOG_DIR`).

    Tags (see docs/watching.md):

    - `step/<name>`: each loss and penalty the model tracks (`d_loss`,
      `g_loss`, `gradient_penalty`, ...) per training step, at the global
      step (counted over all `fit` calls, from `model.optimizer.iterations`).
      The value is the mean of the updates since the last write, read from
      the model's `keras.metrics.Mean` trackers (their total and count), so
      it is the step's own value, not the epoch's running mean the progress
      bar shows; with `n_critic > 1` it is the mean over the critic updates of
      the step. Batch-log entries that are not `Mean` trackers are written as
      logged.
    - `epoch/<name>`: every value of the epoch logs (what `History`
      records): the epoch means of the losses and penalties, and what
      callbacks placed before this one added (`fid`, `kid` of
      `MetricsEvaluator`, `diversity_ratio` of `FailureMonitor`), at step
      `epoch` (1-based).
    - `learning_rate/generator`, `learning_rate/discriminator`: the current
      learning rates of `model.g_optimizer` and `model.d_optimizer` at the
      end of each epoch (schedules evaluated at the optimizer's iterations).
    - With `failure_monitor`: `failure_monitor/failures`, the number of
      diagnoses at each epoch (0 when healthy), and `failure_monitor/events`,
      a text of each diagnosis (kind and explanation) at its epoch.

    Place it after the callbacks whose results it should log (Keras calls
    callbacks in list order with the same logs); placed before the failure
    monitor, it still writes each diagnosis text at its epoch (one epoch
    later, or at the end of training), but counts 0 failures. Sample pictures are written
    by `SampleGrid(tensorboard_dir=...)` to the same folder (tag `samples`);
    `keras_gans.callbacks.training_callbacks` builds the whole set.

    Args:
        log_dir: folder of the event files (created if missing).
        step_every: write `step/` scalars every `step_every` training steps
            (each value is then the mean over those steps). On JAX each write
            first syncs the training state back to the model
            (`model.jax_state_sync()`); raise `step_every` for big models.
        failure_monitor: optional `FailureMonitor` of the same `fit`, whose
            diagnoses are logged.

    Example:

    ```python
    monitor = keras_gans.callbacks.FailureMonitor(real_data=points)
    gan.fit(points, epochs=20, callbacks=[
        monitor,
        keras_gans.callbacks.TensorBoardLogger("runs/ring/tensorboard",
                                               failure_monitor=monitor)])
    # tensorboard --logdir runs/ring/tensorboard
    ```
    """

    def __init__(self, log_dir, step_every=1, failure_monitor=None):
        super().__init__()
        if isinstance(step_every, bool) or int(step_every) != step_every or step_every < 1:
            raise ValueError(f"step_every must be an integer >= 1. Received: step_every={step_every!r}")
        if failure_monitor is not None and not hasattr(failure_monitor, "failures"):
            raise ValueError(
                "failure_monitor must be a keras_gans.callbacks.FailureMonitor. "
                f"Received: failure_monitor={failure_monitor!r}"
            )
        self.log_dir = str(log_dir)
        self.step_every = int(step_every)
        self.failure_monitor = failure_monitor
        self._writer = None

    def get_config(self):
        return {"log_dir": self.log_dir, "step_every": self.step_every}

    # ------------------------------------------------------------- writing

    def _scalar(self, tag, value, step):
        import tensorflow as tf

        tf.summary.write(
            tag,
            tf.constant(float(value), tf.float32),
            step=int(step),
            metadata=_summary_metadata(_SCALARS_PLUGIN, tag),
        )

    def _text(self, tag, text, step):
        import tensorflow as tf

        tf.summary.write(
            tag,
            tf.constant(text, tf.string),
            step=int(step),
            metadata=_summary_metadata(_TEXT_PLUGIN, tag),
        )

    # --------------------------------------------------------------- state

    def on_train_begin(self, logs=None):
        try:
            import tensorflow as tf
        except ImportError as error:
            raise ImportError(
                "TensorBoardLogger writes event files with TensorFlow: "
                "`pip install tensorflow` (any Keras backend works)."
            ) from error
        if self._writer is None:
            self._writer = tf.summary.create_file_writer(self.log_dir)
        optimizer = getattr(self.model, "optimizer", None)
        iterations = getattr(optimizer, "iterations", None)
        self._global_step = 0 if iterations is None else int(keras.ops.convert_to_numpy(iterations))
        self._failures_written = 0

    def on_epoch_begin(self, epoch, logs=None):
        # Keras resets the trackers at the start of each epoch.
        self._epoch_start_step = self._global_step
        self._last_written_step = self._global_step
        self._previous_totals = {}

    def on_train_batch_end(self, batch, logs=None):
        self._global_step = self._epoch_start_step + batch + 1
        if self._global_step - self._last_written_step < self.step_every:
            return
        self._last_written_step = self._global_step
        logs = logs or {}
        trackers = _mean_trackers(self.model)
        if trackers and hasattr(self.model, "jax_state_sync"):
            self.model.jax_state_sync()  # JAX: metric variables live in fit's state
        with self._writer.as_default():
            for name, value in logs.items():
                if name not in trackers:
                    self._write_number(f"step/{name}", value, self._global_step)
                    continue
                total = float(keras.ops.convert_to_numpy(trackers[name].total))
                count = float(keras.ops.convert_to_numpy(trackers[name].count))
                previous_total, previous_count = self._previous_totals.get(name, (0.0, 0.0))
                self._previous_totals[name] = (total, count)
                if count > previous_count:  # updated since the last write
                    mean = (total - previous_total) / (count - previous_count)
                    self._scalar(f"step/{name}", mean, self._global_step)

    def _write_number(self, tag, value, step):
        try:
            number = float(np.asarray(keras.ops.convert_to_numpy(value)))
        except (TypeError, ValueError):
            return  # not a scalar number: nothing to plot
        self._scalar(tag, number, step)

    def on_epoch_end(self, epoch, logs=None):
        step = epoch + 1
        with self._writer.as_default():
            for name, value in (logs or {}).items():
                self._write_number(f"epoch/{name}", value, step)
            for role, attribute in (("generator", "g_optimizer"), ("discriminator", "d_optimizer")):
                rate = _learning_rate(getattr(self.model, attribute, None))
                if rate is not None:
                    self._scalar(f"learning_rate/{role}", rate, step)
            if self.failure_monitor is not None:
                self._write_failures(last_epoch=step)
        self._writer.flush()

    def _write_failures(self, last_epoch):
        count = sum(1 for f in self.failure_monitor.failures if f["epoch"] == last_epoch)
        self._scalar("failure_monitor/failures", count, last_epoch)
        self._write_failure_events()

    def _write_failure_events(self):
        failures = self.failure_monitor.failures
        new = failures[self._failures_written :]
        self._failures_written = len(failures)
        for epoch in sorted({f["epoch"] for f in new}):
            lines = [f"- **{f['kind']}**: {f['message']}" for f in new if f["epoch"] == epoch]
            self._text("failure_monitor/events", "\n".join(lines), epoch)

    def on_train_end(self, logs=None):
        if self._writer is not None and self.failure_monitor is not None:
            # Diagnoses made after this callback's last epoch end (a monitor
            # placed after this callback).
            with self._writer.as_default():
                self._write_failure_events()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
