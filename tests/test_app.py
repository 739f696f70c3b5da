"""The dashboard with Streamlit's AppTest (no browser): every page renders with a small store
and with none; widgets and query parameters round-trip; hostile input stays harmless."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest
from google.protobuf.message import Message
from streamlit.testing.v1 import AppTest

from harmonize.codes import parent_code
from harmonize.ingest import store
from harmonize.model import ListRow, SourceInfo, rows_to_frame
from tests.handmade import EU, US, WA
from tests.test_store_cli import toy_dir  # noqa: F401  (fixture)

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ["overview", "explorer", "compare", "gaps", "versus", "changes", "partners", "measures",
         "sources"]
HOSTILE = "<script>alert(1)</script> **bold** [x](javascript:alert(1))"
US_DETAILS = {
    "licence_requirements": [{"control": "NS applies to entire entry",
                              "country_chart": "NS Column 2."}],
    "licence_exceptions": {"LVS": "$5000", "ACE": "Yes for 5A001.j"},
    "related_controls": "See also 5A980.",
}


def _rows(pairs: list[tuple[str, str]], national: tuple[str, ...] = (),
          notes: dict[str, str] | None = None, details: dict[str, dict] | None = None,  # type: ignore[type-arg]
          reasons: dict[str, str] | None = None) -> list[ListRow]:
    out = []
    for i, (code, text) in enumerate(pairs):
        kind = "entry" if "." not in code else "paragraph"
        out.append(ListRow(code=code, canonical=code, parent=parent_code(code),
                           depth=code.count("."), kind=kind, text=text, location=f"line {i + 1}",
                           national=code.split(".")[0] in national,
                           details=(details or {}).get(code, {}),
                           reasons=(reasons or {}).get(code, "")))
        if notes and code in notes:
            out.append(ListRow(code=code, canonical=code, parent=code, depth=code.count(".") + 1,
                               kind="note", text=notes[code], location=f"line {i + 1} note"))
    return out


SOURCES: dict[str, dict] = {  # type: ignore[type-arg]
    "wassenaar": {"jurisdiction": "WA", "detailed": None, "lists": {
        "wassenaar": _rows([*WA, ("5A001.j", "IP network surveillance systems at 10 GHz;"),
                            ("4A005", "Systems for intrusion software.")],
                           notes={"5A001.j": "5A001.j does not apply to marketing systems."}),
        "wassenaar-ml": _rows([("ML1", "Smooth-bore weapons.")]),
    }},
    "eu-annex-i": {"jurisdiction": "EU", "detailed": None, "lists": {
        "eu-annex-i": _rows([*EU,
                             ("5A001.j", f"IP network surveillance systems at 12 GHz; {HOSTILE}"),
                             ("4A005", "Systems for intrusion software.")],
                            notes={"5A001.j": f"Note with {HOSTILE}"}),
    }},
    "us-ccl": {"jurisdiction": "US", "detailed": ["1", "3", "4", "5"], "lists": {
        "us-ccl": _rows([*US, ("5A001.j", "IP network “surveillance” systems at 10 GHz;")],
                        national=("5A980", "5A901"), details={"5A001": US_DETAILS},
                        reasons={"5A001": "NS, AT"}),
    }},
}


def build_store(home: Path) -> Path:
    """A small store: parsed lists as parquet and a manifest, written with the store's helpers."""
    manifest: dict = {"sources": {}}  # type: ignore[type-arg]
    for source_id, spec in SOURCES.items():
        lists = []
        for list_id, rows in spec["lists"].items():
            info = SourceInfo(list_id, spec["jurisdiction"], f"{list_id} list", "2025-01-01",
                              f"{list_id} citation", f"https://example.invalid/{list_id}")
            frame = rows_to_frame(info, rows)
            name = f"{list_id}-test.parquet"
            store.atomic_write_parquet(home / "parsed" / name, frame)
            store.atomic_write_json(home / "parsed" / name.replace(".parquet", ".unplaced.json"),
                                    [{"text": "stray line", "location": "line 99"}])
            kinds = frame["kind"].value_counts()
            lists.append(store.ListRecord(
                id=list_id, jurisdiction=spec["jurisdiction"], list_name=info.list_name,
                version=info.version, citation=info.citation, url=info.url,
                entries=int(kinds.get("entry", 0)), paragraphs=int(kinds.get("paragraph", 0)),
                notes=int(kinds.get("note", 0)), headings_seen=int(kinds.get("entry", 0)),
                unplaced=1, parsed_file=name, loader_notes=["a note from the loader"],
                detailed_categories=spec["detailed"]))
        record = store.SourceRecord(
            id=source_id, publisher=f"{source_id} publisher", format="test", licence="test",
            url=f"https://example.invalid/{source_id}", raw_file=f"raw/{source_id}/x/file",
            origin=f"/in/{source_id}", sha256="0" * 64, size=10,
            imported_at="2025-01-02T00:00:00Z", parse_key=f"{source_id}-key", lists=lists)
        manifest["sources"][source_id] = asdict(record)
    store.write_manifest(manifest, home)
    return home


