"""The one place that knows the running Keras backend's autodiff.

Everything else in keras_gans is written in `keras.ops`. This package picks, once
at import (as Keras picks its own trainer), the backend module that supplies:

- `AdversarialTrainer`: a mixin with `train_step` / `test_step` for
  `keras_gans.models.AdversarialModel`. It runs the model's backend-agnostic
  `adversarial_step`, handing it two callables: `update(network, optimizer,
  objective)` (differentiate the objective with respect to the network's
  trainable variables and apply the optimizer) and `run(fn)` (run stateful code,
  such as weight clipping or metric updates, so that its variable assignments stick).
- `input_gradient(fn, x, output_scale=None)`: the gradient of `sum(fn(x))` with
  respect to the input `x`, differentiable again (for gradient penalties).
"""

import keras

_BACKEND = keras.backend.backend()

if _BACKEND == "tensorflow":
    from keras_gans.backend.tensorflow import AdversarialTrainer
    from keras_gans.backend.tensorflow import input_gradient
elif _BACKEND == "jax":
    from keras_gans.backend.jax import AdversarialTrainer
    from keras_gans.backend.jax import input_gradient
elif _BACKEND == "torch":
    from keras_gans.backend.torch import AdversarialTrainer
    from keras_gans.backend.torch import input_gradient
else:
    raise ImportError(
        f"keras_gans supports the tensorflow, jax and torch Keras backends, not {_BACKEND!r}. "
        "Set KERAS_BACKEND to one of those."
    )

__all__ = ["AdversarialTrainer", "input_gradient"]
