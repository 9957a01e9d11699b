"""Where the JAX backend's DCGAN step goes on a CPU: XLA's transposed-convolution gradients.

Times, with `jax.jit` on the running JAX platform, the generator's 7x7 -> 14x14
stride-2 transposed convolution of DCGAN-28 (batch 64, 128 -> 64 channels,
4x4 kernel, `keras.ops.conv_transpose` as `keras.layers.Conv2DTranspose`
calls it): its forward pass, the gradient with respect to its input and the
gradient with respect to its kernel, next to the discriminator's 28x28 -> 14x14
stride-2 convolution (1 -> 64 channels) for scale. Medians of `--repeats` timed
calls after one warm-up call. docs/performance.md quotes the result.

Example:

```
KERAS_BACKEND=jax python -m benchmarks.jax_conv_transpose --repeats 20
```
"""

import argparse
import os
import statistics
import time

os.environ.setdefault("KERAS_BACKEND", "jax")


def _median_ms(fn, args, repeats):
    import jax

    jax.block_until_ready(fn(*args))
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        jax.block_until_ready(fn(*args))
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def _timings(op, x, kernel, repeats):
    import jax
    import jax.numpy as jnp

    def loss(k, inputs):
        return jnp.sum(jnp.square(op(inputs, k)))

    return {
        "forward": _median_ms(jax.jit(op), (x, kernel), repeats),
        "input_gradient": _median_ms(jax.jit(jax.grad(loss, argnums=1)), (kernel, x), repeats),
        "kernel_gradient": _median_ms(jax.jit(jax.grad(loss, argnums=0)), (kernel, x), repeats),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args(argv)
    import jax
    import keras
    import numpy as np

    if keras.backend.backend() != "jax":
        raise SystemExit("Run with KERAS_BACKEND=jax.")
    rng = np.random.default_rng(0)
    n = args.batch_size

    def normal(*shape):
        return jax.numpy.asarray(rng.normal(size=shape).astype("float32"))

    results = {
        "generator Conv2DTranspose 7x7x128 -> 14x14x64": _timings(
            lambda x, k: keras.ops.conv_transpose(x, k, strides=2, padding="same"),
            normal(n, 7, 7, 128),
            normal(4, 4, 64, 128) * 0.02,
            args.repeats,
        ),
        "discriminator Conv2D 28x28x1 -> 14x14x64": _timings(
            lambda x, k: keras.ops.conv(x, k, strides=2, padding="same"),
            normal(n, 28, 28, 1),
            normal(4, 4, 1, 64) * 0.02,
            args.repeats,
        ),
    }
    print(f"JAX {jax.__version__} on {jax.devices()[0].platform}, batch {n}, median ms of {args.repeats}")
    print("| layer | forward | input gradient | kernel gradient |")
    print("|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['forward']:.1f} | {r['input_gradient']:.1f} | {r['kernel_gradient']:.1f} |")


if __name__ == "__main__":
    main()
