"""Compare in a real browser says how each list's notes stand against the reference text's,
and opens a note to read the texts side by side."""

from __future__ import annotations

from typing import Any

from tests.browser.test_browser import open_page, shoot


def test_compare_shows_note_status_and_notes_side_by_side(server: str, page: Any) -> None:
    open_page(page, server, "/compare?code=5A001j", "Compare one code")
    us = page.locator(".hz-card", has_text="US · us-ccl list").first
    line = us.locator(".hz-nline")
    assert line.inner_text().strip() == "Notes: missing missing (1)"
    assert line.locator(".hz-nb").first.is_visible()
    side = page.locator(".hz-nsbs details").first
    reference_note = "5A001.j does not apply to marketing systems."
    assert not side.get_by_text(reference_note).first.is_visible()  # folded until opened
    side.locator("summary").click()
    assert side.get_by_text(reference_note).first.is_visible()
    assert "Not printed in this list." in side.inner_text()
    shoot(page, "compare-notes")