@pytest.fixture()
def data_home(store_home: Path) -> Path:
    return build_store(store_home)


def run(page: str, params: dict[str, str] | None = None) -> AppTest:
    """Open a page from a URL with query parameters (`?page=` makes app.py switch to it)."""
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if page != "overview":
        at.query_params["page"] = page
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def qp(at: AppTest, name: str) -> str | None:
    """A query parameter as the browser would show it (the last value; None when absent)."""
    if name not in at.query_params:
        return None
    value = at.query_params[name]
    return str(value[-1] if isinstance(value, list) else value)


def texts(at: AppTest) -> str:
    parts = [str(e.value) for kind in ("markdown", "caption", "text", "info", "warning",
                                       "title", "subheader") for e in at.get(kind)]
    return "\n".join(parts)


def html_blocks(at: AppTest) -> str:
    return "\n".join(str(e.proto.body) for e in at.get("html"))


# -- every page, with and without data ---------------------------------------------------------


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_data(data_home: Path, page: str) -> None:
    at = run(page)
    assert at.title[0].value


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_nothing_loaded(store_home: Path, page: str) -> None:
    at = run(page)
    if page in ("measures",):
        assert len(at.dataframe[0].value) > 0  # the register works without any list
        assert "No lists are loaded yet" not in texts(at)
    elif page == "sources":
        assert "Nothing is loaded yet" in texts(at)
        assert at.text_input(key="sources.folder") is not None  # the owner's own run
    elif page == "partners":
        assert "No lists are loaded yet" in texts(at)
        assert len(at.dataframe[0].value) > 40  # the partner states are still listed
    else:
        assert "No lists are loaded yet" in texts(at)


# -- overview ---------------------------------------------------------------------------------


def test_overview_headline_versions_and_metric_param(data_home: Path) -> None:
    at = run("overview", {"metric": "substantive"})
    assert at.segmented_control(key="overview.metric").value == "substantive"
    assert at.title[0].value.startswith("Export controls on surveillance and AI")
    bodies = [h.proto.body for h in at.get("html")]
    figures = next(b for b in bodies if 'class="hz-figures"' in b)
    assert "surveillance</b> and <b>artificial-intelligence</b>" in figures  # what the tool is
    assert "<dt>lists compared</dt><dd>3</dd>" in figures
    compared = int(figures.split("<dt>codes compared</dt><dd>")[1].split("<")[0])
    # Every other figure counts codes out of the codes compared (one unit, with its whole).
    assert figures.count(f"of {compared:,} codes (") == 4
    versions = next(b for b in bodies if 'class="hz-plain"' in b)
    for name in ("wassenaar list", "wassenaar-ml list", "eu-annex-i list", "us-ccl list"):
        assert f"<td>{name}</td>" in versions
    assert versions.count("<td>2025-01-01</td>") == 4
    assert versions.count("<td>kept apart</td>") == 1  # the munitions list
    body = next(b for b in bodies if 'class="hz-heat"' in b)
    lens_map, agreement = body.split('<table class="hz-heat"')[1:]
    assert "Statuses: " in lens_map and "Lists loaded" in agreement
    assert "Substantive differences</caption>" in lens_map
    # Every comparable cell links to its gaps, in the reference list the page compares with.
    assert 'href="gaps?lens=surveillance&amp;src=eu-annex-i"' in lens_map
    assert "Agreement, hover for the counts" in agreement and "<a " not in agreement
    at.segmented_control(key="overview.metric").set_value("same").run()
    assert "metric" not in at.query_params  # the default stays out of the URL


