"""`keras-gans train --threads N`: the CPU threads of the running backend, set before training.

What each backend allows (see docs/cli.md, "Threads"):

- torch: `torch.set_num_threads(N)` (intra-op threads; works at any time) and,
  where torch still allows it (before its first inter-op work),
  `torch.set_num_interop_threads(N)`.
- tensorflow: `tf.config.threading.set_intra_op_parallelism_threads(N)` and
  `set_inter_op_parallelism_threads(N)`; they must be set before TensorFlow
  runs its first operation, which the command line guarantees.
- jax: XLA:CPU has no flag for a thread count. With N = 1,
  `--xla_cpu_multi_thread_eigen=false` (in `XLA_FLAGS`) makes its Eigen
  kernels single-threaded; with N below the usable cores, the process is
  pinned to N of them (`os.sched_setaffinity`), to which XLA sizes its thread
  pools. Both must happen before JAX starts its CPU client.
"""

import os
import sys

from keras_gans.cli.errors import CommandLineError

# Package-internal: the public API of the CLI is keras_gans.cli (main, build_parser).
__all__ = []

EIGEN_SINGLE_THREAD_FLAG = "--xla_cpu_multi_thread_eigen=false"


def _set_torch_threads(count):
    import torch

    torch.set_num_threads(count)
    try:
        torch.set_num_interop_threads(count)
    except RuntimeError:  # torch allows it once, before any inter-op work
        pass
    return f"torch.set_num_threads({count})"


def _set_tensorflow_threads(count):
    import tensorflow as tf

    try:
        tf.config.threading.set_intra_op_parallelism_threads(count)
        tf.config.threading.set_inter_op_parallelism_threads(count)
    except RuntimeError as error:  # TensorFlow's runtime already started
        raise CommandLineError(
            f"--threads must be set before TensorFlow starts, but it has already run an operation "
            f"({error}). Received: --threads={count}"
        ) from None
    return f"TensorFlow intra-op and inter-op threads {count}"


def _set_jax_threads(count, cores):
    jax_started = False
    if "jax" in sys.modules:
        from jax._src import xla_bridge

        jax_started = xla_bridge.backends_are_initialized()
    if jax_started:
        raise CommandLineError(
            f"--threads must be set before JAX starts its CPU client, but it has already started. "
            f"Received: --threads={count}"
        )
    done = []
    if count == 1:
        flags = os.environ.get("XLA_FLAGS", "")
        if EIGEN_SINGLE_THREAD_FLAG not in flags.split():
            os.environ["XLA_FLAGS"] = f"{flags} {EIGEN_SINGLE_THREAD_FLAG}".strip()
        done.append(f"XLA_FLAGS {EIGEN_SINGLE_THREAD_FLAG}")
    if count < cores and hasattr(os, "sched_setaffinity"):
        allowed = sorted(os.sched_getaffinity(0))[:count]
        os.sched_setaffinity(0, allowed)
        done.append(f"CPU affinity {allowed}")
    return ", ".join(done) or f"nothing to change ({count} >= {cores} usable cores)"


def set_threads(count):
    """Sets the running backend's CPU threads to `count`; returns what was done, in words.

    After setting them, warns (once) when torch's threads exceed the usable
    cores (`keras_gans.cpu_threads.warn_if_torch_oversubscribed`).
    """
    import keras

    import keras_gans

    cores = keras_gans.cpu_threads.available_cpu_cores()
    backend = keras.backend.backend()
    if backend == "torch":
        done = _set_torch_threads(count)
    elif backend == "tensorflow":
        done = _set_tensorflow_threads(count)
    elif backend == "jax":
        done = _set_jax_threads(count, cores)
    else:
        done = f"nothing (backend {backend})"
    keras_gans.cpu_threads.warn_if_torch_oversubscribed()
    return done
