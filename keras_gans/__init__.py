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
import pkgutil

from keras_gans import callbacks
from keras_gans import cpu_threads
from keras_gans import data
from keras_gans import layers
from keras_gans import losses
from keras_gans import metrics
from keras_gans import models
from keras_gans import networks
from keras_gans import penalties

__version__ = "0.1.0"

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


cpu_threads.warn_if_torch_oversubscribed()