def test_overview_numbers_table_on_request_and_in_the_url(data_home: Path) -> None:
    at = run("overview")
    assert len(at.dataframe) == 0  # the grid's scripts load only when asked for
    assert [e.label for e in at.expander] == ["The numbers behind the heatmap"]
    at.session_state["overview.numbers"] = True  # what opening the expander does
    at.run()
    assert qp(at, "numbers") == "1"
    numbers = at.dataframe[0].value
    assert {"lens", "jurisdiction", "share", "comparable"} <= set(numbers.columns)
    at.session_state["overview.numbers"] = False
    at.run()
    assert qp(at, "numbers") is None and len(at.dataframe) == 0
    shown = run("overview", {"numbers": "1"})  # a link shows them too
    assert len(shown.dataframe) == 1 and shown.session_state["overview.numbers"] is True


def test_overview_colour_popover_says_the_colour_chosen(data_home: Path) -> None:
    at = run("overview", {"metric": "absent"})
    labels = [p.proto.popover.label for p in at.get("popover")]
    assert "Colour by: Absent" in labels, labels
    at.segmented_control(key="overview.metric").set_value("identical").run()
    assert "Colour by: Identical" in [p.proto.popover.label for p in at.get("popover")]
    assert qp(at, "metric") == "identical"


def test_overview_downloads_sit_in_a_popover_with_their_note(data_home: Path) -> None:
    at = run("overview")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["⬇ comparison workbook", "⬇ the same tables (csv)"]
    assert any("Every table on this page" in c.value for c in at.caption)


def test_header_popover_names_the_reference_list_and_follows_it(data_home: Path) -> None:
    at = run("explorer", {"ref": "eu-annex-i"})
    label = at.get("popover")[0].proto.popover.label
    assert label == "Compared with **EU**"
    at.selectbox(key="app.ref").select("us-ccl").run()
    label = at.get("popover")[0].proto.popover.label
    assert label == "Compared with **US**"  # the label follows the choice in the same run
    assert qp(at, "ref") == "us-ccl"


def test_overview_links_carry_the_reference_list(data_home: Path) -> None:
    at = run("overview", {"ref": "eu-annex-i"})
    lens_map = next(h.proto.body for h in at.get("html") if 'class="hz-heat"' in h.proto.body)
    assert 'href="gaps?lens=surveillance&amp;src=us-ccl&amp;ref=eu-annex-i"' in lens_map


# -- explorer ---------------------------------------------------------------------------------


def test_no_internal_ids_on_the_overview(data_home: Path) -> None:
    shown = "\n".join(html_blocks(run("overview")).split("</style>")[1:])
    visible = [part.split(">", 1)[-1] for part in shown.split("<")]  # text between tags
    for internal in ("surveillance.interception", "ai.computing", "not_detailed",
                     "not-detailed", "plurilateral"):
        assert not any(internal in text for text in visible), internal
    assert "several lists, not Wassenaar" in shown  # the origin, in words and explained


@pytest.mark.parametrize("query", ["5.A.1.j", "5A001j", "1-5.A.1.j", "5A001.j"])
def test_explorer_finds_a_code_in_any_style(data_home: Path, query: str) -> None:
    at = run("explorer", {"q": query})
    table = at.dataframe[0].value
    assert [c.split("code=")[1].split("&")[0] for c in table["code"]] == ["5A001.j"]
    assert at.text_input(key="explorer.q").value == query
    assert qp(at, "q") == query


def test_explorer_words_filters_and_round_trip(data_home: Path) -> None:
    at = run("explorer", {"q": "widgets", "src": "eu-annex-i,bogus", "status": "substantive",
                          "cat": "5"})
    assert at.multiselect(key="explorer.src").value == ["eu-annex-i"]  # unknown ids dropped
    table = at.dataframe[0].value
    assert list(table.columns[-2:]) == ["EU · eu-annex-i list", "lenses"]
    assert "why" in table.columns  # ranked search says why each code matched
    assert {c.split("code=")[1].split("&")[0] for c in table["code"]} == {"5A001.b"}
    at.text_input(key="explorer.q").input("quantum").run()
    at.multiselect(key="explorer.status").set_value([]).run()
    assert qp(at, "q") == "quantum"
    assert "status" not in at.query_params
    codes = {c.split("code=")[1].split("&")[0] for c in at.dataframe[0].value["code"]}
    assert codes == {"5A501", "5A901"}


