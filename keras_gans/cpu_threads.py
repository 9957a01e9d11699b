"""CPU threads: the cores this process may use, and a warning when torch oversubscribes them.

Under the PyTorch backend, `import keras_gans` calls `warn_if_torch_oversubscribed`:
spinning intra-op thread pools that exceed the usable cores fight over them and a
training step gets many times slower (docs/performance.md).
"""

import math
import os
import warnings

__all__ = ["available_cpu_cores", "warn_if_torch_oversubscribed"]

_torch_threads_warned = False


def available_cpu_cores():
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


def warn_if_torch_oversubscribed():
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

    threads, cores = torch.get_num_threads(), available_cpu_cores()
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
