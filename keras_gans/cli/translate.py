"""`keras-gans translate`: one image file through an image-to-image model."""

import os

from keras_gans.cli.errors import CommandLineError
from keras_gans.cli.loading import load_model

# Package-internal: the public API of the CLI is keras_gans.cli (main, build_parser).
__all__ = []


def command_translate(args):
    """Translates the image file `input` with MODEL into `output` (`translate_file`).

    An existing `output` is kept unless `--overwrite` is given; the new image
    is written next to it first and then moved into place.
    """
    from keras_gans.image_to_image import translate_file

    if not os.path.isfile(args.input):
        raise CommandLineError(f"The input image {args.input!r} does not exist.")
    suffix = os.path.splitext(args.output)[1].lower()
    if suffix not in (".png", ".jpg", ".jpeg", ".bmp", ".webp"):
        raise CommandLineError(
            f"--output must name a .png, .jpg, .bmp or .webp file. Received: output={args.output}"
        )
    if os.path.exists(args.output) and not args.overwrite:
        raise CommandLineError(f"{args.output} already exists; pass --overwrite to replace it.")
    model = load_model(args.model)
    folder = os.path.dirname(os.path.abspath(args.output))
    os.makedirs(folder, exist_ok=True)
    partial = os.path.join(folder, f".partial-{os.getpid()}{suffix}")
    try:
        translated = translate_file(model, args.input, partial, direction=args.direction)
        os.replace(partial, args.output)
    except ValueError as error:
        raise CommandLineError(str(error)) from None
    finally:
        if os.path.exists(partial):
            os.remove(partial)
    height, width, channels = translated.shape
    print(f"Wrote {args.output} ({width}x{height} pixels, {channels} channel(s)) from {args.input}")
    return 0