def test_explorer_everyday_words_and_every_word_mode(data_home: Path) -> None:
    at = run("explorer", {"q": "spyware"})
    table = at.dataframe[0].value
    codes = [c.split("code=")[1].split("&")[0] for c in table["code"]]
    assert codes[0] == "4A005"  # the vocabulary: spyware -> intrusion software, 4A005
    assert "concept 'spyware'" in table["why"].iloc[0]
    assert "In the measures register" in html_blocks(at)  # the register's measures too
    exact = run("explorer", {"q": "spyware", "all": "1"})
    assert exact.toggle(key="explorer.all").value is True
    assert len(exact.dataframe[0].value) == 0  # no list uses the word itself


def test_explorer_lens_filter(data_home: Path) -> None:
    at = run("explorer", {"lens": "surveillance.interception"})
    codes = {c.split("code=")[1].split("&")[0] for c in at.dataframe[0].value["code"]}
    assert codes == {"5A980"}


# -- compare ----------------------------------------------------------------------------------


def test_compare_side_by_side_is_escaped_and_complete(data_home: Path) -> None:
    at = run("compare", {"code": "5A001j"})
    body = html_blocks(at)
    assert "&lt;script&gt;" in body and "<script>" not in body.replace("<style>", "")
    assert "**bold**" in body  # shown as typed, never rendered as markdown
    assert "hz-del" in body and "hz-ins" in body  # word-level differences marked
    assert "https://example.invalid/eu-annex-i" in body  # citation links to the publisher
    assert "Note with" in body  # the note attached to the paragraph
    params = body.split("Parameters that differ</caption>")[1].split("</table>")[0]
    assert "<td>EU · eu-annex-i list</td>" in params and "12 GHz" in params
    all_text = texts(at)
    assert "Reasons for control and licence requirements (5A001)" in all_text


def test_compare_entry_details_and_candidates(data_home: Path) -> None:
    at = run("compare", {"code": "5A980", "ref": "us-ccl"})
    assert at.selectbox(key="app.ref").value == "us-ccl"
    assert "candidate, not an alignment" in texts(at)
    at = run("compare", {"code": "5A001"})
    details = html_blocks(at).split("reasons for control:")[1]
    assert "NS, AT" in details.split("</p>")[0]
    assert '<th scope="col">country chart</th>' in details
    assert "<td>NS applies to entire entry</td><td>NS Column 2.</td>" in details  # not cut
    assert "<td>LVS</td>" in details and "<td>ACE</td>" in details


def test_compare_paragraphs_below_and_unknown_code(data_home: Path) -> None:
    at = run("compare", {"code": "5A001", "below": "1"})
    assert at.toggle(key="compare.below").value is True
    body = html_blocks(at)
    assert body.count('class="hz-code"') == 1  # 5A001 open
    assert body.count('<details class="hz-below">') == 5  # a-d and j, one line each
    at = run("compare", {"code": "9Z999"})
    assert "No loaded list holds this code" in texts(at)


def test_page_parameter_opens_a_page(data_home: Path) -> None:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["page"] = "compare"
    at.query_params["code"] = "5A001.b"
    at.run()
    assert not at.exception
    assert at.text_input(key="compare.code").value == "5A001.b"


# -- gaps -------------------------------------------------------------------------------------


def test_gaps_follow_lens_and_jurisdictions(data_home: Path) -> None:
    at = run("gaps", {"lens": "surveillance.ip-monitoring", "src": "eu-annex-i"})
    assert at.selectbox(key="gaps.lens").value == "surveillance.ip-monitoring"
    assert at.multiselect(key="gaps.src").value == ["eu-annex-i"]
    table = at.dataframe[0].value
    assert list(table["code"]) == ["compare?code=5A001.j"]  # opens Compare
    assert "canonical" not in table.columns  # the selection looks the code up on the server
    assert list(table["status"]) == ["🟧 substantive"]
    assert 'class="hz-bars"' in html_blocks(at)  # the counts per jurisdiction as a chart
    at.selectbox(key="gaps.lens").select("all").run()  # all codes
    assert qp(at, "lens") == "all"
    assert len(at.dataframe[0].value) > 1


