"""keras.distribution.DataParallel over two JAX host devices equals one device."""

import numpy as np
import pytest
from distributed_runs import environment
from distributed_runs import run
from distributed_runs import scenarios


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    # XLA_FLAGS must be set before JAX starts: a fresh process.
    env = environment("jax", XLA_FLAGS="--xla_force_host_platform_device_count=2")
    return run("data_parallel", tmp_path_factory.mktemp("data_parallel") / "out.npz", env)


@pytest.mark.parametrize("name", ("dcgan",) + scenarios.SCENARIOS)
def test_data_parallel_step_equals_single_device_step(results, name):
    single, parallel = results[f"single_{name}"], results[f"parallel_{name}"]
    for key, value in single.items():
        np.testing.assert_allclose(parallel[key], value, rtol=1e-5, atol=1e-6, err_msg=key)


def test_batch_is_split_over_both_devices(results):
    dcgan = results["parallel_dcgan"]
    assert int(dcgan["devices"]) == 2
    assert int(dcgan["variable_devices"]) == 2  # variables replicated on both
    assert bool(dcgan["batch_sharded"])
