"""GPU throughput of keras-gans (JAX and PyTorch backends) in float32 and mixed precision.

Everything is measured in one call, for DCGAN 64x64x3 at batch 256:

1. The chip's matrix rate: TFLOP/s of an 8192^3 matmul in float32 (strict and
   TF32), bfloat16 and float16, with PyTorch (and JAX when installed).
2. FLOPs of one training step (`n_critic` discriminator updates and one
   generator update), counted by `torch.utils.flop_counter.FlopCounterMode` on
   the PyTorch reference, which computes the same networks and updates.
3. For each of the Keras JAX and PyTorch backends and the PyTorch reference, and
   each precision (`float32`, `mixed_bfloat16`, `mixed_float16`): images/s,
   steps/s, achieved TFLOP/s (FLOPs per step x steps/s) and its fraction of the
   matrix rate of the precision's matmul dtype, and peak device memory. Each run
   is a fresh subprocess (a Keras dtype policy and backend are per process).

The GPU machines of this project have JAX and PyTorch but neither TensorFlow nor
Keras: carry the `keras`, `namex` and `optree` wheels (see docs/performance.md).

Example:

```
python -m benchmarks.gpu --output gpu.json              # all backends and precisions
python -m benchmarks.gpu --backends jax --policies mixed_bfloat16 --steps 20
```
"""

import argparse
import json
import os
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
POLICIES = ("float32", "mixed_bfloat16", "mixed_float16")
BACKENDS = ("jax", "torch", "torch-ref")
# The matmul dtype a policy's convolutions and dense layers run in.
MATMUL_DTYPE = {"float32": "tf32", "mixed_bfloat16": "bfloat16", "mixed_float16": "float16"}


def _device():
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


def _synchronize():
    import torch

    if torch.cuda.is_available():
        torch.cuda.synchronize()


def _setup(batch_size):
    from benchmarks.setups import SETUPS

    return SETUPS["dcgan64"].replace(batch_size=batch_size)


# ------------------------------------------------------------ measurements


def matmul_rates(size=8192, repeats=20):
    """TFLOP/s of `size`^3 matmuls on the GPU, per dtype (PyTorch)."""
    import torch

    device = _device()
    if device == "cpu":  # a smoke run without a GPU
        size, repeats = 512, 2

    rates = {}
    for name, dtype, tf32 in (
        ("float32", torch.float32, False),
        ("tf32", torch.float32, True),
        ("bfloat16", torch.bfloat16, False),
        ("float16", torch.float16, False),
    ):
        torch.backends.cuda.matmul.allow_tf32 = tf32
        a = torch.randn(size, size, device=device, dtype=dtype)
        b = torch.randn(size, size, device=device, dtype=dtype)
        for _ in range(3):
            a @ b
        _synchronize()
        start = time.perf_counter()
        for _ in range(repeats):
            a @ b
        _synchronize()
        rates[name] = 2 * size**3 * repeats / (time.perf_counter() - start) / 1e12
    torch.backends.cuda.matmul.allow_tf32 = False
    return rates


def jax_matmul_rates(size=8192, repeats=20):
    """TFLOP/s of `size`^3 matmuls with JAX (default float32 precision, bfloat16, float16)."""
    import jax
    import jax.numpy as jnp

    if jax.default_backend() == "cpu":
        size, repeats = 512, 2
    rates = {}
    for name, dtype in (
        ("float32_default_precision", jnp.float32),
        ("bfloat16", jnp.bfloat16),
        ("float16", jnp.float16),
    ):
        a = jax.random.normal(jax.random.PRNGKey(0), (size, size), dtype)
        b = jax.random.normal(jax.random.PRNGKey(1), (size, size), dtype)
        f = jax.jit(lambda x, y: x @ y)
        f(a, b).block_until_ready()
        start = time.perf_counter()
        for _ in range(repeats):
            out = f(a, b)
        out.block_until_ready()
        rates[name] = 2 * size**3 * repeats / (time.perf_counter() - start) / 1e12
    return rates


