"""A colour example: x4 super-resolution of photographs that scikit-image ships.

Patches of 32x32 are cut with a stride of 8 from the left three quarters of the
columns of each photograph (`keras_gans.data.scikit_image_patches`, split
"train"); the test patches (stride 32, no overlap) come from the right quarter,
which no training patch touches. SRGAN (pixel MSE + 1e-3 x adversarial: no VGG
weights can be downloaded here, and the domain classifier is a Fashion-MNIST
one) and the same generator trained on pixel MSE alone learn 8x8 -> 32x32; both
are measured against bicubic upsampling (PSNR, SSIM) on the test patches. One
JSON line goes to `--results`, a figure (rows: input enlarged by pixel
repetition, bicubic, SRResNet-MSE, SRGAN, target) to `--figure`.

Usage (about 10 minutes on a 2-core CPU):

    KERAS_BACKEND=tensorflow python scripts/image_to_image/colour_example.py \
        --results benchmarks/results/image_to_image/colour_super_resolution.jsonl \
        --figure docs/images/image_to_image/srgan_colour_x4.png
"""

import argparse
import json
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tasks  # noqa: E402

IMAGES = ("astronaut", "chelsea", "coffee", "rocket")
PATCH, SCALE = 32, 4


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--results")
    parser.add_argument("--figure")
    return parser.parse_args(argv)


def patches(split, stride):
    from keras_gans import data

    return np.concatenate([data.scikit_image_patches(n, PATCH, stride=stride, split=split) for n in IMAGES])


def build(seed, adversarial):
    import keras

    from keras_gans import models
    from keras_gans import networks

    keras.utils.set_random_seed(seed)
    generator = networks.srgan_generator(
        input_shape=(PATCH // SCALE, PATCH // SCALE, 3), scale=SCALE, filters=32, num_residual_blocks=6
    )
    adam = {"class_name": "Adam", "config": {"learning_rate": 1e-3, "beta_1": 0.9}}
    if not adversarial:
        generator.compile(optimizer=keras.optimizers.get(adam), loss="mse")
        return generator
    discriminator = networks.srgan_discriminator(image_shape=(PATCH, PATCH, 3), filters=16, dense_units=64)
    model = models.SRGAN(generator=generator, discriminator=discriminator, adversarial_weight=1e-3, seed=seed)
    model.compile(g_optimizer=keras.optimizers.get(adam), d_optimizer=keras.optimizers.get(adam))
    return model


def scores(targets, outputs):
    import keras

    from keras_gans import metrics

    def mean(values):
        return float(np.mean(keras.ops.convert_to_numpy(values)))

    return {
        "psnr": mean(metrics.peak_signal_noise_ratio(targets, outputs)),
        "ssim": mean(metrics.structural_similarity(targets, outputs)),
    }


def main(argv=None):
    args = parse_args(argv)
    import keras

    from keras_gans import data
    from keras_gans import metrics

    low, high = data.super_resolution_pairs(patches("train", 8), SCALE)
    test_low, test_high = data.super_resolution_pairs(patches("test", PATCH), SCALE)
    bicubic = np.clip(keras.ops.convert_to_numpy(metrics.bicubic_upsample(test_low, SCALE)), -1, 1)
    results = {"bicubic": scores(test_high, bicubic)}
    outputs, seconds = {}, {}
    for name, adversarial in (("srresnet_mse", False), ("srgan", True)):
        model = build(args.seed, adversarial)
        start = time.time()
        fit_kwargs = {} if adversarial else {"shuffle": True}
        model.fit(low, high, batch_size=args.batch_size, epochs=args.epochs, verbose=2, **fit_kwargs)
        seconds[name] = round(time.time() - start, 1)
        outputs[name] = metrics.translate_images(model, test_low)
        results[name] = scores(test_high, outputs[name])
        results[name]["psnr_over_bicubic_db"] = results[name]["psnr"] - results["bicubic"]["psnr"]
    line = {
        "task": "colour super-resolution x4 (8x8 -> 32x32), scikit-image photographs " + ", ".join(IMAGES),
        "train_patches": len(high),
        "test_patches": len(test_high),
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "results": {k: {m: round(v, 4) for m, v in r.items()} for k, r in results.items()},
        "train_seconds": seconds,
        "command": f"KERAS_BACKEND={keras.backend.backend()} python " + " ".join(sys.argv),
        "backend": keras.backend.backend(),
        "keras_version": keras.__version__,
        "machine": tasks.machine(),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    print(json.dumps(line, indent=2))
    if args.results:
        os.makedirs(os.path.dirname(os.path.abspath(args.results)), exist_ok=True)
        with open(args.results, "a") as f:
            f.write(json.dumps(line) + "\n")
    if args.figure:
        from PIL import Image

        from keras_gans.callbacks import image_grid

        shown = slice(8, 16)  # eight test patches
        rows = [
            np.repeat(np.repeat(test_low[shown], SCALE, axis=1), SCALE, axis=2),
            bicubic[shown],
            outputs["srresnet_mse"][shown],
            outputs["srgan"][shown],
            test_high[shown],
        ]
        picture = image_grid(np.concatenate(rows), num_rows=len(rows))
        os.makedirs(os.path.dirname(os.path.abspath(args.figure)), exist_ok=True)
        Image.fromarray(picture).save(args.figure)
    return 0


if __name__ == "__main__":
    sys.exit(main())
