"""Shared test set-up: quiet logs, fixed seeds, float32 policy restored after each test."""

import os
import shutil
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# Test-suite speed (not semantics): most of the suite's JAX time, and some of
# TensorFlow's jit_compile time, is XLA compiling the tiny test networks. At
# optimisation level 0 XLA compiles about twice as fast (the programs run as
# before, a little slower; the test networks are small), and the persistent
# cache lets the two pytest-xdist workers, and the subprocesses tests start,
# reuse what the other compiled (identical programs: a reloaded model's step,
# the same network in several tests). Both reach subprocesses through the
# environment; a run-wide cache folder is removed when the run ends.
XLA_TEST_FLAG = "--xla_backend_optimization_level=0"
if XLA_TEST_FLAG not in os.environ.get("XLA_FLAGS", "").split():
    os.environ["XLA_FLAGS"] = f"{os.environ.get('XLA_FLAGS', '')} {XLA_TEST_FLAG}".strip()
# Named by the controlling process: the xdist workers inherit its environment.
XLA_CACHE = os.path.join(tempfile.gettempdir(), f"keras-gans-tests-xla-cache-{os.getpid()}")
os.environ.setdefault("JAX_COMPILATION_CACHE_DIR", XLA_CACHE)
os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS", "0")
os.environ.setdefault("JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES", "0")

import keras  # noqa: E402

if keras.backend.backend() == "torch":
    import torch

    # The test networks are tiny: one intra-op thread avoids spin-waiting
    # thread pools (which cost more than they gain on a 2-core machine).
    torch.set_num_threads(1)
import numpy as np  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fixed_seed_and_policy():
    keras.utils.set_random_seed(1234)
    np.random.seed(1234)
    yield
    keras.mixed_precision.set_global_policy("float32")
    # Names and graph state only: a full gc.collect per test costs ~0.5 s.
    keras.backend.clear_session(free_memory=False)


def pytest_collection_modifyitems(items):
    # The long training runs first (a stable sort keeps the rest in order): the
    # xdist workers then share out the short tests at the end instead of one
    # worker waiting on a long test that happened to be collected last.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_report_header(config):
    return f"keras {keras.__version__}, backend {keras.backend.backend()}"


def pytest_sessionfinish(session):
    if not hasattr(session.config, "workerinput"):  # the controller, after its workers
        shutil.rmtree(XLA_CACHE, ignore_errors=True)
