"""Export benchmark: size, load time, latency and fidelity of every export format.

For a zoo preset, exports the generator as a SavedModel and as LiteRT
(float32, float16, int8) and ONNX (float32, float16, int8) files with
`keras_gans.export.export_generators`, then measures for each, and for the
Keras generator itself (`model.generate`):

- the file size (all files of a SavedModel folder);
- the load time up to the first image: `keras_gans.presets.from_preset` and
  one `generate(1)` for Keras, `keras_gans.export.load_exported` and one call
  on a batch of 1 for the exports (LiteRT allocates its tensors on the first
  call), best of up to 5 loads;
- the latency per batch size: the median over `--repeats` timed calls after
  one warm-up call, for each `--batch-sizes`;
- the maximum absolute difference from the Keras generator's output on the
  same 256 NumPy latents (seed 0);
- the domain-FID (`keras_gans.metrics.DomainFeatures`) of `--fid-samples`
  samples against as many Fashion-MNIST test images, for 28x28x1 presets.

    python benchmarks/export.py                      # full: batch 1..256, 10,000 FID samples
    python benchmarks/export.py --light              # a quick check: batch 1 and 16, 1,000 samples

Prints a Markdown table (the one in docs/serving.md) and writes the numbers to
`--output` (JSON). Runtimes use `--threads` CPU threads (default: all cores).
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

EXPORTS = [
    ("SavedModel", "saved_model", None, "saved_model"),
    ("LiteRT float32", "tflite", None, "float32.tflite"),
    ("LiteRT float16", "tflite", "float16", "float16.tflite"),
    ("LiteRT int8", "tflite", "int8", "int8.tflite"),
    ("ONNX float32", "onnx", None, "float32.onnx"),
    ("ONNX float16", "onnx", "float16", "float16.onnx"),
    ("ONNX int8", "onnx", "int8", "int8.onnx"),
]


def size_of(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(root, f)) for root, _, files in os.walk(path) for f in files)


def latent_inputs(model, n, seed):
    from keras_gans import presets

    inputs = {"z": presets.latent_noise(n, model.latent_dim, seed)}
    if model.num_classes is not None:
        inputs["labels"] = (np.arange(n) % model.num_classes).astype("int32")
    return inputs


def keras_outputs(model, inputs, seed, batch_size=500):
    """The Keras generator on `latent_inputs(model, n, seed)` (the same NumPy latents)."""
    from keras_gans import presets

    return presets.generate_samples(
        model, len(inputs["z"]), seed=seed, labels=inputs.get("labels"), batch_size=batch_size
    )


def timed(function, repeats):
    function()  # warm-up (graph tracing, allocation)
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def batched(function, inputs, batch_size=500):
    n = len(inputs["z"])
    return np.concatenate(
        [function(**{k: v[i : i + batch_size] for k, v in inputs.items()}) for i in range(0, n, batch_size)]
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="dcgan_fashion_mnist")
    parser.add_argument("--batch-sizes", default="1,16,64,256")
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--fid-samples", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--light", action="store_true", help="batch 1 and 16, 3 repeats, 1,000 FID samples")
    parser.add_argument("--output", default=None, help="JSON file for the numbers")
    parser.add_argument(
        "--folder", default=None, help="where to write the exports (default: a temporary one)"
    )
    args = parser.parse_args(argv)
    if args.light:
        args.batch_sizes, args.repeats, args.fid_samples = "1,16", 3, 1000
    batch_sizes = [int(b) for b in args.batch_sizes.split(",")]

    import keras

    from keras_gans import export
    from keras_gans import presets

    start = time.perf_counter()
    model = presets.from_preset(args.preset)
    model.generate(1, seed=0)
    keras_load = time.perf_counter() - start
    folder = args.folder or tempfile.mkdtemp(prefix="keras_gans_export_benchmark_")
    start = time.perf_counter()
    paths = export.export_generators(
        model,
        [
            {"path": os.path.join(folder, name), "format": fmt, "quantization": q}
            for _, fmt, q, name in EXPORTS
        ],
        overwrite=True,
    )
    export_seconds = time.perf_counter() - start

    reference_inputs = latent_inputs(model, 256, seed=0)
    reference = keras_outputs(model, reference_inputs, seed=0)
    fid = None
    if tuple(model.image_shape) == (28, 28, 1) and args.fid_samples:
        from keras_gans import data
        from keras_gans import metrics

        extractor = metrics.DomainFeatures()
        real = metrics.extract_features(
            data.load_numpy("fashion_mnist", "test", num_examples=args.fid_samples), extractor
        )
        fid_inputs = latent_inputs(model, args.fid_samples, seed=1)

        def fid(images):
            fake = metrics.extract_features(images, extractor)
            return metrics.compare_features(real, fake, ("fid",))["fid"]

    rows = []
    keras_row = {
        "name": "Keras generate",
        "size": size_of(presets.preset_file(args.preset, "model.weights.h5")),
        "load": keras_load,
        "max_diff": 0.0,
        "latency": {},
    }
    for batch in batch_sizes:
        keras_row["latency"][batch] = timed(
            lambda b=batch: model.generate(b, seed=0, batch_size=b), args.repeats
        )
    if fid:
        keras_row["fid"] = fid(keras_outputs(model, fid_inputs, seed=1))
    rows.append(keras_row)
    for (name, _, _, _), path in zip(EXPORTS, paths):
        loads = []
        first = latent_inputs(model, 1, seed=3)
        for _ in range(max(1, min(args.repeats, 5))):
            start = time.perf_counter()
            exported = export.load_exported(path, num_threads=args.threads)
            exported(**first)
            loads.append(time.perf_counter() - start)
        row = {"name": name, "size": size_of(path), "load": min(loads), "latency": {}}
        row["max_diff"] = float(np.abs(batched(exported, reference_inputs) - reference).max())
        for batch in batch_sizes:
            inputs = latent_inputs(model, batch, seed=2)
            row["latency"][batch] = timed(lambda i=inputs: exported(**i), args.repeats)
        if fid:
            row["fid"] = fid(batched(exported, fid_inputs))
        rows.append(row)

    header = "| | size | load | " + " | ".join(f"batch {b}" for b in batch_sizes) + " | max abs diff |"
    header += " domain-FID |" if fid else ""
    lines = [header, "|" + " --- |" * (header.count("|") - 1)]
    for row in rows:
        cells = [row["name"], f"{row['size'] / 1e6:.2f} MB", f"{row['load'] * 1000:.0f} ms"]
        cells += [f"{row['latency'][b] * 1000:.2f} ms" for b in batch_sizes]
        cells.append(f"{row['max_diff']:.1e}" if row["max_diff"] else "0")
        if fid:
            cells.append(f"{row['fid']:.3f}")
        lines.append("| " + " | ".join(cells) + " |")
    machine = f"{platform.machine()}, {os.cpu_count()} CPU cores, Python {platform.python_version()}"
    print(
        f"Preset {args.preset}; exports written in {export_seconds:.1f} s (backend {keras.backend.backend()})"
    )
    print(f"Machine: {machine}; runtime threads: {args.threads}; median of {args.repeats} calls")
    print("\n".join(lines))
    if args.output:
        with open(args.output, "w") as f:
            json.dump(
                {
                    "preset": args.preset,
                    "machine": machine,
                    "threads": args.threads,
                    "repeats": args.repeats,
                    "fid_samples": args.fid_samples if fid else None,
                    "export_seconds": export_seconds,
                    "rows": rows,
                    "table": lines,
                    "command": " ".join(sys.argv),
                },
                f,
                indent=2,
            )
            f.write("\n")


if __name__ == "__main__":
    main()
