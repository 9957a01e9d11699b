"""`keras-gans`: train, sample, evaluate, export, report on and tune GANs from the command line.

```
keras-gans list
keras-gans train gan --dataset ring --output runs/demo
keras-gans train recipes/dcgan_fashion_mnist.json --output runs/dcgan
keras-gans train gan --dataset path/to/my_images --image-size 64 --output runs/mine
keras-gans train --from-preset dcgan_fashion_mnist --dataset path/to/shoes \
    --freeze-discriminator-layers 2 --epochs 20 --output runs/shoes
keras-gans train --resume --epochs 120 --output runs/demo
keras-gans report runs/demo
keras-gans sample dcgan_fashion_mnist --output samples.png
keras-gans translate runs/srgan/checkpoint.keras low.png high.png
keras-gans evaluate dcgan_fashion_mnist --dataset fashion_mnist --num-samples 10000
keras-gans export dcgan_fashion_mnist serving/dcgan --version 1
keras-gans export dcgan_fashion_mnist dcgan_int8.tflite --format tflite --quantization int8
keras-gans tune benchmarks/tuning/gan_ring_search.json --output runs/tuning/ring
```

A MODEL argument is a zoo preset name, a preset folder or a saved `.keras` file.
Every option is checked before anything is written. Errors (unknown names,
unreadable files, wrong shapes, missing data) print one line on stderr and exit
with a non-zero status; `--traceback` shows the full Python traceback instead.
One module per subcommand (`listing`, `train`, `sample`, `translate`, `evaluate`, `export`,
`report`, `tune`); the library code they call is `keras_gans.recipes`,
`keras_gans.presets`, `keras_gans.callbacks.training_callbacks`,
`keras_gans.report`, `keras_gans.export`, `keras_gans.tuning` and
`keras_gans.metrics.evaluate_model`. `freeze_discriminator_layers` (FreezeD, what
`train --freeze-discriminator-layers` does) works on any model in Python too.
See docs/cli.md.
"""

from keras_gans.cli.errors import CommandLineError
from keras_gans.cli.errors import UsageError
from keras_gans.cli.fine_tuning import freeze_discriminator_layers
from keras_gans.cli.fine_tuning import weighted_layers
from keras_gans.cli.parser import PROG
from keras_gans.cli.parser import build_parser
from keras_gans.cli.parser import main

__all__ = [
    "PROG",
    "CommandLineError",
    "UsageError",
    "build_parser",
    "freeze_discriminator_layers",
    "main",
    "weighted_layers",
]
