"""JAX training step: a pure function of the state `fit` carries.

Keras' JAX trainer calls `train_step(state, data)` with the values of the model's
trainable, non-trainable, optimizer and metric variables, and expects the new
values back. Here every variable value lives in one mapping; model code runs
unchanged inside a `keras.StatelessScope` built from it, so layer calls,
`variable.assign` (weight clipping, EMA, metric updates, seed generators) and
batch-norm statistics all read and write the mapping instead of the variables.
Both inner optimizers' variables travel in `model.optimizer.variables` (the
`AdversarialOptimizer` container), so none of their state is lost between steps.
"""

import jax
import jax.numpy as jnp
import keras

try:  # The scope object itself is needed to copy the current mapping.
    from keras.src.backend.common.stateless_scope import get_stateless_scope
except ImportError:  # pragma: no cover - older/newer Keras layouts
    from keras.src.backend import get_stateless_scope


def input_gradient(fn, x, output_scale=None):
    """Gradient of `sum(fn(x))` with respect to `x`, differentiable again.

    Inside a training step the current stateless scope's values are used (and
    updates made by `fn`, e.g. batch statistics, are discarded); the computation
    is traced by `jax.grad` so an outer `jax.grad` differentiates through it.

    Args:
        fn: a function of `x` (typically the discriminator in training mode).
        x: the input array.
        output_scale: optional scalar multiplying the summed output before
            differentiation (loss scaling for float16); the result is NOT unscaled.
    """
    outer = get_stateless_scope()
    if outer is not None:
        by_id = _variables_by_id(outer)
        mapping = [(by_id[i], v) for i, v in outer.state_mapping.items() if i in by_id]
    else:
        mapping = []

    def total(inputs):
        # A fresh scope: reads come from the outer values, writes are dropped.
        with keras.StatelessScope(state_mapping=mapping):
            out = jnp.sum(jnp.asarray(fn(inputs), "float32"))
        if output_scale is not None:
            out = out * output_scale
        return out

    return jax.grad(total)(x)


# StatelessScope keys its mapping by id(variable); the step registers the
# variables it put in a scope so that input_gradient can rebuild (variable, value)
# pairs from a scope it did not create.
_SCOPE_VARIABLES = {}


def _variables_by_id(scope):
    return _SCOPE_VARIABLES.get(id(scope), {})


class _StatelessStep:
    """The values of all model state during one step, and the two step callables."""

    def __init__(self, variables, values):
        self.variables = variables
        self.by_id = {id(v): v for v in variables}
        self.values = {id(v): value for v, value in zip(variables, values)}

    def _scope(self, values):
        scope = keras.StatelessScope(state_mapping=[(self.by_id[i], value) for i, value in values.items()])
        _SCOPE_VARIABLES[id(scope)] = self.by_id
        return scope

    def _collect(self, scope, values):
        _SCOPE_VARIABLES.pop(id(scope), None)
        return {i: scope.state_mapping.get(i, value) for i, value in values.items()}

    def run(self, fn):
        """Runs stateful `fn` against the current values; keeps its assignments."""
        scope = self._scope(self.values)
        with scope:
            result = fn()
        self.values = self._collect(scope, self.values)
        return result

    def update(self, network, optimizer, objective):
        """One optimizer step of `network` on `objective()`; returns its logs."""
        variables = network.trainable_variables
        ids = [id(v) for v in variables]

        def scaled_loss(trainable_values):
            values = dict(self.values)
            values.update(zip(ids, trainable_values))
            scope = self._scope(values)
            with scope:
                loss, logs = objective()
                scaled = optimizer.scale_loss(loss)
            return scaled, (logs, self._collect(scope, values))

        trainable_values = [self.values[i] for i in ids]
        grads, (logs, new_values) = jax.grad(scaled_loss, has_aux=True)(trainable_values)
        for i in ids:  # the objective does not assign trainable variables
            new_values[i] = self.values[i]
        self.values = new_values
        optimizer_variables = optimizer.variables
        new_trainable, new_optimizer = optimizer.stateless_apply(
            [self.values[id(v)] for v in optimizer_variables], grads, trainable_values
        )
        self.values.update(zip(ids, new_trainable))
        self.values.update(zip([id(v) for v in optimizer_variables], new_optimizer))
        applied = None
        if hasattr(optimizer, "inner_optimizer"):  # the loss scaler skips non-finite updates
            applied = jnp.all(jnp.stack([jnp.all(jnp.isfinite(g)) for g in grads]))
        return logs, applied

    def when(self, condition, fn):
        """Runs `fn` (which updates the values) only where `condition` holds."""
        if condition is None:
            fn()
            return

        def taken(values):
            self.values = dict(values)
            fn()
            return {i: jnp.asarray(v, values[i].dtype) for i, v in self.values.items()}

        def skipped(values):
            return dict(values)

        self.values = jax.lax.cond(condition, taken, skipped, self.values)

    def state(self, groups):
        return tuple([self.values[id(v)] for v in group] for group in groups)


class AdversarialTrainer:
    """`train_step` / `test_step` for the JAX backend (stateless, jit-able)."""

    def fit(self, *args, **kwargs):
        # Keras' JAX `fit` detaches ("purges") the variables' values before the
        # first step and reattaches the state of the last finished step; when
        # the first step fails (a bad batch), there is none and the model would
        # be left without weights. Keep the values to put them back.
        variables = list(self.variables) + list(self.metrics_variables)
        if self.optimizer is not None:
            variables += list(self.optimizer.variables)
        kept = [(v, v._value) for v in variables]
        try:
            return super().fit(*args, **kwargs)
        except BaseException:
            for variable, value in kept:
                if variable._value is None and value is not None:
                    variable.assign(value)
            raise

    def _state_groups(self, with_optimizer):
        groups = [self.trainable_variables, self.non_trainable_variables]
        if with_optimizer:
            groups.append(self.optimizer.variables)
        groups.append(self.metrics_variables)
        return groups

    def train_step(self, state, data):
        groups = self._state_groups(with_optimizer=True)
        step = _StatelessStep([v for group in groups for v in group], [v for group in state for v in group])
        real, labels = self.unpack_batch(data)
        self.adversarial_step(real, labels, update=step.update, run=step.run, when=step.when)
        logs = step.run(self.current_logs)
        return logs, step.state(groups)

    def test_step(self, state, data):
        groups = self._state_groups(with_optimizer=False)
        step = _StatelessStep([v for group in groups for v in group], [v for group in state for v in group])
        real, labels = self.unpack_batch(data)
        step.run(lambda: self.evaluation_step(real, labels))
        logs = step.run(self.current_logs)
        return logs, step.state(groups)
