"""Each page opened from a URL with query parameters shows what the parameters select; search
reaches Compare; a heatmap click opens Gaps; a spreadsheet downloads and opens; legal text with
markup stays text. Screenshots of every page go to test-artifacts/screenshots/."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.browser.conftest import SCREENSHOTS

SEARCH = "Search by code or in your own words"


def settle(page: Any) -> None:
    """Wait until the app has finished its script run."""
    page.wait_for_selector("[data-testid='stApp']")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        running = page.locator("[data-testid='stStatusWidget']").count()
        skeleton = page.locator("[data-testid='stSkeleton']").count()
        if not running and not skeleton:
            break
        time.sleep(0.2)
    time.sleep(0.5)


def open_page(page: Any, base: str, path: str, expect: str) -> None:
    page.goto(base + path)
    page.get_by_text(expect, exact=False).first.wait_for()
    settle(page)


def shoot(page: Any, name: str) -> Path:
    """A full-height screenshot (Streamlit scrolls inside its main container)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll("
        "'[data-testid=stMain], [data-testid=stAppScrollToBottomContainer], section')]"
        ".map(e => e.scrollHeight), 900)")
    page.set_viewport_size({"width": 1366, "height": min(int(height) + 60, 5000)})
    time.sleep(1.0)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    return target


def grid_text(page: Any) -> str:
    """The text of the first table (the data grid keeps an accessible copy in the DOM)."""
    return str(page.locator("[data-testid='stDataFrame']").first.text_content())


def no_dialogs(page: Any) -> list[str]:
    seen: list[str] = []
    page.on("dialog", lambda dialog: (seen.append(dialog.message), dialog.dismiss()))
    return seen


def test_overview(server: str, page: Any, tmp_path: Path) -> None:
    open_page(page, server, "/?metric=substantive", "Technology lenses")
    assert page.get_by_text("surveillance and artificial-intelligence technologies").is_visible()
    assert page.get_by_text("Substantive differences").first.is_visible()
    colours = page.get_by_role("button", name="Colour by: Substantive differences")
    colours.click()  # the popover's label names the colour the URL chose
    choice = page.get_by_role("radio", name="Substantive differences", exact=True)
    assert choice.get_attribute("aria-checked") == "true"
    page.keyboard.press("Escape")
    assert page.locator("table.hz-heat").count() == 2  # lens heatmap and agreement matrix
    cell = page.locator("table.hz-heat td[title*='codes in lens']").first
    assert "Substantive differences: " in str(cell.get_attribute("title"))  # the hover counts
    assert page.get_by_text("lists compared", exact=True).is_visible()
    shoot(page, "overview")
    page.get_by_role("button", name="Download the page's tables").click()
    with page.expect_download() as info:
        page.get_by_role("button", name="⬇ comparison workbook").click()
    path = tmp_path / "comparison.xlsx"
    info.value.save_as(path)
    book = load_workbook(path)
    assert {"About", "Summary", "Matrix", "Gaps", "Texts"} <= set(book.sheetnames)
    assert "Summary" in book["Summary"].tables  # as the note says
    assert "Agreement" in book["Agreement"].tables
    page.keyboard.press("Escape")
    colours = page.get_by_role("button", name="Colour by: Substantive differences")
    colours.click()
    page.get_by_role("radio", name="Identical", exact=True).click()
    page.wait_for_url(re.compile(r"metric=identical"))
    settle(page)
    assert page.get_by_role("button", name="Colour by: Identical").is_visible()
    page.keyboard.press("Escape")
    assert page.locator("[data-testid='stDataFrame']").count() == 0  # numbers on request
    page.get_by_text("The numbers behind the heatmap").click()
    page.wait_for_url(re.compile(r"numbers=1"))
    settle(page)
    assert "jurisdiction" in grid_text(page)


def test_explorer_from_url(server: str, page: Any) -> None:
    open_page(page, server, "/explorer?q=1-5.A.1.j&src=eu-annex-i", "and the paragraphs below")
    assert page.get_by_label(SEARCH, exact=True).input_value() == "1-5.A.1.j"
    text = grid_text(page)
    assert "5A001.j" in text and "IP network surveillance systems at 10 GHz" in text
    assert "5A001.b" not in text
    shoot(page, "explorer")


