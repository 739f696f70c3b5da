"""A real dashboard in a real browser: `streamlit run app.py` on a free loopback port against a
small store, driven by Playwright through Debian's Chromium (/usr/bin/chromium).

Skips with the reason when Chromium or the `playwright` package is absent
(`.ci/run` installs Debian's Chromium; `playwright` is a dev dependency)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from harmonize.present import serve
from tests.test_app import TOY, build_store, toy_versions

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def wait_healthy(base: str, seconds: float = 60) -> bool:
    """True once the server at `base` answers its health check, False after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if serve.answers(f"{base}/_stcore/health"):
            return True
        time.sleep(0.1)
    return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def needs_chromium() -> None:
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is absent (apt-get install chromium; .ci/run does)")
    pytest.importorskip("playwright.sync_api", reason="the Python package playwright is absent")


def add_versions(home: Path, folder: Path) -> None:
    """The toy list in three dated versions beside the small store's lists (the Changes page
    and "as of" need kept versions)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HARMONIZE_HOME", str(home))
        toy_versions(folder, {"2024-01-01": TOY.replace("above 10 GHz", "above 8 GHz"),
                              "2024-06-01": TOY.replace("b. Widget parts.\n", ""),
                              "2025-03-01": TOY})


@contextlib.contextmanager
def streamlit_server(folder: Path) -> Iterator[str]:
    """`streamlit run app.py` (no warm-up run) on a free loopback port against a small store
    in `folder`, marked as a served app (as `harmonize serve` does: importing is off); its base
    URL while it runs."""
    home = build_store(folder / "store")
    add_versions(home, folder)
    port = _free_port()
    env = serve.environment({**os.environ, "HARMONIZE_HOME": str(home)}, served=True)
    env.pop("HARMONIZE_IMPORT_DIR", None)
    env.pop(serve.ALLOW_IMPORT, None)
    with (folder / "streamlit.log").open("w") as log:
        process = subprocess.Popen(serve.command(ROOT / "app.py", port), cwd=ROOT, env=env,
                                   stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            if not wait_healthy(base):
                pytest.fail("streamlit did not start within 60 s")
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    needs_chromium()
    with streamlit_server(tmp_path_factory.mktemp("browser")) as base:
        yield base


@pytest.fixture()
def fresh_server(tmp_path: Path) -> Iterator[str]:
    """A server no session has visited yet (Streamlit still in its legacy `pages/` mode)."""
    needs_chromium()
    with streamlit_server(tmp_path) as base:
        yield base


@pytest.fixture(scope="session")
def browser(server: str) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 900},
                                  accept_downloads=True)
    tab = context.new_page()
    tab.set_default_timeout(30_000)
    yield tab
    context.close()
