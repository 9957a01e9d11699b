"""`FailureMonitor`: spots the usual ways GAN training fails, says why, and can recover.

Recovery keeps and restores the training state with `FailureRecovery`.
"""

import math
import os
import warnings

import keras
import numpy as np

from keras_gans.callbacks.failure_diagnoses import diagnosis
from keras_gans.callbacks.failure_recovery import RECOVERABLE_FAILURES
from keras_gans.callbacks.failure_recovery import FailureRecovery
from keras_gans.callbacks.sample_diversity import first_samples
from keras_gans.callbacks.sample_diversity import mean_pairwise_distance


class TrainingFailureWarning(UserWarning):
    """Warning category of `FailureMonitor` diagnoses."""


class FailureMonitor(keras.callbacks.Callback):
    """Watches a GAN's training for failure and explains it in plain words.

    Checks:

    - `non_finite_loss`: a logged loss became NaN or infinite (checked after
      every batch, from the logs): training diverged.
    - `discriminator_wins`: the discriminator loss stayed in
      `[0, d_loss_floor)` for `patience` epochs: the discriminator separates
      real from fake perfectly and the generator gets no useful gradient.
      Skipped for Wasserstein critics, whose loss is not bounded below by 0.
    - `discriminator_unstable`: the epoch's mean discriminator loss exceeded
      `d_loss_ceiling`, far above chance level (about 1.4 for the standard
      GAN loss, 2 for hinge): the discriminator is confidently wrong, the
      sign of updates that overshoot (e.g. a learning rate of 1.0). Skipped
      for Wasserstein critics.
    - `generator_fools_weak_discriminator`: with a `quality_metric` in the
      logs (e.g. `"fid"` from `MetricsEvaluator`), the generator loss fell
      over the last `patience + 1` evaluations while the metric stayed poor
      (worse than `quality_threshold`, if given) and did not improve.
    - `mode_collapse`: with `real_data`, the mean pairwise distance of
      `num_samples` generated samples (fixed seed) fell below
      `diversity_fraction` times that of real samples. The ratio is logged as
      `diversity_ratio`. Non-finite samples are reported as
      `non_finite_samples`.

    Each diagnosis is issued as a `TrainingFailureWarning` when it first
    appears (again only after it cleared) and recorded in `self.failures`.
    With `checkpoint_path`, the model weights are saved at the end of every
    healthy epoch (no diagnosis, no warning sign building up, all weights
    finite), so the file always holds the last good state and is never
    overwritten by a failed one; `restore_on_failure=True` reloads it when a
    failure is found.

    Automatic recovery (`recover=True`) keeps the last good state in memory:
    all model weights (except random-seed states) and the optimizer state
    (both inner optimizers' moments and iteration counts, which
    `model.optimizer.variables` holds), taken at the start of training and
    after every healthy epoch. On a failure in `recover_from` it restores
    that state, multiplies the learning rates of the optimizers involved by
    `learning_rate_factor` (the discriminator's for `discriminator_wins` and
    `discriminator_unstable`, the generator's for `non_finite_samples`, both
    for `non_finite_loss`) and training goes on. A non-finite loss is acted
    on at the batch where it appears, the others at the end of the epoch.
    After `max_recoveries` recoveries, the next failure restores the last
    good state and stops training; `report()` then explains what happened.
    Each recovery is recorded in `self.recoveries`. This works on the
    TensorFlow, JAX and PyTorch backends alike. Rates are lowered only while
    failures are detected: on the 8-Gaussian ring, a discriminator learning
    rate of 0.1 gives a loss of ~6 (caught with `d_loss_ceiling=3`), but one
    of 0.01 trains with a loss of ~0.9 while the modes collapse, which no
    check flags; choose `learning_rate_factor` so that one recovery reaches
    a sound rate (e.g. 1e-3 from 1.0).

    Args:
        real_data: optional real samples (array, `tf.data.Dataset` or batches)
            for the diversity check.
        checkpoint_path: optional `.weights.h5` path for the last good weights.
        stop_training: stop `fit` on a failure.
        restore_on_failure: reload the last good weights on a failure.
        d_loss_floor: discriminator losses below this count as "near 0";
            `None` disables the check.
        d_loss_ceiling: discriminator losses above this count as unstable;
            `None` disables the check.
        patience: epochs a warning sign must last before it is a failure.
        diversity_fraction: diversity ratio below which samples count as
            collapsed; `None` disables the check.
        num_samples: samples for the diversity check.
        quality_metric: optional log key of a sample-quality metric.
        quality_threshold: values worse than this count as poor quality.
        quality_mode: `"min"` if lower metric values are better (FID, KID),
            `"max"` otherwise (Inception Score).
        seed: seed of the generated samples of the diversity check.
        d_loss_key, g_loss_key: log keys of the two losses.
        recover: restore the last good weights and optimizer state and lower
            the learning rates on a failure in `recover_from`.
        learning_rate_factor: factor in `(0, 1]` of the learning rates after a
            recovery (the optimizers must have float learning rates, not
            schedules, unless the factor is 1).
        max_recoveries: recoveries before the monitor gives up and stops.
        recover_from: failure kinds to recover from, among
            `RECOVERABLE_FAILURES`.

    Example:

    ```python
    monitor = keras_gans.callbacks.FailureMonitor(
        real_data=points, checkpoint_path="runs/last_good.weights.h5",
        stop_training=True, restore_on_failure=True)
    gan.fit(points, epochs=50, callbacks=[monitor])
    print(monitor.failures)

    # Or fix it on the fly: restore and lower the learning rates.
    monitor = keras_gans.callbacks.FailureMonitor(recover=True)
    gan.fit(points, epochs=50, callbacks=[monitor])
    print(monitor.recoveries, monitor.report())
    ```
    """

    def __init__(
        self,
        real_data=None,
        checkpoint_path=None,
        stop_training=False,
        restore_on_failure=False,
        d_loss_floor=0.01,
        d_loss_ceiling=20.0,
        patience=3,
        diversity_fraction=0.2,
        num_samples=256,
        quality_metric=None,
        quality_threshold=None,
        quality_mode="min",
        seed=0,
        d_loss_key="d_loss",
        g_loss_key="g_loss",
        recover=False,
        learning_rate_factor=0.1,
        max_recoveries=3,
        recover_from=tuple(RECOVERABLE_FAILURES),
    ):
        super().__init__()
        if checkpoint_path is not None:
            checkpoint_path = os.fspath(checkpoint_path)
        if checkpoint_path is not None and not checkpoint_path.endswith(".weights.h5"):
            raise ValueError(f"checkpoint_path must end in '.weights.h5', got {checkpoint_path!r}.")
        if restore_on_failure and checkpoint_path is None:
            raise ValueError("restore_on_failure=True needs a checkpoint_path.")
        if int(patience) < 1:
            raise ValueError(f"patience must be >= 1, got {patience}.")
        if quality_mode not in ("min", "max"):
            raise ValueError(f"quality_mode must be 'min' or 'max', got {quality_mode!r}.")
        if int(num_samples) < 2:
            raise ValueError(f"num_samples must be >= 2, got {num_samples}.")
        self._recovery = FailureRecovery(learning_rate_factor, max_recoveries)
        recover_from = (recover_from,) if isinstance(recover_from, str) else tuple(recover_from)
        unknown = [kind for kind in recover_from if kind not in RECOVERABLE_FAILURES]
        if unknown:
            raise ValueError(
                f"`recover_from` must name failures among {sorted(RECOVERABLE_FAILURES)}. "
                f"Received: recover_from={recover_from!r}"
            )
        self.real_data = real_data
        self.checkpoint_path = checkpoint_path
        self.stop_training = stop_training
        self.restore_on_failure = restore_on_failure
        self.d_loss_floor = d_loss_floor
        self.d_loss_ceiling = d_loss_ceiling
        self.patience = int(patience)
        self.diversity_fraction = diversity_fraction
        self.num_samples = int(num_samples)
        self.quality_metric = quality_metric
        self.quality_threshold = quality_threshold
        self.quality_mode = quality_mode
        self.seed = seed
        self.d_loss_key = d_loss_key
        self.g_loss_key = g_loss_key
        self.recover = bool(recover)
        self.learning_rate_factor = self._recovery.learning_rate_factor
        self.max_recoveries = self._recovery.max_recoveries
        self.recover_from = recover_from
        self.failures = []
        self.last_good_epoch = None
        self.real_diversity = None
        self._checkpoint_epoch = None

    # ----------------------------------------------------------------- state

    def on_train_begin(self, logs=None):
        self.failures = []
        self._recovery.recoveries, self._recovery.gave_up = [], None
        self.last_good_epoch = None
        self._recovered_this_epoch = False
        self._seen_this_epoch = set()
        self._epoch = None
        if self.recover:
            self._recovery.start(self.model)
        self._active = set()
        self._non_finite_this_epoch = None
        self._d_streak = 0
        self._quality_window = []
        self._uses_critic = self._is_wasserstein(self.model)
        if self.real_data is not None and self.diversity_fraction is not None:
            if self.real_diversity is None:
                real = first_samples(self.real_data, self.num_samples, self.seed)
                self.real_diversity = mean_pairwise_distance(real)

    @staticmethod
    def _is_wasserstein(model):
        loss = getattr(model, "adversarial_loss", None)
        names = (type(loss).__name__, str(getattr(model, "loss_name", "")))
        return any("wasserstein" in name.lower() for name in names)

    @property
    def recoveries(self):
        """The recoveries of the last `fit` (see `FailureRecovery.recover`)."""
        return self._recovery.recoveries

    @property
    def gave_up(self):
        """None, or where the monitor gave up and stopped training."""
        return self._recovery.gave_up

    @property
    def failed(self):
        """True if a failure was found during the last `fit`."""
        return bool(self.failures)

    # ---------------------------------------------------------------- checks

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch
        self._recovered_this_epoch = False
        self._seen_this_epoch = set()

    def on_train_batch_end(self, batch, logs=None):
        # `self._model`, not `self.model`: on JAX, reading `Callback.model`
        # writes `fit`'s carried state back to the variables (a sync per batch).
        if not logs or self._non_finite_this_epoch or getattr(self._model, "stop_training", False):
            return
        for key in (self.d_loss_key, self.g_loss_key):
            value = logs.get(key)
            if value is not None and not math.isfinite(float(value)):
                self._non_finite_this_epoch = (key, float(value), batch)
                if self.recover and "non_finite_loss" in self.recover_from:
                    # Act now rather than train the rest of the epoch on NaN weights.
                    found = self._check_non_finite(self._epoch, {})
                    self._non_finite_this_epoch = None
                    self._report(self._epoch, [found])
                    self._recover(self._epoch, ["non_finite_loss"], batch=batch)
                elif self.stop_training:
                    self.model.stop_training = True
                return

    def _check_non_finite(self, epoch, logs):
        found = self._non_finite_this_epoch
        if found is None:
            for key in (self.d_loss_key, self.g_loss_key):
                if key in logs and not math.isfinite(float(logs[key])):
                    found = (key, float(logs[key]), None)
                    break
        if found is None:
            return None
        key, value, batch = found
        where = f" at batch {batch}" if batch is not None else ""
        return diagnosis("non_finite_loss", epoch=epoch + 1, where=where, key=key, value=value)

    def _check_discriminator(self, epoch, logs):
        if self.d_loss_floor is None or self._uses_critic:
            return None
        d_loss = logs.get(self.d_loss_key)
        if d_loss is None or not math.isfinite(float(d_loss)):
            return None
        if 0.0 <= float(d_loss) < self.d_loss_floor:
            self._d_streak += 1
        else:
            self._d_streak = 0
        if self._d_streak < self.patience:
            return None
        return diagnosis(
            "discriminator_wins",
            epoch=epoch + 1,
            floor=self.d_loss_floor,
            epochs=self._d_streak,
            d_loss=float(d_loss),
        )

    def _check_unstable(self, epoch, logs):
        if self.d_loss_ceiling is None or self._uses_critic:
            return None
        d_loss = logs.get(self.d_loss_key)
        if d_loss is None or not float(d_loss) > self.d_loss_ceiling:
            return None
        return diagnosis("discriminator_unstable", epoch=epoch + 1, d_loss=float(d_loss))

    def _check_quality(self, epoch, logs):
        if self.quality_metric is None or self.quality_metric not in logs:
            return None
        g_loss = logs.get(self.g_loss_key)
        metric = float(logs[self.quality_metric])
        if g_loss is None or not math.isfinite(float(g_loss)):
            return None
        self._quality_window.append((float(g_loss), metric))
        self._quality_window = self._quality_window[-(self.patience + 1) :]
        if len(self._quality_window) <= self.patience:
            return None
        g_values = [g for g, _ in self._quality_window]
        m_values = [m for _, m in self._quality_window]
        better = min if self.quality_mode == "min" else max
        g_falling = g_values[-1] < g_values[0]
        not_improving = better(m_values) == m_values[0] or not math.isfinite(metric)
        poor = self.quality_threshold is None or all(
            (m > self.quality_threshold) if self.quality_mode == "min" else (m < self.quality_threshold)
            for m in m_values
        )
        if not (g_falling and not_improving and poor):
            return None
        return diagnosis(
            "generator_fools_weak_discriminator",
            epoch=epoch + 1,
            first=g_values[0],
            last=g_values[-1],
            count=len(g_values),
            metric=self.quality_metric,
            values=", ".join(f"{m:.3g}" for m in m_values),
        )

    def _check_diversity(self, epoch, logs):
        if self.real_diversity is None or self.diversity_fraction is None:
            return None
        samples = self.model.generate(self.num_samples, seed=self.seed)
        ratio = mean_pairwise_distance(samples) / max(self.real_diversity, 1e-12)
        if logs is not None:
            logs["diversity_ratio"] = ratio
        if math.isfinite(ratio) and ratio >= self.diversity_fraction:
            return None
        if not math.isfinite(ratio):
            return diagnosis("non_finite_samples", epoch=epoch + 1)
        return diagnosis("mode_collapse", epoch=epoch + 1, ratio=ratio, threshold=self.diversity_fraction)

    # -------------------------------------------------------------- epoch end

    def on_epoch_end(self, epoch, logs=None):
        logs = {} if logs is None else logs
        if getattr(self, "_epoch", None) != epoch:  # called without on_epoch_begin
            self.on_epoch_begin(epoch)
        if self._recovered_this_epoch:
            # The logs only cover the batches after a recovery within the epoch
            # (the loss means were reset): judge the next epoch instead.
            found = [self._check_diversity(epoch, logs)]
        else:
            found = [
                check(epoch, logs)
                for check in (
                    self._check_non_finite,
                    self._check_discriminator,
                    self._check_unstable,
                    self._check_quality,
                )
            ]
            if found[0] is None:  # diverged weights give NaN samples: said already
                found.append(self._check_diversity(epoch, logs))
        found = [f for f in found if f is not None]
        self._non_finite_this_epoch = None
        self._report(epoch, found)
        recovered_before = self._recovered_this_epoch
        self._active = set(self._seen_this_epoch)
        if found:
            self._on_failure(epoch, [kind for kind, _ in found])
        elif not recovered_before and self._d_streak == 0 and self._weights_finite():
            self._save_good_state(epoch)

    def _report(self, epoch, found):
        """Records diagnoses and warns about those not active in the last epoch."""
        for kind, message in found:
            self.failures.append({"epoch": epoch + 1, "kind": kind, "message": message})
            if kind not in self._active and kind not in self._seen_this_epoch:
                warnings.warn(message, TrainingFailureWarning, stacklevel=3)
            self._seen_this_epoch.add(kind)

    def _weights_finite(self):
        return all(
            np.all(np.isfinite(keras.ops.convert_to_numpy(v.value)))
            for v in self.model.weights
            if "float" in str(v.dtype)
        )

    def _save_good_state(self, epoch):
        self.last_good_epoch = epoch + 1
        if self.recover:
            self._recovery.save(self.model, epoch + 1)
        if self.checkpoint_path is not None:
            self._checkpoint_epoch = epoch + 1
            directory = os.path.dirname(self.checkpoint_path)
            if directory:
                os.makedirs(directory, exist_ok=True)
            # Write a temporary file, then rename: an interrupted save never
            # corrupts the previous good checkpoint.
            partial = self.checkpoint_path[: -len(".weights.h5")] + ".partial.weights.h5"
            self.model.save_weights(partial)
            os.replace(partial, self.checkpoint_path)

    def _on_failure(self, epoch, kinds):
        recoverable = [kind for kind in kinds if self.recover and kind in self.recover_from]
        if recoverable:
            self._recover(epoch, recoverable)
            return
        if self.restore_on_failure:
            if os.path.isfile(self.checkpoint_path):
                self.model.load_weights(self.checkpoint_path)
                saved_at = (
                    f" (saved at the end of epoch {self._checkpoint_epoch})" if self._checkpoint_epoch else ""
                )
                warnings.warn(
                    f"Epoch {epoch + 1}: restored the last good weights"
                    f"{saved_at} from {self.checkpoint_path}.",
                    TrainingFailureWarning,
                    stacklevel=3,
                )
            else:
                warnings.warn(
                    f"Epoch {epoch + 1}: no healthy epoch yet, nothing to restore.",
                    TrainingFailureWarning,
                    stacklevel=3,
                )
        if self.stop_training:
            self.model.stop_training = True

    # -------------------------------------------------------------- recovery

    def _recover(self, epoch, kinds, batch=None):
        where = f"Epoch {epoch + 1}" + (f", batch {batch}" if batch is not None else "")
        recovery = self._recovery
        good_epoch = recovery.good_epoch
        restored = "the start of training" if good_epoch == 0 else f"the end of epoch {good_epoch}"
        self._recovered_this_epoch = True
        if recovery.exhausted:
            recovery.give_up(self.model, epoch + 1, kinds, batch)
            if batch is not None:
                self.model.reset_metrics()
            self.model.stop_training = True
            warnings.warn(self.report(), TrainingFailureWarning, stacklevel=3)
            return
        rates = recovery.recover(self.model, epoch + 1, kinds, batch)["learning_rates"]
        if batch is not None:
            self.model.reset_metrics()  # the loss means restart after the failed batch
        self._d_streak = 0
        self._quality_window = []
        changes = ", ".join(
            f"{name} {old:.3g} -> {new:.3g}" for name, (old, new) in sorted(rates.items()) if new != old
        )
        warnings.warn(
            f"{where}: recovered from {' and '.join(kinds)} "
            f"(recovery {len(self.recoveries)} of at most {self.max_recoveries}): restored the "
            f"weights and optimizer state of {restored}"
            + (f" and lowered the learning rates: {changes}." if changes else "."),
            TrainingFailureWarning,
            stacklevel=3,
        )

    def report(self):
        """A plain-text account of the failures and recoveries of the last `fit`."""
        if not self.failures:
            return "FailureMonitor: no failure found."
        lines = ["FailureMonitor report:"]
        for failure in self.failures:
            lines.append(f"- epoch {failure['epoch']}: {failure['kind']}")
        for number, recovery in enumerate(self.recoveries, start=1):
            rates = ", ".join(
                f"{name} {old:.3g} -> {new:.3g}"
                for name, (old, new) in sorted(recovery["learning_rates"].items())
            )
            lines.append(
                f"- recovery {number} at epoch {recovery['epoch']}: restored epoch "
                f"{recovery['restored_epoch']} (0 = start of training); learning rates {rates}"
            )
        if self.gave_up is not None:
            last = self.failures[-1]["message"]
            lines.append(
                f"Gave up at epoch {self.gave_up['epoch']} after {len(self.recoveries)} "
                f"recoveries (max_recoveries={self.max_recoveries}): restored the weights and "
                f"optimizer state of epoch {self.gave_up['restored_epoch']} (0 = start of "
                "training) and stopped training. The failure came back at lower learning "
                f"rates; the last diagnosis: {last}"
            )
        return "\n".join(lines)
