"""Where preset files are, how they are checked and fetched, and atomic writes.

All of keras-gans' file handling for presets lives here: the packaged zoo
folder, the Keras cache folder (`$KERAS_HOME`, as Keras finds it), sha256
checks, the download fallback, and writes that never leave a half-written file
or folder behind (JSON files, whole folders swapped in with one rename).

A registered preset's file is taken, in order:

1. from the zoo folder shipped inside the package (`keras_gans/zoo/<name>/`, or
   the folder named by `$KERAS_GANS_ZOO_DIR`; an empty value turns it off), when
   its sha256 matches the registry;
2. from the cache, `<keras home>/keras_gans/<name>/<file>`, when its sha256
   matches;
3. downloaded into the cache from `$KERAS_GANS_BASE_URL/<name>/<file>` and
   checked. keras-gans publishes its preset files on no server
   (`DEFAULT_BASE_URL` is None): they ship in the package; a mirror or an
   internal server can host them for installs that lack or damaged them.

A file that fails its check anywhere is never used: a damaged cached copy is
deleted and fetched again; when no good copy can be had, the error names the
file, says that it is corrupt or truncated and what to do.
"""

import contextlib
import hashlib
import json
import os
import shutil
import tempfile

import keras

BASE_URL_ENV = "KERAS_GANS_BASE_URL"
ZOO_DIR_ENV = "KERAS_GANS_ZOO_DIR"
# No server hosts the preset files: they ship inside the package.
DEFAULT_BASE_URL = None
PACKAGED_ZOO_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "zoo")
CACHE_SUBDIR = "keras_gans"

__all__ = [
    "BASE_URL_ENV",
    "CACHE_SUBDIR",
    "DEFAULT_BASE_URL",
    "PACKAGED_ZOO_DIR",
    "ZOO_DIR_ENV",
    "atomic_folder",
    "base_url",
    "cache_root",
    "file_sha256",
    "keras_home",
    "registered_file",
    "replace_folder",
    "write_json_atomic",
    "zoo_dir",
]


