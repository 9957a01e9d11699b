"""Training speed of keras-gans on each Keras backend, paired with a plain PyTorch reference.

For every setup (`benchmarks/setups.py`: DCGAN 28x28 and 64x64, WGAN-GP with
n_critic 5, SNGAN, and the image-to-image zoo recipes Pix2Pix, CycleGAN and
SRGAN on Fashion-MNIST pairs) one worker process per "side" builds the model and warms it
up (tracing, XLA compilation): the PyTorch reference (`torch-ref`), keras-gans
on TensorFlow with the default `compile()` (`tensorflow`; on a CPU-only machine
that is a `tf.function` graph without XLA), TensorFlow with
`jit_compile=True` (`tensorflow-xla`), JAX (`jax`) and PyTorch (`torch`), and
for DCGAN-28 keras-gans on TensorFlow fed by the real Fashion-MNIST `tf.data`
pipeline of `keras_gans.data.load` (`tensorflow-real`) instead of in-memory
arrays. The workers then time blocks of `steps` training steps in turn,
rotating the order every round, so every side sees the same machine load
(paired, interleaved runs). Reported: median steps/s and images/s over the
rounds, the median of the per-round ratios to the reference (the
setups that have one: not CycleGAN and SRGAN), and each worker's
peak resident memory (VmHWM, the whole process: framework, data and compiled
code). Finally one worker per side holding both DCGAN-28 and WGAN-GP times the
two back to back for the WGAN-GP / DCGAN step-cost ratio.

Workers run with `OMP_WAIT_POLICY=PASSIVE` (unless set): on a loaded machine,
OpenMP threads spinning at barriers made PyTorch up to 10x slower.

A Keras block is `model.fit(data, steps_per_epoch=steps + 1)` timed from the
end of its first batch (after a sync) to `fit`'s return (after a sync): the
steady-state step time of `fit`, input pipeline included. A reference block is
one step, a sync, then `steps` timed steps and a sync.

Example:

```
python -m benchmarks.speed --rounds 7 --output runs/speed.json
python -m benchmarks.speed --setups dcgan28 --sides torch-ref tensorflow --rounds 3 --cost-ratio-rounds 0
python -m benchmarks.speed --setups pix2pix28 cyclegan28 srgan28 --rounds 5 --cost-ratio-rounds 0
```
"""

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# side -> (KERAS_BACKEND, jit_compile, data)
SIDES = {
    "torch-ref": (None, None, "synthetic"),
    "tensorflow": ("tensorflow", "auto", "synthetic"),
    "tensorflow-graph": ("tensorflow", False, "synthetic"),
    "tensorflow-xla": ("tensorflow", True, "synthetic"),
    "tensorflow-real": ("tensorflow", "auto", "real"),
    "jax": ("jax", "auto", "synthetic"),
    "torch": ("torch", "auto", "synthetic"),
}
DEFAULT_SIDES = ("torch-ref", "tensorflow", "tensorflow-xla", "jax", "torch")
# Steps per timed block (about 1-3 s each on a 2-core CPU).
DEFAULT_STEPS = {
    "dcgan28": 10,
    "dcgan64": 3,
    "wgangp28": 3,
    "sngan32": 3,
    "pix2pix28": 10,
    "cyclegan28": 10,
    "srgan28": 5,
}


# ---------------------------------------------------------------- workers


