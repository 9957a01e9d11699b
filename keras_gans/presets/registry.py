"""The zoo registry, gathered from the `*_presets` modules beside the variants.

Each variant that has trained presets owns a module `keras_gans/models/
<variant>_presets.py` holding `PRESETS`: preset name -> description, variant
(the class name in `keras_gans.models`), dataset, headline metrics and the
sha256 of each file (as keras-hub registers presets beside their models). No
table is kept by hand here: `registered_presets()` finds those modules.
"""

import importlib
import json
import pkgutil

from keras_gans import models

PRESETS_MODULE_SUFFIX = "_presets"
ENTRY_KEYS = ("description", "variant", "dataset", "metrics", "files")

__all__ = ["ENTRY_KEYS", "PRESETS_MODULE_SUFFIX", "preset_entry", "registered_presets"]

_registry = None


def _collect():
    found = {}
    for module_info in sorted(pkgutil.iter_modules(models.__path__), key=lambda m: m.name):
        if not module_info.name.endswith(PRESETS_MODULE_SUFFIX):
            continue
        module = importlib.import_module(f"{models.__name__}.{module_info.name}")
        for name, entry in module.PRESETS.items():
            where = f"{module.__name__}.PRESETS[{name!r}]"
            if name in found:
                raise ValueError(f"Preset {name!r} is registered twice: in {found[name][0]} and {where}.")
            missing = [k for k in ENTRY_KEYS if k not in entry]
            if missing:
                raise ValueError(f"{where} lacks {', '.join(missing)}.")
            variant = getattr(models, entry["variant"], None)
            if not (isinstance(variant, type) and issubclass(variant, models.AdversarialModel)):
                raise ValueError(f"{where} names no variant of keras_gans.models: {entry['variant']!r}.")
            found[name] = (where, entry)
    return {name: entry for name, (_, entry) in sorted(found.items())}


def registered_presets():
    """The registry: `{preset name: entry}`, sorted by name (a deep copy).

    Example:

    >>> sorted(keras_gans.presets.registered_presets())
    ['cgan_fashion_mnist', 'dcgan_fashion_mnist', ...]
    """
    global _registry
    if _registry is None:
        _registry = _collect()
    return json.loads(json.dumps(_registry))


def preset_entry(name):
    """The registry entry of one preset, or None for an unregistered name."""
    return registered_presets().get(name) if isinstance(name, str) else None
