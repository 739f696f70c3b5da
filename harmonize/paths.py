"""Where the project's own files are: the reviewed datasets and the dashboard's script.

`datasets/` is shipped inside the wheel as `harmonize/datasets` (see pyproject.toml), so a
plain `pip install .` has it; a source checkout reads the top-level folder directly."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def datasets_dir() -> Path:
    """The reviewed data files (`lenses.toml`, `crosswalk.csv`, `measures.csv`, …)."""
    for candidate in (_CHECKOUT / "datasets", _PACKAGE / "datasets"):
        if (candidate / "lenses.toml").is_file():
            return candidate
    raise FileNotFoundError(
        f"no datasets folder beside {_PACKAGE} (looked for datasets/lenses.toml): "
        "reinstall the package")


def dataset(name: str) -> Path:
    """One reviewed data file by name."""
    return datasets_dir() / name


def app_script() -> Path:
    """The Streamlit entry point (`app.py` of the checkout)."""
    return _CHECKOUT / "app.py"
