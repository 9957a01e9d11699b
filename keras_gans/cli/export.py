"""`keras-gans export`: the generator as a SavedModel for TensorFlow Serving."""

from keras_gans.cli.loading import load_model

# Package-internal: the public API of the CLI is keras_gans.cli (main, build_parser).
__all__ = []


def command_export(args):
    """Exports MODEL's generator to PATH/VERSION (`keras_gans.export.export_generator`)."""
    from keras_gans import export

    model = load_model(args.model)
    path = export.export_generator(
        model, args.path, version=args.version, uint8=args.uint8, overwrite=args.overwrite
    )
    inputs = f"z float32 [None, {model.latent_dim}]" + (
        ", labels int32 [None]" if model.num_classes is not None else ""
    )
    dtype = "uint8" if args.uint8 else "float32"
    print(
        f"Exported {path}: serving_default({inputs}) -> images {dtype} [None, "
        f"{', '.join(str(d) for d in model.image_shape)}]"
    )
    return 0
