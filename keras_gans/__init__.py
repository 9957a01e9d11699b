"""keras-gans: a Keras 3 model zoo of Generative Adversarial Networks.

`import keras_gans` makes every public module of the package an attribute:
the core modules below are imported at once, the others (`export`, `presets`,
`tuning`, `cli`, ...) on first access, so that `keras_gans.export.export_generator`
works without importing `keras_gans.export` first and `import keras_gans` does
not pay for the exporters or the tuner.

Under the PyTorch backend, `import keras_gans` warns once when torch's
intra-op threads (`torch.get_num_threads()`) exceed the CPU cores this process
may use (its CPU affinity and cgroup quota): spinning thread pools then fight
over the cores and a training step gets many times slower. `keras-gans train
--threads N` sets the threads (docs/cli.md).
"""

import importlib
import math
import os
import pkgutil
import warnings

from keras_gans import callbacks
from keras_gans import data
from keras_gans import layers
from keras_gans import losses
from keras_gans import metrics
from keras_gans import models
from keras_gans import networks
from keras_gans import penalties

__version__ = "0.1.0"
_torch_threads_warned = False

# The modules imported at once; every other public module is an attribute too (`__getattr__`).
__all__ = ["callbacks", "data", "layers", "losses", "metrics", "models", "networks", "penalties"]


def _public_modules():
    return sorted(info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_"))


def __getattr__(name):
    if name in _public_modules():
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(_public_modules()))


def _available_cpu_cores():
    """CPU cores this process may use: its CPU affinity, capped by a cgroup v2 quota."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    try:
        with open("/sys/fs/cgroup/cpu.max") as f:
            quota, period = f.read().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, math.ceil(int(quota) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, cores)


def _warn_if_torch_oversubscribed():
    """Warns (once per process) when torch's intra-op threads exceed the available cores.

    Called on `import keras_gans` under the torch backend and by `keras-gans
    train` after `--threads`; does nothing under other backends.

    Returns:
        True if it warned now.
    """
    global _torch_threads_warned
    import keras

    if _torch_threads_warned or keras.backend.backend() != "torch":
        return False
    import torch

    threads, cores = torch.get_num_threads(), _available_cpu_cores()
    if threads <= cores:
        return False
    _torch_threads_warned = True
    warnings.warn(
        f"torch uses {threads} intra-op threads but this process can use only {cores} CPU core(s): "
        "the threads fight over the cores and training gets slower. Call "
        f"torch.set_num_threads({cores}) (or fewer), set OMP_NUM_THREADS={cores} before starting "
        f"Python, or pass `keras-gans train --threads {cores}`.",
        RuntimeWarning,
        stacklevel=2,
    )
    return True


_warn_if_torch_oversubscribed()
