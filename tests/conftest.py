"""Shared test set-up: quiet logs, fixed seeds, float32 policy restored after each test."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

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


def pytest_report_header(config):
    return f"keras {keras.__version__}, backend {keras.backend.backend()}"
