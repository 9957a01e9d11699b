"""Tests of one backend module run under that backend only."""

import keras

_FILES = {"tensorflow": ("test_tensorflow_backend.py",)}
_ALL = tuple(name for names in _FILES.values() for name in names)

collect_ignore = [name for name in _ALL if name not in _FILES.get(keras.backend.backend(), ())]
