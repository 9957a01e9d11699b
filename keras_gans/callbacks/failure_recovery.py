"""`FailureRecovery`: the last good training state of a model, restored after a failure.

On the JAX backend, Keras' `fit` carries all variable values functionally
(`model._jax_state`) and writes them back to the variables only at the end of
an epoch (`model.jax_state_sync()`) or when a callback reads `Callback.model`
(that property syncs); after a sync, the next step reads the variables again.
A restore therefore sticks when the state was synced before the restored
values are assigned: otherwise the epoch's final sync would overwrite them
with the failed ones. `write_state` syncs explicitly.
"""

import keras
import numpy as np

__all__ = ["RECOVERABLE_FAILURES", "FailureRecovery"]

# The failures a recovery acts on, and the networks whose learning rates it lowers.
RECOVERABLE_FAILURES = {
    "non_finite_loss": ("generator", "discriminator"),
    "non_finite_samples": ("generator",),
    "discriminator_wins": ("discriminator",),
    "discriminator_unstable": ("discriminator",),
}


class FailureRecovery:
    """Keeps a model's last good training state; restores it and lowers learning rates.

    The state is every model weight (except random-seed states) and every
    optimizer variable (both inner optimizers' moments and iteration counts,
    which `model.optimizer.variables` holds), copied to host memory. A
    recovery restores it and multiplies the learning rates of the networks a
    failure involves (`RECOVERABLE_FAILURES`) by `learning_rate_factor`.
    `keras_gans.callbacks.FailureMonitor(recover=True)` uses one; it works on
    the TensorFlow, JAX and PyTorch backends alike.

    Args:
        learning_rate_factor: factor in `(0, 1]` of the learning rates after a
            recovery (the optimizers must have float learning rates, not
            schedules, unless the factor is 1).
        max_recoveries: recoveries before `exhausted` is True.

    Example:

    ```python
    recovery = FailureRecovery(learning_rate_factor=0.1)
    recovery.start(gan)  # the state at the start of training
    gan.fit(points, epochs=1)
    recovery.save(gan, epoch=1)  # a healthy epoch
    recovery.recover(gan, epoch=2, kinds=["discriminator_wins"])
    ```
    """

    def __init__(self, learning_rate_factor=0.1, max_recoveries=3):
        if not 0 < float(learning_rate_factor) <= 1:
            raise ValueError(
                "`learning_rate_factor` must be in (0, 1]. "
                f"Received: learning_rate_factor={learning_rate_factor!r}"
            )
        if isinstance(max_recoveries, bool) or int(max_recoveries) != max_recoveries or max_recoveries < 0:
            raise ValueError(
                f"`max_recoveries` must be an integer >= 0. Received: max_recoveries={max_recoveries!r}"
            )
        self.learning_rate_factor = float(learning_rate_factor)
        self.max_recoveries = int(max_recoveries)
        self.recoveries = []
        self.gave_up = None
        self._good_state = None

    def start(self, model):
        """Forgets earlier recoveries and keeps `model`'s state as epoch 0's."""
        self.recoveries = []
        self.gave_up = None
        self._check_learning_rates(model)
        self._good_state = (0, read_state(model))

    def save(self, model, epoch):
        """Keeps `model`'s state as the last good one, that of the end of `epoch` (1-based)."""
        self._good_state = (epoch, read_state(model))

    @property
    def good_epoch(self):
        """The epoch whose end the kept state is (0: the start of training)."""
        return self._good_state[0]

    @property
    def exhausted(self):
        """True when `max_recoveries` recoveries were made."""
        return len(self.recoveries) >= self.max_recoveries

    def give_up(self, model, epoch, kinds, batch=None):
        """Restores the last good state without changing the learning rates, and records it."""
        write_state(model, self._good_state[1])
        self.gave_up = {
            "epoch": epoch,
            "batch": batch,
            "kinds": list(kinds),
            "restored_epoch": self.good_epoch,
        }

    def recover(self, model, epoch, kinds, batch=None):
        """Restores the last good state and lowers the learning rates `kinds` involve.

        Returns:
            The record appended to `recoveries`: `epoch`, `batch`, `kinds`,
            `restored_epoch` and `learning_rates` (network -> (before, after)).
        """
        before = learning_rates(model)  # read before the restore: it restores them too
        write_state(model, self._good_state[1])
        lowered = {name for kind in kinds for name in RECOVERABLE_FAILURES[kind]}
        after = {}
        for name, optimizer in optimizers_by_network(model).items():
            after[name] = before[name] * (self.learning_rate_factor if name in lowered else 1.0)
            optimizer.learning_rate = after[name]
        record = {
            "epoch": epoch,
            "batch": batch,
            "kinds": list(kinds),
            "restored_epoch": self.good_epoch,
            "learning_rates": {name: (before[name], after[name]) for name in after},
        }
        self.recoveries.append(record)
        return record

    def _check_learning_rates(self, model):
        if self.learning_rate_factor == 1.0:
            return
        for name, optimizer in optimizers_by_network(model).items():
            inner = getattr(optimizer, "inner_optimizer", optimizer)
            rate = getattr(inner, "_learning_rate", None)
            if isinstance(rate, keras.optimizers.schedules.LearningRateSchedule) or callable(rate):
                raise ValueError(
                    "FailureMonitor(recover=True) lowers the learning rates after a failure, "
                    f"which needs float learning rates, but the {name} optimizer uses "
                    f"{type(rate).__name__}. Pass learning_rate_factor=1.0 to only restore the "
                    f"last good state. Received: learning_rate={rate!r}"
                )


def optimizers_by_network(model):
    """The optimizers whose learning rates a recovery may lower, by network."""
    if getattr(model, "optimizer", None) is None:
        raise ValueError("FailureMonitor(recover=True) needs a compiled model (no optimizer found).")
    named = {}
    for name in ("generator", "discriminator"):
        optimizer = getattr(model, f"{name[0]}_optimizer", None)
        if optimizer is not None:
            named[name] = optimizer
    return named or {"generator": model.optimizer, "discriminator": model.optimizer}


def learning_rates(model):
    """The current learning rate of each network's optimizer, as floats."""
    return {
        name: float(keras.ops.convert_to_numpy(optimizer.learning_rate))
        for name, optimizer in optimizers_by_network(model).items()
    }


def state_variables(model):
    """Model weights (not random-seed states) and all optimizer variables."""
    weights = [
        v
        for v in list(model.trainable_variables) + list(model.non_trainable_variables)
        if "seed_generator_state" not in v.path
    ]
    return weights + list(model.optimizer.variables)


def read_state(model):
    """Host copies of the values of `state_variables(model)`."""
    return [np.array(keras.ops.convert_to_numpy(v.value)) for v in state_variables(model)]


def write_state(model, values):
    """Assigns values read by `read_state` (see the module docstring for JAX)."""
    # On JAX, mid-epoch, the values `fit` carries live in `model._jax_state`:
    # write them back first, so that the epoch's final sync does not
    # overwrite the restored values (the next step reads the variables).
    sync = getattr(model, "jax_state_sync", None)
    if sync is not None:
        sync()
    for variable, value in zip(state_variables(model), values):
        variable.assign(value)
