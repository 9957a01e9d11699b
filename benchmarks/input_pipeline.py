"""Does the real input pipeline starve the step? Real Fashion-MNIST vs in-memory synthetic data.

One process, one DCGAN-28 model, trained alternately on two sources with the same
`model.fit` call: the real `tf.data` pipeline of `keras_gans.data.load`
(shuffle over the 60k training images, batch, scale to [-1, 1], prefetch) and a
NumPy array of random images already in memory. Each round times one block of
each (from the end of the block's first step, as `benchmarks/speed.py` does);
the result is the median over rounds of real / synthetic step time. Using one
process removes the differences between processes that separate workers show
on a shared machine.

Example:

```
KERAS_BACKEND=tensorflow python -m benchmarks.input_pipeline --rounds 9
```
"""

import argparse
import json
import statistics
import sys
import time


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--output", default=None)
    args = parser.parse_args(argv)

    import keras
    import numpy as np

    from benchmarks.setups import SETUPS
    from benchmarks.setups import build_keras_model
    from keras_gans import data

    setup = SETUPS["dcgan28"]
    keras.utils.set_random_seed(0)
    gan = build_keras_model(setup)
    batch = setup.batch_size
    sources = {
        "real": data.load("fashion_mnist", batch_size=batch, drop_remainder=True, seed=0).repeat(),
        "synthetic": np.random.default_rng(0)
        .uniform(-1, 1, ((args.steps + 1) * batch,) + setup.image_shape)
        .astype("float32"),
    }

    def block(source, steps):
        times = {}

        class Clock(keras.callbacks.Callback):
            async_safe = True

            def on_train_batch_end(self, index, logs=None):
                if index == 0:
                    float(logs["d_loss"])
                    times["start"] = time.perf_counter()

        kwargs = dict(epochs=1, steps_per_epoch=steps + 1, verbose=0, callbacks=[Clock()])
        if isinstance(source, np.ndarray):
            gan.fit(source, batch_size=batch, shuffle=False, **kwargs)
        else:
            gan.fit(source, **kwargs)
        float(keras.ops.convert_to_numpy(gan.loss_trackers[0].result()))
        return (time.perf_counter() - times["start"]) / steps

    for source in sources.values():  # warm-up: tracing, shuffle buffers
        block(source, 2)
    seconds = {name: [] for name in sources}
    for r in range(args.rounds):
        order = list(sources) if r % 2 == 0 else list(sources)[::-1]
        for name in order:
            seconds[name].append(block(sources[name], args.steps))
        print(
            f"round {r + 1}: " + ", ".join(f"{n} {1000 * s[-1]:.0f} ms" for n, s in seconds.items()),
            file=sys.stderr,
            flush=True,
        )
    ratios = [a / b for a, b in zip(seconds["real"], seconds["synthetic"])]
    report = {
        "command": "python -m benchmarks.input_pipeline "
        + " ".join(argv if argv is not None else sys.argv[1:]),
        "backend": keras.backend.backend(),
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "step_ms": {n: 1000 * statistics.median(s) for n, s in seconds.items()},
        "real_over_synthetic": statistics.median(ratios),
        "rounds": {n: s for n, s in seconds.items()},
    }
    print(json.dumps({k: v for k, v in report.items() if k != "rounds"}, indent=1))
    if args.output:
        with open(args.output, "w") as f:
            json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
