"""Cache keys follow the code that produced the cached data, and only that code.

The parse cache is keyed on a loader's whole import closure inside the project (a helper module
or another loader it borrows from counts); the analysis cache on the comparison code alone (a
presentation edit keeps the cached analyses)."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from harmonize.compare import analysis
from harmonize.fingerprint import code_fingerprint, import_closure
from harmonize.ingest.registry import Reader
from tests import toy_loader

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def toy_package(tmp_path: Path) -> Iterator[Path]:
    """A package `toyloaders` on sys.path: a loader that imports a helper at the top and a
    second helper only inside a function."""
    package = tmp_path / "toyloaders"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "reader.py").write_text(textwrap.dedent("""
        from toyloaders import helper
        from harmonize.codes import canonical_code

        def parse(path):
            from toyloaders.lazy import late
            return helper.value() + late()
    """))
    (package / "helper.py").write_text("def value():\n    return 1\n")
    (package / "lazy.py").write_text("def late():\n    return 2\n")
    (package / "unrelated.py").write_text("X = 1\n")
    sys.path.insert(0, str(tmp_path))
    importlib.invalidate_caches()
    try:
        yield package
    finally:
        sys.path.remove(str(tmp_path))
        for name in [n for n in sys.modules if n.startswith("toyloaders")]:
            del sys.modules[name]


def test_closure_follows_top_level_and_lazy_imports(toy_package: Path) -> None:
    closure = import_closure(["toyloaders.reader"], within=("toyloaders", "harmonize"))
    assert {"toyloaders.reader", "toyloaders.helper", "toyloaders.lazy", "toyloaders",
            "harmonize.codes"} <= set(closure)
    assert "toyloaders.unrelated" not in closure


def test_parse_cache_key_changes_when_an_imported_module_changes(toy_package: Path) -> None:
    reader = Reader("toyloaders.reader", toy_loader.META)  # the parse-cache key's code part
    before = reader.fingerprint()
    (toy_package / "unrelated.py").write_text("X = 2\n")
    assert reader.fingerprint() == before  # not imported: no effect
    (toy_package / "helper.py").write_text("def value():\n    return 10\n")
    after_helper = reader.fingerprint()
    assert after_helper != before
    (toy_package / "lazy.py").write_text("def late():\n    return 20\n")
    assert reader.fingerprint() != after_helper


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:  # `from package.module import function`: not a module
        return False


def _project_imports(module: str) -> set[str]:
    """Project modules a module's source imports by name (the direct edges)."""
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin
    found: set[str] = set()
    for node in ast.walk(ast.parse(Path(spec.origin).read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for name in (node.module, *(f"{node.module}.{a.name}" for a in node.names)):
                if name.split(".")[0] in ("loaders", "harmonize") and _is_module(name):
                    found.add(name)
    return found


def test_every_loader_closure_holds_what_it_imports() -> None:
    """For every loader module in the project: whatever it imports from the project (another
    loader it borrows rules from, the shared segmenter) is part of its parse-cache key."""
    loader_modules = sorted(
        f"loaders.{p.stem}" if p.is_file() else f"loaders.{p.name}"
        for p in (ROOT / "loaders").iterdir()
        if (p.suffix == ".py" and p.stem != "__init__") or (p / "__init__.py").is_file())
    assert loader_modules
    for module in loader_modules:
        closure = import_closure([module], within=("loaders", "harmonize"))
        assert _project_imports(module) <= set(closure), module


def test_analysis_code_is_the_comparison_package_only() -> None:
    closure = import_closure(analysis.COMPARISON_MODULES, analysis.COMPARISON_CODE)
    assert "harmonize.compare.textnorm" in closure and "harmonize.model" in closure
    assert not [name for name in closure if name.startswith(("harmonize.present",
                                                              "harmonize.ingest"))]


KEY_SCRIPT = """
from harmonize.compare.analysis import analysis_key
manifest = {"sources": {"toy": {"parse_key": "abc"}}}
print(analysis_key(manifest, "wassenaar"))
"""


def _key_in(copy: Path) -> str:
    done = subprocess.run([sys.executable, "-c", KEY_SCRIPT], cwd=copy, capture_output=True,
                          text=True, check=True, env={"PYTHONPATH": str(copy), "PATH": ""})
    return done.stdout.strip()


def test_analysis_key_ignores_presentation_edits_and_follows_comparison_edits(
        tmp_path: Path) -> None:
    """On a copy of the project: editing presentation code keeps the key, editing comparison
    code (or a reviewed dataset) changes it."""
    copy = tmp_path / "project"
    for part in ("harmonize", "datasets"):
        shutil.copytree(ROOT / part, copy / part, ignore=shutil.ignore_patterns("__pycache__"))
    first = _key_in(copy)
    for path in (copy / "harmonize" / "present").glob("*.py"):
        path.write_text(path.read_text() + "\n# presentation edit\n")
    (copy / "harmonize" / "cli.py").write_text(
        (copy / "harmonize" / "cli.py").read_text() + "\n# entry point edit\n")
    assert _key_in(copy) == first
    textnorm = copy / "harmonize" / "compare" / "textnorm.py"
    textnorm.write_text(textnorm.read_text() + "\n# comparison edit\n")
    second = _key_in(copy)
    assert second != first
    lenses_file = copy / "datasets" / "lenses.toml"
    lenses_file.write_text(lenses_file.read_text() + "\n# reviewed data edit\n")
    assert _key_in(copy) != second


def test_fingerprint_is_stable_for_unchanged_code() -> None:
    assert code_fingerprint(["harmonize.compare.analysis"]) == code_fingerprint(
        ["harmonize.compare.analysis"])
