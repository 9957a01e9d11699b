"""tf.distribute.MultiWorkerMirroredStrategy with two worker processes on 127.0.0.1."""

import json
import socket

import numpy as np
from distributed_runs import environment
from distributed_runs import finish
from distributed_runs import scenarios
from distributed_runs import start


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_workers_step_equals_single_device_step(tmp_path):
    cluster = {"worker": [f"127.0.0.1:{free_port()}" for _ in range(2)]}
    outputs = [tmp_path / f"worker_{i}.npz" for i in range(2)]
    workers = [
        start(
            "worker",
            output,
            environment(
                "tensorflow",
                TF_CONFIG=json.dumps({"cluster": cluster, "task": {"type": "worker", "index": i}}),
            ),
        )
        for i, output in enumerate(outputs)
    ]
    finish(workers)
    single = scenarios.run_single()  # this process: one device, the same global batch
    results = [scenarios.load(output) for output in outputs]
    for name in scenarios.SCENARIOS:
        for worker in results:
            assert int(worker[name]["replicas"]) == 2
            for key, value in single[name].items():
                np.testing.assert_allclose(
                    worker[name][key], value, rtol=1e-5, atol=1e-6, err_msg=f"{name} {key}"
                )