def file_sha256(path):
    """The sha256 hex digest of a file."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def keras_home():
    """The Keras home folder, found as Keras 3 finds it (read at each call).

    `$KERAS_HOME` when set; otherwise `~/.keras`, or `/tmp/.keras` when the home
    folder is not writable. (Keras 3.15 has no public `keras_home()`.)
    """
    if "KERAS_HOME" in os.environ:
        return os.path.expanduser(os.environ["KERAS_HOME"])
    base = os.path.expanduser("~")
    if not os.access(base, os.W_OK):
        base = "/tmp"
    return os.path.join(base, ".keras")


def cache_root(cache_dir=None):
    """The download cache folder, created: `cache_dir` or `keras_home()`.

    `keras.utils.get_file` falls back to `/tmp/.keras` for a folder it cannot
    write; that fallback is chosen here, knowingly, so that the path is known.
    """
    root = os.path.expanduser(cache_dir) if cache_dir is not None else keras_home()
    with contextlib.suppress(OSError):
        os.makedirs(root, exist_ok=True)
    if not os.access(root, os.W_OK):
        root = os.path.join("/tmp" if os.path.isdir("/tmp") else tempfile.gettempdir(), ".keras")
        os.makedirs(root, exist_ok=True)
    return root


def base_url():
    """The download base URL (`$KERAS_GANS_BASE_URL`), or None when none is set."""
    url = os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL
    return url.rstrip("/") if url else None


def zoo_dir():
    """The zoo folder searched first (the packaged one unless
    `$KERAS_GANS_ZOO_DIR` names another), or None when there is none."""
    path = os.environ.get(ZOO_DIR_ENV)
    if path is None:
        path = PACKAGED_ZOO_DIR
    return path if path and os.path.isdir(path) else None


def _remove_quietly(path):
    with contextlib.suppress(OSError):
        os.remove(path)


def _no_download_hint():
    return (
        f"No download location is set: keras-gans publishes its preset files on no "
        f"server, they ship inside the package. Reinstall keras-gans "
        f"(`pip install --force-reinstall --no-deps keras-gans`) to restore them, or set "
        f"{BASE_URL_ENV} to a server that hosts <preset>/<file> copies."
    )


def _download(url, filename, expected_sha256, root, subdir):
    """`keras.utils.get_file` with the cache cleaned up after a bad download."""
    try:
        path = keras.utils.get_file(
            fname=filename,
            origin=url,
            file_hash=expected_sha256,
            hash_algorithm="sha256",
            cache_dir=root,
            cache_subdir=subdir,
        )
    except ValueError as error:  # get_file checks the hash but keeps the bad file
        _remove_quietly(os.path.join(root, subdir, filename))
        raise ValueError(
            f"The file downloaded from {url} is corrupt or truncated (its sha256 is not "
            f"{expected_sha256}); it was deleted from the cache. Try again, or set "
            f"{BASE_URL_ENV} to another mirror. ({error})"
        ) from None
    except Exception as error:  # noqa: BLE001 - get_file raises bare Exceptions
        _remove_quietly(os.path.join(root, subdir, filename))
        raise OSError(
            f"Could not download preset file {url}: {error}. Set {BASE_URL_ENV} to a "
            "reachable server, or reinstall keras-gans, whose package holds the preset files."
        ) from None
    if file_sha256(path) != expected_sha256:  # e.g. replaced after get_file checked it
        _remove_quietly(path)
        raise ValueError(
            f"The downloaded file {path} is corrupt or truncated (its sha256 is not "
            f"{expected_sha256}); it was deleted. Try again."
        )
    return path


def registered_file(preset, filename, expected_sha256, cache_dir=None):
    """The local path of a good copy of one file of a registered preset.

    Args:
        preset: the registered preset name.
        filename: e.g. `"model.weights.h5"`.
        expected_sha256: its sha256 in the registry.
        cache_dir: the download cache folder (default: `keras_home()`).

    Returns:
        The path of a file whose sha256 is `expected_sha256`.

    Raises:
        ValueError: every copy found is corrupt or truncated and no download
            location is set, or the downloaded copy is damaged too.
        OSError: the download failed.
    """
    damaged = []
    local_zoo = zoo_dir()
    if local_zoo is not None:
        path = os.path.join(local_zoo, preset, filename)
        if os.path.isfile(path):
            if file_sha256(path) == expected_sha256:
                return path
            damaged.append(path)
    root = cache_root(cache_dir)
    subdir = os.path.join(CACHE_SUBDIR, preset)
    cached = os.path.join(root, subdir, filename)
    if os.path.isfile(cached):
        if file_sha256(cached) == expected_sha256:
            return cached
        _remove_quietly(cached)  # fetched again below, or reported
        damaged.append(f"{cached} (deleted from the cache)")
    url = base_url()
    if url is None:
        if damaged:
            raise ValueError(
                f"Preset {preset!r}: {' and '.join(damaged)} is corrupt or truncated (its "
                f"sha256 is not {expected_sha256}). {_no_download_hint()}"
            )
        raise FileNotFoundError(
            f"Preset {preset!r} has no {filename} in the package's zoo folder "
            f"({local_zoo or 'none: ' + ZOO_DIR_ENV + ' is empty'}) nor in the cache "
            f"({os.path.dirname(cached)}). {_no_download_hint()}"
        )
    return _download(f"{url}/{preset}/{filename}", filename, expected_sha256, root, subdir)


def write_json_atomic(path, value, **dump_kwargs):
    """Writes `value` as JSON to `path` through a temporary file and a rename:
    a failed write leaves the previous file (or none), never half a file."""
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "w") as f:
            json.dump(value, f, indent=2, **dump_kwargs)
            f.write("\n")
            f.flush()
            os.fsync(f.fileno())
        os.replace(temporary, path)
    except BaseException:
        _remove_quietly(temporary)
        raise


@contextlib.contextmanager
def atomic_folder(path, overwrite=False):
    """Builds a folder in a temporary sibling and puts it at `path` at the end.

    Yields the temporary folder to write into. When the block finishes, any
    folder at `path` is moved aside, the new one renamed into place and the old
    one deleted; when the block raises, the temporary folder is deleted and
    `path` is left as it was.

    Args:
        path: the folder to create or replace.
        overwrite: replace a non-empty folder at `path` (an empty one is
            always replaced).

    Raises:
        FileExistsError: `path` is a non-empty folder and `overwrite` is False,
            or `path` is a file.
    """
    path = os.path.abspath(os.fspath(path))
    if os.path.exists(path) and not os.path.isdir(path):
        raise FileExistsError(f"{path} is a file, not a folder. Received: path={path!r}")
    if os.path.isdir(path) and os.listdir(path) and not overwrite:
        raise FileExistsError(
            f"The folder {path} already exists and is not empty. Pass overwrite=True to "
            f"replace it. Received: path={path!r}"
        )
    parent, name = os.path.split(path)
    os.makedirs(parent, exist_ok=True)
    building = tempfile.mkdtemp(prefix=f".{name}.new-", dir=parent)
    try:
        yield building
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    replace_folder(building, path)


def replace_folder(new, path):
    """Puts the folder `new` at `path` (a sibling of it), replacing what is there.

    The old folder is renamed aside first and deleted only once the new one is
    in place, so at every moment `path` holds either the old or the new folder.
    """
    old = None
    if os.path.lexists(path):
        old = tempfile.mkdtemp(prefix=f".{os.path.basename(path)}.old-", dir=os.path.dirname(path))
        os.rmdir(old)
        os.rename(path, old)
    try:
        os.rename(new, path)
    except BaseException:
        if old is not None:
            os.rename(old, path)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
