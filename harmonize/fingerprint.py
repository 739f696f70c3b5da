"""Fingerprints of the project's own code, for cache keys.

A cache is keyed on the code that produced it: the parse cache on a loader and everything it
imports inside the project, the analysis cache on the comparison code alone. The import closure
is read from the source (`ast`), not from `sys.modules`, so a helper module a loader starts to
import counts at once, and a module that is only imported lazily (inside a function) counts too.
"""

from __future__ import annotations

import ast
import hashlib
import importlib.util
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

PROJECT_PACKAGES = ("harmonize", "loaders")


def _module_file(name: str) -> Path | None:
    """The source file of a module, or None (not a module, or not Python source)."""
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin)


@lru_cache(maxsize=512)
def _imports_of(path: Path, module: str, mtime_ns: int, size: int) -> tuple[str, ...]:
    """Module names a file imports (absolute, resolved), cached per file version."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(part for part in base_parts if part)
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            names.append(base)
            # `from pkg import mod` imports a module when `pkg.mod` is one
            names.extend(f"{base}.{alias.name}" for alias in node.names)
    return tuple(names)


def import_closure(roots: Iterable[str], within: tuple[str, ...] = PROJECT_PACKAGES
                   ) -> dict[str, Path]:
    """Every project module reachable from `roots` by imports, restricted to module names
    starting with one of `within` (a package or module name): name -> source file."""

    def inside(name: str) -> bool:
        return any(name == w or name.startswith(w + ".") for w in within)

    found: dict[str, Path] = {}
    pending = [r for r in roots if inside(r)]
    while pending:
        name = pending.pop()
        if name in found:
            continue
        path = _module_file(name)
        if path is None:
            continue
        found[name] = path
        stat = path.stat()
        parents = [".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)]
        for imported in (*_imports_of(path, name, stat.st_mtime_ns, stat.st_size), *parents):
            if inside(imported) and imported not in found:
                pending.append(imported)
    return found


def code_fingerprint(roots: Iterable[str], within: tuple[str, ...] = PROJECT_PACKAGES) -> str:
    """sha256 (16 hex digits) over the names and bytes of the import closure of `roots`."""
    digest = hashlib.sha256()
    for name, path in sorted(import_closure(roots, within).items()):
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