def step_flops(batch_size):
    """FLOPs of one training step of the PyTorch reference (forward and backward)."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    from benchmarks.setups import build_reference
    from benchmarks.setups import reference_networks

    setup = _setup(batch_size)
    generator, discriminator = reference_networks(setup)
    trainer = build_reference(setup, generator.to(_device()), discriminator.to(_device()))
    real = torch.rand(batch_size, setup.image_shape[2], *setup.image_shape[:2], device=_device()) * 2 - 1
    counter = FlopCounterMode(display=False)
    with counter:
        trainer.train_step(real)
    return counter.get_total_flops()


# ----------------------------------------------------------------- workers


def worker(backend, policy, batch_size, steps, warmup):
    setup = _setup(batch_size)
    if backend == "torch-ref":
        return _reference_worker(setup, policy, steps, warmup)
    import keras
    import numpy as np

    from benchmarks.setups import build_keras_model

    keras.mixed_precision.set_global_policy(policy)
    keras.utils.set_random_seed(0)
    gan = build_keras_model(setup)
    images = np.random.default_rng(0).uniform(-1, 1, (8 * batch_size,) + setup.image_shape).astype("float32")
    # The same 8 batches, cycled, so the host array stays small.
    pool = np.concatenate([images] * ((steps + 1) // 8 + 1))[: (steps + 1) * batch_size]
    times = {}

    class Clock(keras.callbacks.Callback):
        async_safe = True

        def on_train_batch_end(self, batch, logs=None):
            if batch == 0:
                float(logs["d_loss"])
                times["start"] = time.perf_counter()

    start = time.perf_counter()
    gan.fit(pool[: (warmup + 1) * batch_size], batch_size=batch_size, epochs=1, shuffle=False, verbose=0)
    compile_s = time.perf_counter() - start
    gan.fit(pool, batch_size=batch_size, epochs=1, shuffle=False, verbose=0, callbacks=[Clock()])
    float(keras.ops.convert_to_numpy(gan.loss_trackers[0].result()))
    seconds = time.perf_counter() - times["start"]
    return {
        "seconds": seconds,
        "steps": steps,
        "compile_s": compile_s,
        "jit_compile": bool(gan.jit_compile),
        "peak_memory_gib": _peak_memory(keras.backend.backend()),
        "d_loss": float(keras.ops.convert_to_numpy(gan.loss_trackers[0].result())),
    }


def _reference_worker(setup, policy, steps, warmup):
    import torch

    from benchmarks.setups import build_reference
    from benchmarks.setups import reference_networks

    torch.backends.cudnn.benchmark = True
    autocast = {"float32": None, "mixed_bfloat16": torch.bfloat16, "mixed_float16": torch.float16}[policy]
    device = _device()
    generator, discriminator = reference_networks(setup)
    trainer = build_reference(setup, generator.to(device), discriminator.to(device), autocast_dtype=autocast)
    shape = (8, setup.batch_size, setup.image_shape[2]) + tuple(setup.image_shape[:2])
    batches = torch.rand(shape, device=device) * 2 - 1
    start = time.perf_counter()
    for i in range(warmup + 1):
        logs = trainer.train_step(batches[i % 8])
    float(logs["d_loss"])
    compile_s = time.perf_counter() - start
    start = time.perf_counter()
    for i in range(steps):
        logs = trainer.train_step(batches[i % 8])
    d_loss = float(logs["d_loss"])
    return {
        "seconds": time.perf_counter() - start,
        "steps": steps,
        "compile_s": compile_s,
        "jit_compile": None,
        "peak_memory_gib": _peak_memory("torch"),
        "d_loss": d_loss,
    }


def _peak_memory(backend):
    try:
        if backend == "jax":
            import jax

            return jax.devices()[0].memory_stats()["peak_bytes_in_use"] / 2**30
        import torch

        if not torch.cuda.is_available():
            return None
        return torch.cuda.max_memory_allocated() / 2**30
    except Exception:  # noqa: BLE001 - memory stats are best effort
        return None


def run_worker(backend, policy, args):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [REPO, os.environ.get("PYTHONPATH")])))
    if backend != "torch-ref":
        env["KERAS_BACKEND"] = backend
    command = [
        sys.executable,
        "-m",
        "benchmarks.gpu",
        "--worker",
        backend,
        policy,
        "--batch-size",
        str(args.batch_size),
        "--steps",
        str(args.steps),
        "--warmup",
        str(args.warmup),
    ]
    try:
        result = subprocess.run(
            command, cwd=REPO, env=env, capture_output=True, text=True, timeout=args.timeout
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {args.timeout} s"}
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        return {"error": (result.stderr or result.stdout)[-3000:]}
    return json.loads(lines[-1])


def gpu_name():
    try:
        import torch

        return torch.cuda.get_device_name(0)
    except Exception:  # noqa: BLE001
        return "unknown"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backends", nargs="+", default=list(BACKENDS), choices=BACKENDS)
    parser.add_argument("--policies", nargs="+", default=list(POLICIES), choices=POLICIES)
    parser.add_argument("--batch-size", type=int, default=256)
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--timeout", type=int, default=300, help="seconds per run")
    parser.add_argument("--output", default=None)
    parser.add_argument("--worker", nargs=2, metavar=("BACKEND", "POLICY"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(args.worker[0], args.worker[1], args.batch_size, args.steps, args.warmup)))
        return 0

    report = {
        "command": "python -m benchmarks.gpu " + " ".join(argv if argv is not None else sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "device": gpu_name(),
        "setup": "DCGAN 64x64x3",
        "batch_size": args.batch_size,
        "matmul_tflops": matmul_rates(),
        "step_flops": step_flops(args.batch_size),
        "runs": [],
    }
    try:
        report["jax_matmul_tflops"] = jax_matmul_rates()
    except Exception as error:  # noqa: BLE001 - JAX is optional here
        report["jax_matmul_tflops"] = {"error": str(error)[:300]}
    print(f"{report['device']}: matmul TFLOP/s {report['matmul_tflops']}", file=sys.stderr, flush=True)
    for backend in args.backends:
        for policy in args.policies:
            result = run_worker(backend, policy, args)
            result.update(backend=backend, policy=policy)
            if "seconds" in result:
                steps_per_s = result["steps"] / result["seconds"]
                tflops = report["step_flops"] * steps_per_s / 1e12
                peak = report["matmul_tflops"][MATMUL_DTYPE[policy]]
                result.update(
                    steps_per_s=steps_per_s,
                    images_per_s=steps_per_s * args.batch_size,
                    achieved_tflops=tflops,
                    fraction_of_matmul_rate=tflops / peak,
                )
                print(
                    f"{backend:9s} {policy:15s} {result['images_per_s']:9.0f} images/s "
                    f"{tflops:7.1f} TFLOP/s ({100 * tflops / peak:4.1f}% of {MATMUL_DTYPE[policy]} matmul)",
                    file=sys.stderr,
                    flush=True,
                )
            else:
                print(f"{backend} {policy} failed: {result['error'][-500:]}", file=sys.stderr, flush=True)
            report["runs"].append(result)
            if args.output:
                with open(args.output, "w") as f:
                    json.dump(report, f, indent=1)
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