def test_compare_from_url_keeps_legal_text_as_text(server: str, page: Any) -> None:
    dialogs = no_dialogs(page)
    open_page(page, server, "/compare?code=5A001j&ref=eu-annex-i", "Compare one code")
    card = page.locator(".hz-card", has_text="EU · eu-annex-i list").first
    assert "<script>alert(1)</script> **bold**" in card.inner_text()
    assert page.locator(".hz-card script").count() == 0
    assert page.locator(".hz-card a[href^='javascript']").count() == 0
    assert page.get_by_text("Note with").first.is_visible()
    assert dialogs == []
    shoot(page, "compare")


def test_gaps_from_url(server: str, page: Any) -> None:
    open_page(page, server, "/gaps?lens=surveillance.ip-monitoring&src=eu-annex-i",
              "divergence(s)")
    assert page.get_by_text("1 divergence(s)").first.is_visible()
    text = grid_text(page)
    assert "5A001.j" in text and "substantive" in text
    shoot(page, "gaps")


def test_partners_map_draws_offline(server: str, page: Any) -> None:
    open_page(page, server, "/partners?map=eu", "Partner states")
    page.locator(".choroplethlocation").first.wait_for(state="attached")
    assert page.locator(".choroplethlocation").count() >= 20  # EU member states drawn
    assert page.get_by_label("EU member states").is_checked()
    shoot(page, "partners")


def test_measures_from_url(server: str, page: Any) -> None:
    open_page(page, server, "/measures?jur=US&status=in-force", "of 25 measures")
    count = int(re.search(r"(\d+) of 25 measures", page.content()).group(1))  # type: ignore[union-attr]
    assert 0 < count < 25
    assert "US" in grid_text(page)
    shoot(page, "measures")


def test_sources(server: str, page: Any) -> None:
    open_page(page, server, "/sources", "Import a folder")
    assert page.get_by_text("wassenaar · wassenaar publisher").is_visible()
    assert "us-ccl" in grid_text(page)
    shoot(page, "sources")


def test_a_served_app_offers_no_import_and_shows_no_server_path(server: str, page: Any) -> None:
    open_page(page, server, "/sources?sources.folder=/etc&folder=/etc", "Import a folder")
    assert page.get_by_text("Importing from the dashboard is switched off").is_visible()
    assert page.get_by_label("Folder or bundle on the server").count() == 0
    text = page.locator("[data-testid=stMain]").inner_text()
    assert "/etc" not in text and "/tmp" not in text  # no server path, no store path


def test_search_reaches_compare(server: str, page: Any) -> None:
    open_page(page, server, "/explorer", "code(s)")
    box = page.get_by_label(SEARCH, exact=True)
    box.fill("5.A.1.j")
    box.press("Enter")
    page.get_by_text("and the paragraphs below it").first.wait_for()
    settle(page)
    # The search reran only the table's fragment, and the link still holds the view.
    page.wait_for_url(re.compile(r"/explorer\?q=5\.A\.1\.j$"))
    frame = page.locator("[data-testid='stDataFrame']").first
    bounds = frame.bounding_box()
    page.mouse.click(bounds["x"] + 14, bounds["y"] + 35 + 17)  # the first row's selection box
    page.wait_for_url(re.compile(r"/compare\?.*code=5A001\.j"))
    page.locator(".hz-card").first.wait_for()
    settle(page)
    assert page.get_by_label("Code (any style)", exact=True).input_value() == "5A001.j"
    assert page.locator(".hz-code", has_text="5A001.j").count() == 1


def test_gaps_row_reads_in_full_then_reaches_compare(server: str, page: Any) -> None:
    open_page(page, server, "/gaps?lens=surveillance.ip-monitoring&src=eu-annex-i",
              "divergence(s)")
    assert page.locator("table.hz-bars").count() == 1  # the counts per jurisdiction
    frame = page.locator("[data-testid='stDataFrame']").first
    bounds = frame.bounding_box()
    page.mouse.click(bounds["x"] + 14, bounds["y"] + 35 + 36)  # the first row's selection box
    reading = page.locator(".hz-read").first
    reading.wait_for()
    assert reading.locator("ins.hz-ins").first.inner_text() == "12"  # 10 GHz -> 12 GHz
    assert "Reference wording" in reading.inner_text()
    page.get_by_text("Compare 5A001.j side by side across the lists").click()
    page.wait_for_url(re.compile(r"/compare\?.*code=5A001\.j"))  # the same tab
    page.locator(".hz-card").first.wait_for()
    assert page.locator(".hz-code", has_text="5A001.j").count() == 1


