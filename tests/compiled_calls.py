"""A layer call inside one compiled function: tf.function on TensorFlow, jax.jit on JAX.

On JAX the layer's variables (its random seed state, a controller's state) are
threaded through `stateless_call` and written back after each call. PyTorch
runs eagerly (there is no graph to retrace).
"""

import keras


class CompiledCall:
    def __init__(self, layer):
        self.layer = layer
        self.traces = 0
        backend = keras.backend.backend()
        if backend == "tensorflow":
            import tensorflow as tf

            @tf.function
            def call(*args, **kwargs):
                self.traces += 1
                return layer(*args, **kwargs)

            self._call = call
        elif backend == "jax":
            import jax

            def pure(trainable, non_trainable, args, kwargs):
                self.traces += 1
                return layer.stateless_call(trainable, non_trainable, *args, **kwargs)

            jitted = jax.jit(pure)

            def call(*args, **kwargs):
                outputs, non_trainable = jitted(
                    [v.value for v in layer.trainable_variables],
                    [v.value for v in layer.non_trainable_variables],
                    args,
                    kwargs,
                )
                for variable, value in zip(layer.non_trainable_variables, non_trainable):
                    variable.assign(value)
                return outputs

            self._call = call
        else:

            def call(*args, **kwargs):
                self.traces = 1
                return layer(*args, **kwargs)

            self._call = call

    def __call__(self, *args, **kwargs):
        return self._call(*args, **kwargs)
