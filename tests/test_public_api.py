"""The public API: every package's `__all__` is complete and correct, and every public
class and function is exported and documented.

A name is public when it does not start with an underscore; a module that defines
`__all__` makes only those names public (its other names are package-internal), and a
module whose name starts with an underscore is package-internal as a whole.
"""

import importlib
import inspect
import pkgutil

import pytest

import keras_gans

PACKAGES = sorted(m.name for m in pkgutil.walk_packages(keras_gans.__path__, "keras_gans.") if m.ispkg)
# Top-level modules with a public API of their own.
MODULES = ["keras_gans.cpu_threads", "keras_gans.losses", "keras_gans.penalties", "keras_gans.recipes"]
# Packages whose public functions, not only their classes, must all be exported.
STRICT = {"keras_gans.cli", "keras_gans.data", "keras_gans.presets"}
# Gaps found in packages of other owners, to be closed there; listed so that this test
# fails when one is closed (remove it here) or a new one opens.
KNOWN_GAPS = {}


def _defined_here(obj, module):
    return (inspect.isclass(obj) or inspect.isfunction(obj)) and getattr(
        obj, "__module__", None
    ) == module.__name__


def _namespace_problems(name):
    package = importlib.import_module(name)
    exported = getattr(package, "__all__", None)
    if not isinstance(exported, list):
        return ["no __all__"]
    problems = []
    missing = [n for n in exported if not hasattr(package, n)]
    if missing:
        problems.append(f"__all__ names what it lacks: {missing}")
    if len(set(exported)) != len(exported):
        problems.append("__all__ repeats names")
    if name in MODULES:  # a module: the public names it defines itself
        public = {
            n for n, obj in vars(package).items() if not n.startswith("_") and _defined_here(obj, package)
        }
        omitted = sorted(public - set(exported))
        if omitted:
            problems.append(f"defines public names its __all__ omits: {omitted}")
    else:  # a package: everything public that it imports
        public = {
            n for n, obj in vars(package).items() if not n.startswith("_") and not inspect.ismodule(obj)
        }
        omitted = sorted(public - set(exported))
        if omitted:
            problems.append(f"imports public names its __all__ omits: {omitted}")
    return problems


def _export_problems(name):
    package = importlib.import_module(name)
    exported = set(getattr(package, "__all__", []))
    not_exported, undocumented = [], []
    for info in pkgutil.iter_modules(package.__path__, name + "."):
        if info.ispkg or info.name.rpartition(".")[2].startswith("_"):
            continue
        module = importlib.import_module(info.name)
        declared = getattr(module, "__all__", None)
        names = declared if declared is not None else [n for n in vars(module) if not n.startswith("_")]
        for attribute in names:
            obj = getattr(module, attribute, None)
            if not _defined_here(obj, module):
                continue
            if attribute in exported:
                if not inspect.getdoc(getattr(package, attribute)):
                    undocumented.append(f"{info.name}.{attribute}")
            elif inspect.isclass(obj) or name in STRICT:
                not_exported.append(f"{info.name}.{attribute}")
    problems = []
    if not_exported:
        problems.append(f"public, not exported: {not_exported}")
    if undocumented:
        problems.append(f"exported without a docstring: {undocumented}")
    return problems


@pytest.mark.parametrize("name", PACKAGES + MODULES)
def test_all_lists_exactly_the_public_namespace(name):
    expected = [p for p in KNOWN_GAPS.get(name, []) if not p.startswith("public, not exported")]
    assert _namespace_problems(name) == expected


@pytest.mark.parametrize("name", PACKAGES)
def test_public_classes_and_functions_are_exported_and_documented(name):
    expected = [
        p for p in KNOWN_GAPS.get(name, []) if p.startswith(("public, not exported", "exported without"))
    ]
    assert _export_problems(name) == expected