def test_heatmap_click_opens_gaps(server: str, page: Any) -> None:
    open_page(page, server, "/?ref=eu-annex-i", "Technology lenses")
    # Not Gaps' default lens, which its URL leaves out.
    cell = page.locator("table.hz-heat a[href*='src=us-ccl']:not([href*='lens=surveillance&'])"
                        ).first
    href = str(cell.get_attribute("href"))
    lens = href.split("lens=")[1].split("&")[0]
    cell.click()
    page.wait_for_url(re.compile(r"/gaps\?"), timeout=30_000)
    settle(page)
    assert page.get_by_text("divergence(s)").first.is_visible()
    compared = page.get_by_role("button", name="Compared with")
    assert "Compared with EU" in compared.inner_text()
    compared.click()  # the popover holds the selector itself
    assert page.get_by_label("Reference list", exact=True).input_value().startswith("EU")
    url = page.url
    assert f"lens={lens}" in url and "src=us-ccl" in url and "ref=eu-annex-i" in url


def test_download_a_spreadsheet(server: str, page: Any, tmp_path: Path) -> None:
    open_page(page, server, "/gaps?lens=surveillance.ip-monitoring&src=eu-annex-i",
              "divergence(s)")
    page.get_by_role("button", name="⬇ Download", exact=True).click()  # the popover
    with page.expect_download() as info:
        page.get_by_role("button", name="⬇ xlsx").first.click()
    target = tmp_path / "gaps.xlsx"
    info.value.save_as(target)
    wb = load_workbook(target)
    ws = wb[wb.sheetnames[0]]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    filters = {r[0]: r[1] for r in rows[1:10] if r and r[0]}
    assert filters["Lens"] == "surveillance.ip-monitoring"
    assert filters["Jurisdictions"] == "eu-annex-i"
    assert any(r and r[0] == "5A001.j" for r in rows)
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)


def test_explorer_download_of_a_ranked_search(server: str, page: Any, tmp_path: Path) -> None:
    """The Explorer's download works its rows out again from the filters when clicked
    (app_data/selections.py; its callable holds no frame): the file holds what was shown."""
    open_page(page, server, "/explorer?q=intrusion%20software&src=eu-annex-i", "code(s)")
    assert "4A005" in grid_text(page)
    page.get_by_role("button", name="⬇ Download this table").click()  # the popover
    with page.expect_download() as info:
        page.get_by_role("button", name="⬇ csv").first.click()
    target = tmp_path / "explorer.csv"
    info.value.save_as(target)
    text = target.read_text(encoding="utf-8")
    assert "# Search: intrusion software" in text and "why it matched" in text
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("canonical,"))
    assert lines[header + 1].startswith("4A005,")  # the best match first, as on screen


@pytest.mark.parametrize("path", ["/compare?code=%3Cscript%3E", "/explorer?q=%2A%2Abold%2A%2A",
                                  "/gaps?lens=%3Cb%3E&src=..%2F..%2Fetc"])
def test_hostile_urls(server: str, page: Any, path: str) -> None:
    dialogs = no_dialogs(page)
    page.goto(server + path)
    settle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert dialogs == []


def test_a_deep_link_opened_first_shows_the_navigation(fresh_server: str, page: Any) -> None:
    """The first visit of a fresh server goes straight to a page: it still runs inside app.py
    (top navigation, no legacy sidebar of the `pages/` folder), on the linked code
    (app_data/routing.py)."""
    page.goto(fresh_server + "/compare?code=5A001j")
    page.locator(".hz-card").first.wait_for()
    settle(page)
    links = page.locator("[data-testid='stTopNavLink']").all_text_contents()
    assert any(link.endswith("Explorer") for link in links), links
    assert page.locator("[data-testid='stSidebarNav']").count() == 0
    assert page.url.endswith("/compare?code=5A001j")
    assert page.get_by_text("5A001.j").first.is_visible()


def nav(page: Any, title: str) -> None:
    """Click a page in the top navigation (its link carries no query parameters)."""
    page.locator("[data-testid='stTopNavLink']").filter(
        has_text=re.compile(re.escape(title) + "$")).click()
    page.wait_for_timeout(300)
    settle(page)


