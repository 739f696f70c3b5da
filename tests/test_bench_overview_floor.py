"""benchmarks/bench_ui.py's Overview floor: the dashboard's own app.py with the Overview replaced
by the same HTML and no control, every other page kept."""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
bench_ui: Any = importlib.import_module("bench_ui")


def test_floor_app_keeps_the_navigation_and_replaces_only_the_overview() -> None:
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    floor = bench_ui.overview_floor_app(app, ROOT)
    tree = ast.parse(floor)  # valid Python, `from __future__` still first
    assert isinstance(tree.body[1], ast.ImportFrom) and tree.body[1].module == "__future__"
    assert '"pages/overview.py"' not in floor and "_overview_floor, title=" in floor
    pages = sorted(p.name for p in (ROOT / "pages").glob("*.py") if p.name != "overview.py")
    for name in pages:  # every other page from the project, by its absolute path
        if f'"pages/{name}"' in app:
            assert f'"{ROOT}/pages/{name}"' in floor
    assert floor.count("st.navigation(") == app.count("st.navigation(") == 1


def test_floor_app_fails_loudly_when_app_py_changes_shape() -> None:
    with pytest.raises(SystemExit, match="update overview_floor_app"):
        bench_ui.overview_floor_app('import streamlit as st\nst.navigation([])\n', ROOT)
