"""`keras-gans sample`: a PNG grid of samples."""

from keras_gans.cli.errors import CommandLineError
from keras_gans.cli.loading import load_model
from keras_gans.cli.loading import parse_labels

# Package-internal: the public API of the CLI is keras_gans.cli (main, build_parser).
__all__ = []


def command_sample(args):
    """Writes `--num-samples` samples (NumPy latent seed `--seed`) to the `--output` PNG."""
    from keras_gans import presets

    if not args.output.lower().endswith(".png"):
        raise CommandLineError(f"--output must name a .png file. Received: --output={args.output}")
    model = load_model(args.model)
    labels = parse_labels(args.labels, model, args.num_samples)
    picture = presets.write_sample_grid(
        model, args.output, num_samples=args.num_samples, seed=args.seed, labels=labels
    )
    print(f"Wrote {args.output} ({args.num_samples} samples, {picture.shape[1]}x{picture.shape[0]} pixels)")
    return 0