def peak_rss_mb():
    """Peak resident set size of this process in MiB (VmHWM)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def _synthetic_images(setup, n, seed=0):
    import numpy as np

    rng = np.random.default_rng(seed)
    return rng.uniform(-1.0, 1.0, size=(n,) + tuple(setup.image_shape)).astype("float32")


def _training_arrays(setup, steps):
    """The in-memory training data of a setup: `(images,)` or `(inputs, targets)` / `(domain_a, domain_b)`."""
    from benchmarks.setups import TranslatorSetup

    if isinstance(setup, TranslatorSetup):
        return setup.training_data()
    # Enough distinct batches for the longest block.
    return (_synthetic_images(setup, (steps + 1) * setup.batch_size),)


class ReferenceWorker:
    """Times the PyTorch reference on in-memory batches."""

    def __init__(self, setup, steps):
        import torch

        from benchmarks.setups import build_reference

        torch.manual_seed(0)
        self.torch = torch
        self.trainer = build_reference(setup)
        arrays = [a[: 8 * setup.batch_size].transpose(0, 3, 1, 2) for a in _training_arrays(setup, 8)]
        # One tuple of tensors per batch: (real,) or (inputs, targets).
        self.batches = list(zip(*(torch.from_numpy(a.copy()).split(setup.batch_size) for a in arrays)))
        self.index = 0
        self.block(2)  # warm-up

    def _step(self):
        batch = self.batches[self.index % len(self.batches)]
        self.index += 1
        return self.trainer.train_step(*batch)

    def block(self, steps):
        float(self._step()["d_loss"])
        start = time.perf_counter()
        for _ in range(steps):
            logs = self._step()
        float(logs["d_loss"])  # sync
        return time.perf_counter() - start


class KerasWorker:
    """Times `model.fit` of a keras-gans model on the running Keras backend."""

    def __init__(self, setup, steps, jit_compile, data):
        import keras

        from benchmarks.setups import build_keras_model

        keras.utils.set_random_seed(0)
        self.keras = keras
        self.gan = build_keras_model(setup, jit_compile=jit_compile)
        self.batch_size = setup.batch_size
        if data == "real":
            from keras_gans import data as gan_data

            self.data = gan_data.load(
                "fashion_mnist", batch_size=setup.batch_size, drop_remainder=True, seed=0
            ).repeat()
        else:
            self.data = _training_arrays(setup, steps)
        self.block(min(steps, 2))  # warm-up: tracing and compilation
        self.block(min(steps, 2))

    def _sync(self):
        return float(self.keras.ops.convert_to_numpy(self.gan.loss_trackers[0].result()))

    def block(self, steps):
        times = {}
        sync = self._sync

        class Clock(self.keras.callbacks.Callback):
            # Keras converts the logs to Python floats (a sync) before calling
            # this, in its callback thread, so the main loop is not held up.
            async_safe = True

            def on_train_batch_end(self, batch, logs=None):
                if batch == 0:
                    float(next(iter(logs.values())))
                    times["start"] = time.perf_counter()

        kwargs = dict(epochs=1, steps_per_epoch=steps + 1, verbose=0, callbacks=[Clock()])
        if hasattr(self.data, "element_spec"):  # a tf.data.Dataset
            self.gan.fit(self.data, **kwargs)
        else:
            self.gan.fit(*self.data, batch_size=self.batch_size, shuffle=False, **kwargs)
        sync()
        return time.perf_counter() - times["start"]


def worker_main(args):
    from benchmarks.setups import SETUPS

    backend, jit_compile, data = SIDES[args.side]
    if backend is None:
        import torch  # noqa: F401 - the framework's own memory, measured below
    else:
        import keras  # noqa: F401
    framework_rss = peak_rss_mb()
    start = time.perf_counter()
    workers, resolved = {}, None
    for name in args.setup.split(","):
        if backend is None:
            workers[name] = ReferenceWorker(SETUPS[name], args.steps)
        else:
            workers[name] = KerasWorker(SETUPS[name], args.steps, jit_compile, data)
            resolved = bool(workers[name].gan.jit_compile)
    _send(
        {
            "ready": True,
            "warmup_s": time.perf_counter() - start,
            "jit_compile": resolved,
            "framework_rss_mb": framework_rss,
        }
    )
    for line in sys.stdin:
        command = line.split()
        if not command or command[0] == "quit":
            break
        if command[0] == "block":  # block SETUP STEPS
            _send({"seconds": workers[command[1]].block(int(command[2]))})
        elif command[0] == "memory":
            _send({"peak_rss_mb": peak_rss_mb()})


# ------------------------------------------------------------------ driver


class Worker:
    """A worker subprocess, driven line by line."""

    def __init__(self, setup, side, steps, threads):
        backend = SIDES[side][0]
        env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=REPO)
        # OpenMP threads that sleep instead of spinning at barriers: on a
        # shared machine, spinning PyTorch threads waiting for a descheduled
        # peer made the reference up to 10x slower.
        env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        if backend:
            env["KERAS_BACKEND"] = backend
        if threads:
            env["OMP_NUM_THREADS"] = str(threads)
        self.side = side
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "benchmarks.speed",
                "--worker",
                "--setup",
                setup,
                "--side",
                side,
                "--steps",
                str(steps),
            ],
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.info = self._receive()

    def _receive(self):
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"worker {self.side} exited with {self.process.wait()}")
            if line.startswith("{"):
                return json.loads(line)

    def ask(self, command):
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self._receive()

    def close(self):
        try:
            self.process.stdin.write("quit\n")
            self.process.stdin.flush()
        except BrokenPipeError:
            pass
        self.process.wait(timeout=60)


def machine_description():
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor()
    return f"{os.cpu_count()} CPU cores ({model}), {platform.system()} {platform.release()}"


def versions():
    from importlib import metadata

    out = {"python": platform.python_version()}
    for package in ("keras", "tensorflow", "tensorflow-cpu", "jax", "jaxlib", "torch", "numpy"):
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    return out


def benchmark_setup(name, sides, rounds, steps, threads, log):
    from benchmarks.setups import SETUPS

    setup = SETUPS[name]
    workers = []
    try:
        for side in sides:
            log(f"[{name}] starting {side} ...")
            worker = Worker(name, side, steps, threads)
            log(
                f"[{name}] {side} ready in {worker.info['warmup_s']:.1f} s "
                f"(jit_compile={worker.info['jit_compile']})"
            )
            workers.append(worker)
        seconds = {w.side: [] for w in workers}
        for r in range(rounds):
            order = workers[r % len(workers) :] + workers[: r % len(workers)]
            for worker in order:
                seconds[worker.side].append(worker.ask(f"block {name} {steps}")["seconds"])
            log(
                f"[{name}] round {r + 1}/{rounds}: "
                + ", ".join(f"{s} {steps / seconds[s][-1]:.2f}/s" for s in seconds)
            )
        memory = {w.side: w.ask("memory")["peak_rss_mb"] for w in workers}
    finally:
        for worker in workers:
            worker.close()
    results = {}
    reference = seconds.get("torch-ref")
    for worker in workers:
        side = worker.side
        rates = [steps / s for s in seconds[side]]
        entry = {
            "steps_per_s": statistics.median(rates),
            "images_per_s": statistics.median(rates) * setup.batch_size,
            "step_ms": 1000.0 * statistics.median(seconds[side]) / steps,
            "peak_rss_mb": memory[side],
            "framework_rss_mb": worker.info["framework_rss_mb"],
            "warmup_s": worker.info["warmup_s"],
            "jit_compile": worker.info["jit_compile"],
            "seconds": seconds[side],
        }
        if reference:
            # Paired: the ratio of each round, then the median.
            entry["speed_vs_reference"] = statistics.median(
                ref / own for ref, own in zip(reference, seconds[side])
            )
        results[side] = entry
    return {
        "setup": name,
        "title": setup.title,
        "batch_size": setup.batch_size,
        "steps_per_block": steps,
        "rounds": rounds,
        "sides": results,
    }


def benchmark_cost_ratio(sides, rounds, steps, threads, log):
    """WGAN-GP (n_critic 5) step time over DCGAN-28 step time, paired in one worker per side.

    Each worker holds both models; every round times a DCGAN block and a WGAN-GP
    block back to back, and the ratio of that round's per-step times is taken.
    """
    dcgan_steps, wgan_steps = steps
    workers = []
    try:
        for side in sides:
            log(f"[wgangp28/dcgan28] starting {side} ...")
            workers.append(Worker("dcgan28,wgangp28", side, max(steps), threads))
        ratios = {w.side: [] for w in workers}
        for r in range(rounds):
            order = workers[r % len(workers) :] + workers[: r % len(workers)]
            for worker in order:
                dcgan = worker.ask(f"block dcgan28 {dcgan_steps}")["seconds"] / dcgan_steps
                wgan = worker.ask(f"block wgangp28 {wgan_steps}")["seconds"] / wgan_steps
                ratios[worker.side].append(wgan / dcgan)
            log(
                f"[wgangp28/dcgan28] round {r + 1}/{rounds}: "
                + ", ".join(f"{s} {v[-1]:.2f}" for s, v in ratios.items())
            )
    finally:
        for worker in workers:
            worker.close()
    return {side: {"median": statistics.median(v), "rounds": v} for side, v in ratios.items()}


def markdown(report):
    lines = [
        "| setup | side | jit | steps/s | images/s | ms/step | vs torch-ref | peak RSS MiB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for entry in report["results"]:
        for side, r in entry["sides"].items():
            ratio = r.get("speed_vs_reference")
            lines.append(
                f"| {entry['title']} (batch {entry['batch_size']}) | {side} | "
                f"{'' if r['jit_compile'] is None else r['jit_compile']} | {r['steps_per_s']:.2f} | "
                f"{r['images_per_s']:.0f} | {r['step_ms']:.0f} | "
                f"{'' if ratio is None else f'{ratio:.2f}x'} | {r['peak_rss_mb']:.0f} |"
            )
    return "\n".join(lines)


def derived_ratios(report):
    """WGAN-GP step cost over a DCGAN-28 step (per side), real over synthetic data."""
    by_setup = {e["setup"]: e["sides"] for e in report["results"]}
    out = {}
    for side, r in report.get("cost_ratio", {}).items():
        out[f"WGAN-GP (n_critic 5) / DCGAN-28 step time, {side} (paired median)"] = r["median"]
    dcgan = by_setup.get("dcgan28", {})
    if "tensorflow-real" in dcgan and "tensorflow" in dcgan:
        real, synthetic = dcgan["tensorflow-real"]["seconds"], dcgan["tensorflow"]["seconds"]
        out["real/synthetic data step time, tensorflow (paired median)"] = statistics.median(
            a / b for a, b in zip(real, synthetic)
        )
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--setups", nargs="+", default=list(DEFAULT_STEPS), choices=list(DEFAULT_STEPS))
    parser.add_argument(
        "--sides",
        nargs="+",
        default=None,
        choices=sorted(SIDES),
        help="default: torch-ref tensorflow tensorflow-xla jax torch (+ tensorflow-real for dcgan28)",
    )
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--steps", type=int, default=None, help="steps per timed block (per-setup default)")
    parser.add_argument("--threads", type=int, default=None, help="OMP_NUM_THREADS for the workers")
    parser.add_argument("--output", default=None, help="write the JSON report here")
    parser.add_argument(
        "--cost-ratio-rounds",
        type=int,
        default=5,
        help="rounds of the paired WGAN-GP/DCGAN step-cost measurement (0: skip)",
    )
    # Worker mode (internal).
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--setup", help=argparse.SUPPRESS)
    parser.add_argument("--side", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker_main(args)

    def log(message):
        print(message, file=sys.stderr, flush=True)

    report = {
        "command": "python -m benchmarks.speed " + " ".join(argv if argv is not None else sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "machine": machine_description(),
        "load_average_at_start": os.getloadavg(),
        "versions": versions(),
        "results": [],
    }
    from benchmarks.setups import SETUPS

    for name in args.setups:
        sides = list(args.sides or DEFAULT_SIDES)
        if args.sides is None and name == "dcgan28":
            sides.append("tensorflow-real")
        if not getattr(SETUPS[name], "has_reference", True):
            sides = [s for s in sides if s != "torch-ref"]
        steps = args.steps or DEFAULT_STEPS[name]
        report["results"].append(benchmark_setup(name, sides, args.rounds, steps, args.threads, log))
        if args.output:  # keep partial results
            _write(args.output, report)
    if args.cost_ratio_rounds:
        sides = [s for s in (args.sides or DEFAULT_SIDES) if s != "tensorflow-real"]
        report["cost_ratio"] = benchmark_cost_ratio(sides, args.cost_ratio_rounds, (10, 2), args.threads, log)
        if args.output:
            _write(args.output, report)
    report["load_average_at_end"] = os.getloadavg()
    report["derived"] = derived_ratios(report)
    if args.output:
        _write(args.output, report)
    print(markdown(report))
    for key, value in report["derived"].items():
        print(f"- {key}: {value:.2f}")
    return 0


def _write(path, report):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as f:
        json.dump(report, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
