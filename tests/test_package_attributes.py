"""`import keras_gans` reaches every public module as an attribute, the heavy
ones lazily (imported on first access, not by `import keras_gans`)."""

import json
import os
import subprocess
import sys

import pytest

import keras_gans

PACKAGE_DIR = os.path.dirname(os.path.abspath(keras_gans.__file__))
REPO = os.path.dirname(PACKAGE_DIR)
# The subpackages and modules named in the issues, each an attribute of keras_gans.
NAMED = {
    "augment",
    "callbacks",
    "cli",
    "data",
    "export",
    "image_to_image",
    "layers",
    "losses",
    "metrics",
    "models",
    "networks",
    "penalties",
    "presets",
    "recipes",
    "regularizers",
    "report",
    "sampling",
    "terms",
    "tuning",
}
# Loaded on first access only: `import keras_gans` does not pay for them (the
# others are imported by the models and terms anyway).
LAZY = {"cli", "export", "presets", "recipes", "report", "sampling", "tuning"}

# In a fresh interpreter: what `import keras_gans` alone gives.
PROBE = r"""
import json, sys
import keras_gans
before = sorted(m for m in sys.modules if m.startswith("keras_gans."))
names = json.loads(sys.argv[1])
reached = {name: getattr(keras_gans, name).__name__ for name in names}
print(json.dumps({
    "before": before,
    "reached": reached,
    "export_generator": callable(keras_gans.export.export_generator),
    "run_tuning": callable(keras_gans.tuning.run_tuning),
    "write_report": callable(keras_gans.report.write_report),
    "from_preset": callable(keras_gans.presets.from_preset),
    "dir": sorted(set(names) & set(dir(keras_gans))),
}))
"""


def _public_modules():
    """Public modules and packages, listed from the files (not from keras_gans)."""
    names = []
    for entry in sorted(os.listdir(PACKAGE_DIR)):
        path = os.path.join(PACKAGE_DIR, entry)
        if entry.startswith("_"):
            continue
        if entry.endswith(".py"):
            names.append(entry[:-3])
        elif os.path.isfile(os.path.join(path, "__init__.py")):
            names.append(entry)
    return names


def test_every_public_module_is_an_attribute_after_import():
    names = _public_modules()
    assert NAMED <= set(names)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3")
    env["PYTHONPATH"] = os.pathsep.join([REPO] + ([env["PYTHONPATH"]] if env.get("PYTHONPATH") else []))
    result = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(names)],
        capture_output=True,
        text=True,
        env=env,
        cwd=os.path.dirname(REPO),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["reached"] == {name: f"keras_gans.{name}" for name in names}
    assert report["export_generator"] and report["run_tuning"]
    assert report["write_report"] and report["from_preset"]
    assert report["dir"] == sorted(names)
    # The heavy modules load on first access only.
    assert not LAZY & {m.split(".")[1] for m in report["before"]}


def test_unknown_attributes_still_raise():
    with pytest.raises(AttributeError, match="has no attribute 'no_such_module'"):
        getattr(keras_gans, "no_such_module")
