"""Each distributed test runs on the backend whose distribution engine it checks.

TensorFlow: `tf.distribute.MirroredStrategy` and `MultiWorkerMirroredStrategy`;
JAX: `keras.distribution.DataParallel`. Keras has no distribution engine for
PyTorch, so the PyTorch run collects none of these files.
"""

import keras

_FILES = {
    "tensorflow": ("test_mirrored_strategy.py", "test_multi_worker_mirrored_strategy.py"),
    "jax": ("test_data_parallel.py",),
}
_ALL = tuple(name for names in _FILES.values() for name in names)

collect_ignore = [name for name in _ALL if name not in _FILES.get(keras.backend.backend(), ())]
