"""`keras-gans`: train, sample, evaluate and export GANs from the command line.

```
keras-gans list
keras-gans train gan --dataset ring --output runs/demo
keras-gans train recipes/dcgan_fashion_mnist.json --output runs/dcgan
keras-gans train --resume --epochs 120 --output runs/demo
keras-gans sample dcgan_fashion_mnist --output samples.png
keras-gans evaluate dcgan_fashion_mnist --dataset fashion_mnist --num-samples 10000
keras-gans export dcgan_fashion_mnist serving/dcgan --version 1
```

A MODEL argument is a zoo preset name, a preset folder or a saved `.keras` file.
Every option is checked before anything is written. Errors (unknown names,
unreadable files, wrong shapes, missing data) print one line on stderr and exit
with a non-zero status; `--traceback` shows the full Python traceback instead.
One module per subcommand (`listing`, `train`, `sample`, `evaluate`, `export`);
the library code they call is `keras_gans.recipes`, `keras_gans.presets` and
`keras_gans.metrics.evaluate_model`. See docs/cli.md.
"""

from keras_gans.cli.errors import CommandLineError
from keras_gans.cli.errors import UsageError
from keras_gans.cli.parser import PROG
from keras_gans.cli.parser import build_parser
from keras_gans.cli.parser import main

__all__ = ["PROG", "CommandLineError", "UsageError", "build_parser", "main"]
