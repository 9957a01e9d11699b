"""`keras-gans report`: the self-contained HTML report of a training run."""

import os

from keras_gans.cli.errors import CommandLineError

# Package-internal: the public API of the CLI is keras_gans.cli (main, build_parser).
__all__ = []


def command_report(args):
    """Writes RUN_DIR/report.html (or `--output`) with `keras_gans.report.write_report`."""
    from keras_gans import report

    if not os.path.isdir(args.run_dir):
        raise CommandLineError(
            f"The run folder {args.run_dir!r} does not exist. Received: RUN_DIR={args.run_dir}"
        )
    if args.output is not None:
        if os.path.isdir(args.output):
            raise CommandLineError(
                f"--output must name a file; it is a folder. Received: --output={args.output}"
            )
        parent = os.path.dirname(os.path.abspath(args.output))
        if not os.path.isdir(parent):
            raise CommandLineError(
                f"--output's folder {parent!r} does not exist. Received: --output={args.output}"
            )
    try:
        path = report.write_report(args.run_dir, output=args.output, max_sample_grids=args.max_sample_grids)
    except ValueError as error:  # not a run, a corrupt run file: the message names it
        raise CommandLineError(str(error)) from None
    print(f"Wrote {path}")
    return 0
