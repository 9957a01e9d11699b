"""`keras-gans train --threads N` sets the running backend's CPU threads before
training, and `import keras_gans` warns once when torch's intra-op threads
exceed the usable cores (issue 18 item 2)."""

import json
import os
import subprocess
import sys

import keras

import keras_gans
from keras_gans import cli

PACKAGE_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(keras_gans.__file__)))
RING_QUICK = [
    "gan",
    "--dataset",
    "ring",
    "--epochs",
    "1",
    "--num-examples",
    "256",
    "--batch-size",
    "128",
    "--verbose",
    "0",
]

# Trains with --threads, then reports what the backend says its threads are.
TRAIN_WITH_THREADS = r"""
import json, os, sys
from keras_gans import cli
status = cli.main(["train", *json.loads(sys.argv[2]), "--output", sys.argv[1], "--threads", "1"])
import keras
found = {"status": status, "affinity": sorted(os.sched_getaffinity(0))}
if keras.backend.backend() == "torch":
    import torch
    found["torch"] = torch.get_num_threads()
if keras.backend.backend() == "tensorflow":
    import tensorflow as tf
    found["tensorflow"] = [tf.config.threading.get_intra_op_parallelism_threads(),
                           tf.config.threading.get_inter_op_parallelism_threads()]
if keras.backend.backend() == "jax":
    import jax
    found["xla_flags"] = os.environ.get("XLA_FLAGS", "")
    found["jax_started"] = bool(jax.devices())
print(json.dumps(found))
"""

# torch with more threads than cores: set before `import keras_gans`, then by
# `keras-gans train --threads` (the once-only flag reset in between).
OVERSUBSCRIBED = r"""
import json, os, sys, warnings
import torch
warnings.simplefilter("always")
found = {}
with warnings.catch_warnings(record=True) as caught:
    cores = len(os.sched_getaffinity(0))
    torch.set_num_threads(cores + 1)
    import keras_gans
    again = keras_gans.cpu_threads.warn_if_torch_oversubscribed()
    found["import"] = {"again": again, "threads": torch.get_num_threads()}
found["import"]["warnings"] = [str(w.message) for w in caught if w.category is RuntimeWarning]
torch.set_num_threads(1)
keras_gans.cpu_threads._torch_threads_warned = False
with warnings.catch_warnings(record=True) as caught:
    from keras_gans import cli
    # The threads are set (and checked) before the variant is looked up, which fails here.
    status = cli.main(["train", "no_such_gan", "--dataset", "ring", "--threads", str(cores + 1)])
    found["cli"] = {"status": status, "again": keras_gans.cpu_threads.warn_if_torch_oversubscribed(),
                    "threads": torch.get_num_threads()}
found["cli"]["warnings"] = [str(w.message) for w in caught if w.category is RuntimeWarning]
found["cores"] = keras_gans.cpu_threads.available_cpu_cores()
print(json.dumps(found))
"""


def python(script, *argv, backend=None, cwd=None):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", KERAS_BACKEND=backend or keras.backend.backend())
    env["PYTHONPATH"] = os.pathsep.join([PACKAGE_ROOT, env.get("PYTHONPATH", "")])
    result = subprocess.run(
        [sys.executable, "-c", script, *map(str, argv)], capture_output=True, text=True, env=env, cwd=cwd
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1]), result


def test_threads_are_set_before_training_under_this_backend(tmp_path):
    found, result = python(TRAIN_WITH_THREADS, tmp_path / "run", json.dumps(RING_QUICK), cwd=tmp_path)
    assert found["status"] == 0 and (tmp_path / "run" / "checkpoint.keras").is_file()
    assert "Threads: " in result.stdout
    backend = keras.backend.backend()
    if backend == "torch":
        assert found["torch"] == 1
    elif backend == "tensorflow":
        assert found["tensorflow"] == [1, 1]
    else:  # jax: one Eigen thread, and the process pinned to one core
        assert "--xla_cpu_multi_thread_eigen=false" in found["xla_flags"].split()
        assert len(found["affinity"]) == 1 and found["jax_started"]


def test_threads_cannot_change_once_the_backend_runs(tmp_path, capsys):
    keras.ops.convert_to_numpy(keras.ops.ones(2) + 1)  # this process has run the backend
    status = cli.main(["train", *RING_QUICK, "--output", str(tmp_path / "run"), "--threads", "1"])
    err = capsys.readouterr().err
    if keras.backend.backend() == "torch":  # torch.set_num_threads works at any time
        assert status == 0, err
    else:
        assert status == 1 and err.count("\n") == 1
        assert "--threads must be set before" in err and "Received: --threads=1" in err
        assert not (tmp_path / "run").exists()


def test_torch_threads_above_the_cores_warn_once(tmp_path):
    found, result = python(OVERSUBSCRIBED, backend="torch", cwd=tmp_path)
    cores = found["cores"]
    for case in ("import", "cli"):
        threads = found[case]["threads"]
        assert threads > cores and not found[case]["again"], case
        (warning,) = found[case]["warnings"]
        assert f"torch uses {threads} intra-op threads but this process can use only {cores} CPU" in warning
        assert f"keras-gans train --threads {cores}" in warning
    assert found["cli"]["status"] == 1 and "Unknown variant 'no_such_gan'" in result.stderr