def test_gaps_national_absences_shown_by_default_and_folded_on_request(data_home: Path
                                                                        ) -> None:
    at = run("gaps", {"lens": "surveillance.interception"})
    assert at.toggle(key="gaps.natabs").value is False
    assert set(at.dataframe[0].value["status"]) == {"🟨 national", "🟪 absent"}
    at.toggle(key="gaps.natabs").set_value(True).run()
    assert qp(at, "natabs") == "1"
    assert set(at.dataframe[0].value["status"]) == {"🟨 national"}
    # Without the US list (which holds 5A980), its absence from the EU list is the answer.
    eu = run("gaps", {"lens": "surveillance.interception", "src": "eu-annex-i", "natabs": "1"})
    assert set(eu.dataframe[0].value["status"]) == {"🟪 absent"}


# -- reference list, partners, measures, sources ----------------------------------------------


def test_reference_selector_drives_statuses(data_home: Path) -> None:
    at = run("gaps", {"lens": "surveillance.ip-monitoring", "src": "wassenaar",
                      "ref": "eu-annex-i"})
    assert at.selectbox(key="app.ref").value == "eu-annex-i"
    assert list(at.dataframe[0].value["status"]) == ["🟧 substantive"]
    at = run("gaps", {"ref": "not-a-list"})
    assert at.selectbox(key="app.ref").value == "wassenaar"


def test_partners_lists_and_scores(data_home: Path) -> None:
    at = run("partners", {"map": "eu", "state": "DEU"})
    assert at.radio(key="partners.map").value == "eu"
    table = at.dataframe[0].value.set_index("state")
    assert table.loc["United States", "scored on"] == "US · us-ccl list"
    assert table.loc["Germany", "scored on"] == "EU · eu-annex-i list"
    assert table.loc["Japan", "scored on"] == ""
    assert "Scored on EU · eu-annex-i list" in texts(at)


def test_measures_filters_round_trip() -> None:
    at = run("measures", {"jur": "US", "status": "rescinded"})
    rows = at.dataframe[0].value
    assert set(rows["jurisdiction"]) == {"US"} and set(rows["status"]) == {"rescinded"}
    at.multiselect(key="measures.status").set_value(["proposed"]).run()
    assert qp(at, "status") == "proposed"
    assert set(at.dataframe[0].value["status"]) == {"proposed"}


def test_sources_shows_provenance(data_home: Path) -> None:
    at = run("sources")
    table = at.dataframe[0].value
    assert set(table["id"]) == {"wassenaar", "wassenaar-ml", "eu-annex-i", "us-ccl"}
    assert "a note from the loader" in texts(at)


