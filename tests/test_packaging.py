"""A plain (non-editable) install carries every package and the reviewed datasets."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _listed_packages() -> set[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    return set(config["packages"])


def test_every_package_folder_is_listed_for_the_wheel() -> None:
    found = {".".join(path.parent.relative_to(ROOT).parts)
             for top in ("harmonize", "loaders") for path in (ROOT / top).rglob("__init__.py")
             if "__pycache__" not in path.parts}
    assert found | {"harmonize.datasets"} == _listed_packages()


def test_installed_copy_reads_its_datasets_from_another_folder(tmp_path: Path) -> None:
    target = tmp_path / "site"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(ROOT)],
        capture_output=True, text=True, check=False, cwd=tmp_path)
    if built.returncode != 0:
        pytest.fail(f"pip install failed: {built.stderr[-2000:]}")
    assert (target / "harmonize" / "datasets" / "lenses.toml").is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "HARMONIZE_HOME": str(tmp_path / "store")}
    done = subprocess.run([sys.executable, "-m", "harmonize", "lenses", "--json"], env=env,
                          cwd=elsewhere, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert '"surveillance"' in done.stdout
    found = subprocess.run([sys.executable, "-c", "import harmonize.paths as p; "
                            "print(p.datasets_dir())"], env=env, cwd=elsewhere,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert found.startswith(str(target))
