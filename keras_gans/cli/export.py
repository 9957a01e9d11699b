"""`keras-gans export`: the generator as a SavedModel (TF Serving), a LiteRT file or an ONNX file."""

from keras_gans.cli.errors import UsageError
from keras_gans.cli.loading import load_model

# Package-internal: the public API of the CLI is keras_gans.cli (main, build_parser).
__all__ = []


def _check_export_options(args):
    """The option combinations `export_generator` refuses, named as options (before MODEL is read)."""
    if args.format == "saved_model" and args.quantization is not None:
        raise UsageError(
            "--quantization applies to --format tflite and onnx; a SavedModel keeps float32 weights. "
            f"Received: --format={args.format}, --quantization={args.quantization}"
        )
    if args.format != "saved_model" and args.version is not None:
        raise UsageError(
            "--version applies to --format saved_model (TensorFlow Serving's PATH/VERSION layout); a "
            f"{args.format} export is one file. Received: --format={args.format}, --version={args.version}"
        )
    suffix = {"tflite": ".tflite", "onnx": ".onnx"}.get(args.format)
    if suffix is not None and not str(args.path).endswith(suffix):
        raise UsageError(
            f"A --format {args.format} export is one file whose name ends with {suffix}. "
            f"Received: PATH={args.path}"
        )


def command_export(args):
    """Exports MODEL's generator (`keras_gans.export.export_generator`) and prints its signature."""
    from keras_gans import export

    _check_export_options(args)
    model = load_model(args.model)
    path = export.export_generator(
        model,
        args.path,
        format=args.format,
        quantization=args.quantization,
        version=args.version,
        uint8=args.uint8,
        overwrite=args.overwrite,
    )
    signature = export.serving_signature(model)
    dtype = "uint8" if args.uint8 else "float32"
    shape = ", ".join(str(d) for d in model.image_shape)
    what = args.format + (f", {args.quantization}" if args.quantization else "")
    print(
        f"Exported {path} ({what}): serving_default({signature.describe()}) -> images {dtype} [None, {shape}]"
    )
    return 0
