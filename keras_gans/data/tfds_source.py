"""The tensorflow-datasets path of `keras_gans.data.load`: a prepared copy, or a download
tried only when the download host answers (tfds itself retries for minutes when offline).
"""

import socket

from keras_gans.data import catalog

__all__ = []  # serves keras_gans.data.load only


def host_reachable(host, port, timeout=3.0):
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def missing_data_error(name, split, data_dir, reason):
    return FileNotFoundError(
        f"Could not load {name!r} (split {split!r}): {reason}. To fix it, "
        f"{catalog.dataset_info(name).offline_fix}; or run once with internet access so that "
        "tensorflow-datasets downloads and prepares it" + (f" (in {data_dir})" if data_dir else "") + "."
    )


def tfds_source(name, split, data_dir, download):
    """Returns ("tfds", dataset of dicts) or raises a helpful error."""
    try:
        import tensorflow_datasets as tfds
    except ImportError:
        raise missing_data_error(
            name,
            split,
            data_dir,
            "no raw files found and tensorflow-datasets is not installed (`pip install tensorflow-datasets`)",
        )
    builder = tfds.builder(name, data_dir=data_dir)
    if not builder.is_prepared():
        if not download:
            raise missing_data_error(
                name,
                split,
                data_dir,
                "no raw files found, no prepared tfds copy, and download=False",
            )
        host, port = catalog.dataset_info(name).download_host
        if not host_reachable(host, port):
            raise missing_data_error(
                name,
                split,
                data_dir,
                f"no raw files found, no prepared tfds copy, and the download "
                f"host {host} cannot be reached (offline?)",
            )
        builder.download_and_prepare()
    return ("tfds", builder.as_dataset(split=split, shuffle_files=False))