def test_sources_import_runs_isolated_and_lists_only_known_sources(
        store_home: Path, toy_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    """The page hands the path to harmonize.ingest.isolated (here a stand-in that imports the
    toy list in this process, as the child would) and reports what came back."""
    from harmonize.ingest import bundle, isolated
    from tests.toy_loader import registry as toy_registry

    calls: list[tuple[Path, Path]] = []

    def stand_in(path: Path, *, home: Path, **_: Any) -> isolated.IsolatedImport:
        calls.append((path, home))
        outcomes = bundle.import_any(path, registry=toy_registry())
        return isolated.IsolatedImport(True, "1 source(s) imported", [
            {"source_id": o.source_id, "status": o.status, "message": o.message,
             "seconds": o.seconds} for o in outcomes])

    monkeypatch.setattr(isolated, "import_isolated", stand_in)
    at = run("sources")
    at.text_input(key="sources.folder").input(str(toy_dir))
    at.button[0].click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert calls == [(toy_dir, store.home())]
    report = at.dataframe[-1].value
    assert list(report["source"]) == ["toy-list"]  # the skipped folder's name is not shown
    assert at.success and "imported" in at.success[0].value
    assert str(toy_dir) not in "\n".join(t for _, _, t in markup_texts(at))
    at = run("sources")
    assert list(at.dataframe[0].value["id"]) == ["toy-list"]
    assert str(store.home()) not in "\n".join(t for _, _, t in markup_texts(at))


def test_missing_unreadable_and_listless_paths_read_the_same(store_home: Path,
                                                             tmp_path: Path) -> None:
    """Through the real isolated import: a missing path, a file and a folder without lists
    give one message, naming none of them."""
    (tmp_path / "a-file.txt").write_text("x")
    (tmp_path / "empty").mkdir()
    seen = []
    for path in ("/nonexistent/secret", str(tmp_path / "a-file.txt"), str(tmp_path / "empty")):
        at = run("sources")
        at.text_input(key="sources.folder").input(path)
        at.button[0].click().run()
        assert not at.exception
        seen.append([w.value for w in at.warning] + [e.value for e in at.error])
        every = "\n".join(t for _, _, t in markup_texts(at))
        assert "secret" not in every and "a-file" not in every and str(tmp_path) not in every
    assert seen[0] == seen[1] == seen[2] and len(seen[0]) == 1
    assert seen[0][0].startswith("Nothing imported")


def test_import_is_off_on_a_served_app(store_home: Path, monkeypatch: pytest.MonkeyPatch
                                       ) -> None:
    monkeypatch.setenv("HARMONIZE_SERVED", "1")  # what `harmonize serve` sets
    at = run("sources")
    assert "switched off on this server" in texts(at)
    assert not [w for w in at.text_input if w.key == "sources.folder"]
    monkeypatch.setenv("HARMONIZE_ALLOW_IMPORT", "1")  # `harmonize serve --allow-import`
    assert run("sources").text_input(key="sources.folder") is not None


def test_import_path_is_never_taken_from_the_url(store_home: Path, toy_dir: Path) -> None:  # noqa: F811
    at = run("sources", {"folder": str(toy_dir), "sources.folder": str(toy_dir)})
    assert at.text_input(key="sources.folder").value == ""
    assert not (store_home / store.MANIFEST).exists()


# Fields that hold what a visitor typed or a URL, shown as a value, never read as markup.
NOT_MARKUP = {("TextInput", "value"), ("PageLink", "query_string")}
# Fields read as HTML (st.html, plotly's hover text); every other text is read as markdown.
HTML_FIELDS = {("Html", "body"), ("PlotlyChart", "spec")}
# What URL values would leave behind if a page echoed them unescaped: tags and script links in
# HTML, and in markdown also links and formatting (list texts hold the same strings, escaped).
HOSTILE_IN_HTML = ("<script", '="javascript:', "<b>x</b>")
HOSTILE_IN_MARKDOWN = (*HOSTILE_IN_HTML, "](javascript:", "**bold**")


def walk(node: Any) -> Iterator[Any]:
    """Every node of an AppTest element tree: blocks (columns, popovers, expanders, forms) and
    the elements inside them."""
    yield node
    for child in getattr(node, "children", {}).values():
        yield from walk(child)


def proto_strings(message: Message) -> Iterator[tuple[str, str]]:
    """(field name, text) for every string field of a Streamlit element's message, nested
    messages included: whatever kind of element a page adds, its texts are seen."""
    for field, value in message.ListFields():
        items = value if field.is_repeated else [value]
        for item in items:
            if isinstance(item, Message):
                yield from proto_strings(item)
            elif isinstance(item, str):
                yield field.name, item


def markup_texts(at: AppTest) -> list[tuple[str, str, str]]:
    """(element, field, text) for every text of every element that Streamlit renders as
    markdown or HTML (markdown, caption, html, headings, alerts, labels, help, popover and
    expander labels, chart specs…), i.e. every string field but typed values and URLs."""
    found = []
    for node in walk(at._tree):
        message = getattr(node, "proto", None)
        if not isinstance(message, Message):
            continue
        kind = type(message).__name__
        found += [(kind, name, text) for name, text in proto_strings(message)
                  if (kind, name) not in NOT_MARKUP]
    return found


@pytest.mark.parametrize("params", [
    {"q": HOSTILE}, {"code": HOSTILE}, {"src": "../../etc/passwd"}, {"lens": "<b>x</b>"},
    {"ref": "javascript:alert(1)"}, {"page": "../../app"}, {"metric": "x" * 500},
    {"jur": HOSTILE, "state": HOSTILE, "id": HOSTILE, "map": HOSTILE, "status": HOSTILE},
])
@pytest.mark.parametrize("page", PAGES)
def test_hostile_query_parameters_are_harmless(data_home: Path, page: str,
                                               params: dict[str, str]) -> None:
    at = run(page, params)
    texts_seen = markup_texts(at)
    assert any(kind == "Heading" for kind, _, _ in texts_seen)  # the walk reaches the page
    for kind, name, text in texts_seen:
        hostile = HOSTILE_IN_HTML if (kind, name) in HTML_FIELDS else HOSTILE_IN_MARKDOWN
        for piece in hostile:
            assert piece not in text, f"{page}: {kind}.{name} holds {piece!r}: {text[:300]}"
    for table in at.dataframe:  # link columns: no javascript: link
        cells = [str(c).lstrip().lower() for c in table.value.to_numpy().ravel()]
        assert not any(c.startswith("javascript:") for c in cells), page


def test_markup_walk_sees_every_element_kind(data_home: Path) -> None:
    """The walk above reads the kinds of element that render markup: st.html bodies, markdown,
    captions, headings, alerts, widget labels and help, popover labels, chart specs."""
    seen = set()
    for page, params in (("compare", {"code": "5A001"}), ("compare", {"code": "9Z999"}),
                         ("partners", {}), ("explorer", {})):
        seen |= {(kind, name) for kind, name, _ in markup_texts(run(page, params))}
    assert {("Html", "body"), ("Markdown", "body"), ("Heading", "body"), ("Alert", "body"),
            ("TextInput", "label"), ("Checkbox", "help"), ("Block", "label"),
            ("PlotlyChart", "spec")} <= seen, seen


# -- versions: as of, timeline, changes -----------------------------------------------------------

TOY = (Path(__file__).parent / "fixtures" / "toy" / "toy-list.txt").read_text()


def toy_versions(folder: Path, versions: dict[str, str]) -> None:
    """Keep the toy list's `versions` (date -> text, the date written into it) as dated versions
    in the store HARMONIZE_HOME names, and the fixture's own text (2025-03-01) as its current
    version; `folder` holds the files imported."""
    from harmonize.ingest import bundle
    from tests.toy_loader import registry as sources

    for version, body in versions.items():
        dated = folder / "hist" / "toy-list" / version
        dated.mkdir(parents=True)
        (dated / "toy-list.txt").write_text(body.replace("2025-03-01", version))
    outcomes = bundle.import_any(folder / "hist", registry=sources())
    assert {o.status for o in outcomes} == {"imported"}, outcomes
    current = folder / "now" / "toy-list"
    current.mkdir(parents=True)
    (current / "toy-list.txt").write_text(TOY)
    store.import_source("toy-list", current, registry=sources())


@pytest.fixture()
def versioned_home(store_home: Path, tmp_path: Path) -> Path:
    """The toy list in two dated versions (history) and the newer one as current."""
    toy_versions(tmp_path, {"2024-01-01": TOY.replace("above 10 GHz", "above 8 GHz"),
                            "2025-03-01": TOY})
    return store_home


def test_as_of_picks_the_version_of_that_date(versioned_home: Path) -> None:
    at = run("compare", {"code": "5A001.a.1", "asof": "2024-01-01"})
    assert qp(at, "asof") == "2024-01-01"
    assert "8 GHz" in html_blocks(at) and "10 GHz" not in html_blocks(at)
    assert at.get("popover")[0].proto.popover.label.endswith(" as of **2024-01-01**")
    at = run("compare", {"code": "5A001.a.1"})
    assert "10 GHz" in html_blocks(at)
    assert " as of " not in at.get("popover")[0].proto.popover.label
    at = run("compare", {"code": "5A001.a.1", "asof": "../../etc"})  # not a kept date: ignored
    assert "10 GHz" in html_blocks(at)
    assert " as of " not in at.get("popover")[0].proto.popover.label


def test_compare_shows_the_timeline(versioned_home: Path) -> None:
    at = run("compare", {"code": "5A001.a.1"})
    timeline = next(d.value for d in at.dataframe if "changed in" in d.value.columns)
    row = timeline.set_index("list").loc["Toy List"]  # the list's name, not its id
    assert row["first kept version with it"] == "2024-01-01"
    assert row["changed in"] == "2025-03-01"


def test_sources_lists_versions_and_links_to_changes(versioned_home: Path) -> None:
    at = run("sources")
    kept = next(d.value for d in at.dataframe if "dates" in d.value.columns)
    assert kept.set_index("list").loc["toy-list", "dates"] == "2024-01-01, 2025-03-01"
    assert any("Changes" in str(link.proto.label) for link in at.get("page_link"))
    changes = run("changes")  # the toy list's two versions, newest against the one before
    body = html_blocks(changes)
    assert '<del class="hz-del">8</del> <ins class="hz-ins">10</ins>' in body
    assert ">5A001.a.1</a>" in body