def test_the_context_pages_open_from_their_menu(server: str, page: Any) -> None:
    """Partners, Parties, Measures and Sources share one menu of the top bar (app.py), and
    reaching one from it keeps the comparison chosen."""
    open_page(page, server, "/?ref=eu-annex-i", "Technology lenses")
    links = page.locator("[data-testid='stTopNavLink']").all_text_contents()
    assert not any(link.endswith(("Partners", "Sources")) for link in links), links
    for title, path in (("Measures", "/measures"), ("Sources", "/sources")):
        page.get_by_text("Context", exact=True).click()
        page.locator("[data-testid='stTopNavDropdownLink']").filter(
            has_text=re.compile(title + "$")).click()
        page.wait_for_url(re.compile(path + r"\?.*ref=eu-annex-i"))  # the page writes it back
        settle(page)
        assert "Compared with EU" in page.get_by_role("button", name="Compared with").inner_text()


def test_the_comparison_and_filters_survive_the_top_navigation(server: str, page: Any) -> None:
    open_page(page, server, "/gaps?ref=eu-annex-i&lens=surveillance.interception"
              "&src=eu-annex-i,us-ccl&status=national", "divergence(s)")
    before = grid_text(page)
    nav(page, "Explorer")
    assert "ref=eu-annex-i" in page.url and "Compared with EU" in page.get_by_role(
        "button", name="Compared with").inner_text()
    nav(page, "Compare")
    assert "ref=eu-annex-i" in page.url
    nav(page, "Gaps")
    page.wait_for_url(re.compile(r"/gaps\?.*status=national"))
    url = page.url.replace("%2C", ",")
    for part in ("ref=eu-annex-i", "lens=surveillance.interception", "src=eu-annex-i,us-ccl"):
        assert part in url, url
    assert grid_text(page) == before  # the same view, not the defaults
    assert "against EU · eu-annex-i list" in page.locator("[data-testid=stMain]").inner_text()


def test_everyday_words_find_controls_and_say_why(server: str, page: Any) -> None:
    open_page(page, server, "/explorer?q=spyware", "code(s)")
    text = grid_text(page)
    assert "4A005" in text and "concept 'spyware'" in text
    assert page.get_by_text("In the measures register").is_visible()
    shoot(page, "explorer-search")


def test_versus_round_trip_and_one_click_to_the_texts(server: str, page: Any) -> None:
    open_page(page, server, "/versus?src=wassenaar,eu-annex-i&lens=all", "really differ")
    assert page.locator("table.hz-bars").count() == 1
    block = page.locator(".hz-vs", has_text="5A001.b").first
    assert block.locator("ins.hz-ins").first.inner_text() == "12"
    assert page.locator(".hz-vs", has_text="5A001.a").count() == 0  # editorial only
    shoot(page, "versus")
    block.get_by_text("side by side →").click()
    page.wait_for_url(re.compile(r"/compare\?code=5A001\.b&src=wassenaar,eu-annex-i"))
    page.locator(".hz-card").first.wait_for()
    assert page.locator(".hz-card").count() == 2  # the two lists chosen
    page.go_back()
    page.wait_for_url(re.compile(r"/versus\?"))
    settle(page)
    assert page.locator(".hz-vs", has_text="5A001.b").count() == 1


def test_changes_between_two_versions_from_the_url(server: str, page: Any) -> None:
    open_page(page, server, "/changes?list=toy-list&from=2024-01-01&to=2024-06-01",
              "change(s)")
    change = page.locator(".hz-change", has_text="5A001.b").first
    assert "removed" in change.inner_text()
    assert page.locator(".hz-change del.hz-del", has_text="8").count() >= 1
    shoot(page, "changes")
    change.locator("a").first.click()
    page.wait_for_url(re.compile(r"/compare\?code=5A001\.b&asof=2024-01-01"))
    page.locator(".hz-card").first.wait_for()
    settle(page)
    assert "as of 2024-01-01" in page.get_by_role("button", name="Compared with").inner_text()


def test_compare_with_paragraphs_below_stays_compact(server: str, page: Any) -> None:
    open_page(page, server, "/compare?code=5A001&below=1", "Compare one code")
    page.locator("details.hz-below").first.wait_for()  # the cards come after the header
    settle(page)
    assert page.locator("details.hz-below").count() == 7  # a, a.1, a.2, b, c, d, j: folded
    height = page.evaluate("() => document.querySelector('[data-testid=stMain]').scrollHeight")
    assert height < 4000, height
    # The open code's cards keep their own heights (a grid row does not stretch them).
    heights = {round(c.bounding_box()["height"]) for c in page.locator(".hz-card").all()
               if c.is_visible()}
    assert len(heights) > 1, heights
    shoot(page, "compare-below")
