"""Runs `distributed_scenarios.py` in subprocesses with bounded time, for the distributed tests."""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SCENARIOS = os.path.join(HERE, "distributed_scenarios.py")
TIMEOUT_S = 240

sys.path.insert(0, HERE)
import distributed_scenarios as scenarios  # noqa: E402


def environment(backend, **extra):
    env = dict(os.environ, KERAS_BACKEND=backend, TF_CPP_MIN_LOG_LEVEL="3")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (REPO, os.environ.get("PYTHONPATH")) if p)
    env.update(extra)
    return env


def start(mode, output, env):
    return subprocess.Popen(
        [sys.executable, SCENARIOS, mode, str(output)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def finish(processes, timeout=TIMEOUT_S):
    """Waits for all processes (killing all on timeout); fails with their output on error."""
    outputs = []
    try:
        for process in processes:
            outputs.append(process.communicate(timeout=timeout)[0])
    except subprocess.TimeoutExpired:
        for process in processes:
            process.kill()
        raise AssertionError(f"distributed run did not finish within {timeout} s")
    for process, output in zip(processes, outputs):
        assert process.returncode == 0, f"exit code {process.returncode}:\n{output[-4000:]}"


def run(mode, output, env):
    finish([start(mode, output, env)])
    return scenarios.load(output)
