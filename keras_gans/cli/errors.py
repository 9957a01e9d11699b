"""Errors of the command line."""

__all__ = ["CommandLineError", "UsageError"]


class CommandLineError(Exception):
    """Bad input found by the command line: reported as one line, exit status 1."""


class UsageError(CommandLineError):
    """Unknown subcommand or option, a missing argument or an option value out of
    range: reported as one line, exit status 2."""
