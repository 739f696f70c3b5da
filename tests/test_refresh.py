"""`harmonize refresh` against a local HTTP server on 127.0.0.1 that serves hand-written
fixtures in the publishers' URL layouts (tests/fixtures/publishers), and the failures a real
download meets: time-outs, HTTP 500, a truncated body, a wrong content type, gzip, an interrupted
transfer. Every failure must end with a clear message and the previous store intact."""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import socket
import struct
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pymupdf
import pytest

from harmonize import cli_versions
from harmonize.ingest import history, refresh, store
from harmonize.ingest import source as ingest_source
from loaders.uk_sel.meta import PUBLICATION_PAGE as UK_PAGE
from tests.conftest import FIXTURES
from tests.toy_loader import registry as sources

PUB = FIXTURES / "publishers"
ECFR = "/api/versioner/v1"
UK_PDF = "/media/0000aaaa/UK_Strategic_Export_Control_List.pdf"
WA_PDF = "/app/uploads/2026/01/List-of-Dual-Use-Goods-and-Technologies-and-ML-2025-Corr.pdf"
NO_PDF = "/static/SF/sf-20130619-0718-02-en.pdf"
AU_WORD = "/F2024L01024/latest/text/original/word"
EU_TEXT = "/legal-content/EN/TXT/HTML/?uri=CELEX:02021R0821-20260921"
CA_XML = "/eng/XML/SOR-89-202.xml"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass
class Route:
    body: bytes
    content_type: str
    behaviour: str = "ok"  # ok, 500, slow, truncate, interrupt, gzip, flaky
    failures: int = 0  # for "flaky": how many 500s before the real reply


@dataclass
class Publisher:
    """The local server: routes by path (with query), and what it saw."""

    routes: dict[str, Route] = field(default_factory=dict)
    seen: list[tuple[str, str]] = field(default_factory=list)  # (path, user agent)
    base: str = ""

    def serve(self, path: str, body: bytes | Path, content_type: str,
              behaviour: str = "ok", failures: int = 0) -> None:
        data = body.read_bytes() if isinstance(body, Path) else body
        self.routes[path] = Route(data, content_type, behaviour, failures)


def _handler(publisher: Publisher) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # quiet
            return

        def do_GET(self) -> None:
            publisher.seen.append((self.path, self.headers.get("User-Agent", "")))
            route = publisher.routes.get(self.path)
            if route is None:
                self._send(404, b"<html><body>not found</body></html>", "text/html")
                return
            if route.behaviour == "500" or (route.behaviour == "flaky" and route.failures > 0):
                route.failures -= 1
                self._send(500, b"<html><body>server error</body></html>", "text/html")
                return
            if route.behaviour == "slow":
                time.sleep(1.2)  # past the client's 0.4 s time-out; bounded
            body = route.body
            if route.behaviour == "gzip":
                self.send_response(200)
                zipped = gzip.compress(body)
                self._headers(route.content_type, len(zipped), {"Content-Encoding": "gzip"})
                self.wfile.write(zipped)
                return
            if route.behaviour == "truncate":  # no length, then half the body and a clean close
                self.send_response(200)
                self.send_header("Content-Type", route.content_type)
                self.end_headers()
                self.wfile.write(body[: len(body) // 2])
                return
            if route.behaviour == "interrupt":  # full length declared, part sent, then a reset
                self.send_response(200)
                self._headers(route.content_type, len(body), {})
                self.wfile.write(body[: len(body) // 3])
                self.wfile.flush()
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                self.connection.close()
                return
            self._send(200, body, route.content_type)

        def _headers(self, content_type: str, length: int, extra: dict[str, str]) -> None:
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(length))
            self.send_header("ETag", '"fixture-etag"')
            self.send_header("Last-Modified", "Thu, 23 Jul 2026 08:00:00 GMT")
            for key, value in extra.items():
                self.send_header(key, value)
            self.end_headers()

        def _send(self, status: int, body: bytes, content_type: str) -> None:
            self.send_response(status)
            self._headers(content_type, len(body), {})
            self.wfile.write(body)

    return Handler


@pytest.fixture()
def publisher(monkeypatch: pytest.MonkeyPatch) -> Iterator[Publisher]:
    pub = Publisher()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(pub))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    pub.base = f"http://127.0.0.1:{server.server_address[1]}"
    monkeypatch.setenv(refresh.ENV_BASE, pub.base)
    _fixture_routes(pub)
    try:
        yield pub
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _fixture_routes(pub: Publisher) -> None:
    pub.serve(f"{ECFR}/titles", PUB / "ecfr" / "titles.json", "application/json")
    pub.serve(f"{ECFR}/full/2026-07-23/title-15.xml?part=774",
              FIXTURES / "us-ccl" / "title-15-2026-07-23.xml", "application/xml")
    for part in ("738", "740", "744"):
        pub.serve(f"{ECFR}/full/2026-07-23/title-15.xml?part={part}",
                  PUB / "ecfr" / f"title-15-part-{part}.xml", "application/xml")
    pub.serve("/legal-content/EN/ALL/?uri=CELEX:32021R0821", PUB / "eurlex" / "all-32021R0821.html",
              "text/html; charset=UTF-8")
    pub.serve(EU_TEXT, FIXTURES / "eu-annex-i" / "02021R0821-20260921.html",
              "text/html; charset=UTF-8")
    pub.serve(CA_XML, FIXTURES / "ca-ecl" / "SOR-89-202.xml", "application/xml")
    pub.serve("/control-lists/", PUB / "wassenaar" / "control-lists.html", "text/html")
    pub.serve("/F2024L01024/latest/downloads", PUB / "legislation-au" / "downloads.html",
              "text/html")
    pub.serve("/dokument/SF/forskrift/2013-06-19-718", PUB / "lovdata" /
              "forskrift-2013-06-19-718.html", "text/html")
    pub.serve(UK_PAGE, PUB / "govuk" / "publication.html", "text/html")


@pytest.fixture()
def small_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hand-written fixtures hold a handful of entries: no expected-count check."""
    monkeypatch.setattr(ingest_source, "check_expected", lambda *args: None)


def fast() -> refresh.Fetcher:
    return refresh.Fetcher(timeout=0.4, retries=1, backoff=0.01, sleep=lambda s: None)


def store_checksums(home: Path) -> dict[str, str]:
    """Every file of the store (manifest, raw, parsed, history) by its sha256."""
    return {str(p.relative_to(home)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(home.rglob("*")) if p.is_file()}


def _tiny_pdf(text: str) -> bytes:
    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), text)
    data: bytes = doc.tobytes()
    doc.close()
    return data


# -- addresses -------------------------------------------------------------------------------

def test_publisher_bases_from_env_and_parameter() -> None:
    official = sources().publishers()
    assert refresh.publisher_bases(official, environ={})["ecfr"] == "https://www.ecfr.gov"
    every = refresh.publisher_bases(official, environ={refresh.ENV_BASE: "http://127.0.0.1:9/"})
    assert set(every.values()) == {"http://127.0.0.1:9"}
    some = refresh.publisher_bases(official, {"justice-ca": "http://127.0.0.1:7"},
                                   environ={refresh.ENV_BASE: "ecfr=http://127.0.0.1:8"})
    assert some["ecfr"] == "http://127.0.0.1:8" and some["justice-ca"] == "http://127.0.0.1:7"
    assert some["eurlex"] == "https://eur-lex.europa.eu"
    with pytest.raises(ValueError, match="unknown publisher"):
        refresh.publisher_bases(official, {"nowhere": "http://127.0.0.1:1"}, environ={})
    assert refresh.rebase("https://assets.publishing.service.gov.uk/media/x.pdf", every,
                          official) == \
        "http://127.0.0.1:9/media/x.pdf"


# -- success -----------------------------------------------------------------------------------

def test_refresh_us_eu_ca_records_where_and_when(publisher: Publisher, store_home: Path,
                                                  small_lists: None) -> None:
    seen: list[tuple[str, int, int]] = []
    out = refresh.refresh(["us-ccl", "eu-annex-i", "ca-ecl"], fetcher=fast(),
                          progress=lambda n, i, t: seen.append((n, i, t)), registry=sources())
    assert [(o.source_id, o.status) for o in out] == [
        ("us-ccl", "refreshed"), ("eu-annex-i", "refreshed"), ("ca-ecl", "refreshed")], out
    assert seen[0] == ("us-ccl", 0, 3) and seen[-1] == ("done", 3, 3)
    manifest = store.read_manifest(store_home)
    us = manifest["sources"]["us-ccl"]
    facts = us["retrieval"]
    assert facts["url"] == f"{publisher.base}{ECFR}/full/2026-07-23/title-15.xml?part=774"
    assert us["origin"] == facts["url"]
    assert facts["etag"] == '"fixture-etag"' and facts["http_date"]
    assert facts["retrieved_at"].endswith("Z") and facts["version"] == "2026-07-23"
    raw = store_home / us["raw_file"]
    assert facts["sha256"] == us["sha256"] == store.sha256_file(raw)
    assert raw.read_bytes() == (FIXTURES / "us-ccl" / "title-15-2026-07-23.xml").read_bytes()
    parts = {c["file"] for c in us["companions"]}
    assert parts == {f"title-15-part-{p}-2026-07-23.xml" for p in ("738", "740", "744")}
    assert all((raw.parent / name).is_file() for name in parts)
    eu = manifest["sources"]["eu-annex-i"]
    assert eu["retrieval"]["url"].endswith("CELEX:02021R0821-20260921")
    assert [lst["version"] for lst in eu["lists"]] == ["2026-09-21", "2026-09-21"]
    assert manifest["sources"]["ca-ecl"]["lists"][0]["version"] == "2023-11-02"
    # The refreshed versions are kept in the history too.
    assert set(history.read_index(store_home)["sources"]) == {"us-ccl", "eu-annex-i", "ca-ecl"}
    agents = {agent for _, agent in publisher.seen}
    assert agents and all(a.startswith("harmonize/") for a in agents)
    assert not list((store_home / ".refresh").iterdir())  # staging cleaned up

    again = refresh.refresh(["ca-ecl"], fetcher=fast(), registry=sources())
    assert again[0].status == "unchanged"


def test_as_of_asks_for_that_date(publisher: Publisher, store_home: Path,
                                  small_lists: None) -> None:
    publisher.serve(f"{ECFR}/full/2026-01-05/title-15.xml?part=774",
                    FIXTURES / "us-ccl" / "title-15-2026-07-23.xml", "application/xml")
    for part in ("738", "740", "744"):
        publisher.serve(f"{ECFR}/full/2026-01-05/title-15.xml?part={part}",
                        PUB / "ecfr" / f"title-15-part-{part}.xml", "application/xml")
    publisher.serve("/legal-content/EN/TXT/HTML/?uri=CELEX:02021R0821-20250915",
                    FIXTURES / "eu-annex-i" / "02021R0821-20260921.html", "text/html")
    out = refresh.refresh(["us-ccl", "eu-annex-i", "ca-ecl"], as_of="2026-01-05",
                          fetcher=fast(), registry=sources())
    paths = [p for p, _ in publisher.seen]
    assert f"{ECFR}/titles" not in paths
    assert f"{ECFR}/full/2026-01-05/title-15.xml?part=774" in paths
    assert "/legal-content/EN/TXT/HTML/?uri=CELEX:02021R0821-20250915" in paths
    assert [o.status for o in out[:2]] == ["refreshed", "refreshed"]
    assert out[2].status == "failed" and "--as-of is not supported" in out[2].message
    with pytest.raises(ValueError, match="not a YYYY-MM-DD"):
        refresh.refresh(["us-ccl"], as_of="5 Jan 2026", registry=sources())


def test_gzip_reply_is_stored_decompressed(publisher: Publisher, store_home: Path,
                                            small_lists: None) -> None:
    publisher.routes[CA_XML].behaviour = "gzip"
    [out] = refresh.refresh(["ca-ecl"], fetcher=fast(), registry=sources())
    assert out.status == "refreshed", out.message
    assert out.sha256 == store.sha256_file(FIXTURES / "ca-ecl" / "SOR-89-202.xml")


def test_retry_after_a_passing_server_error(publisher: Publisher, store_home: Path,
                                            small_lists: None) -> None:
    publisher.routes[CA_XML].behaviour = "flaky"
    publisher.routes[CA_XML].failures = 1
    [out] = refresh.refresh(["ca-ecl"], fetcher=fast(), registry=sources())
    assert out.status == "refreshed"
    assert len(out.retries) == 1 and "HTTP 500" in out.retries[0]


# -- failures leave the previous store as it was -----------------------------------------------

FAILURES = [
    ("slow", "timed out after 0.4 s (after 2 attempts)"),
    ("500", "HTTP 500"),
    ("truncate", "not well-formed XML (truncated?)"),
    ("interrupt", "SOR-89-202.xml: "),
    ("wrong-type", "content type 'text/html', expected XML"),
]


@pytest.mark.parametrize(("behaviour", "message"), FAILURES, ids=[f[0] for f in FAILURES])
def test_failed_download_keeps_the_previous_snapshot(publisher: Publisher, store_home: Path,
                                                     small_lists: None, behaviour: str,
                                                     message: str) -> None:
    [first] = refresh.refresh(["ca-ecl"], fetcher=fast(), registry=sources())
    assert first.status == "refreshed"
    before = store_checksums(store_home)
    route = publisher.routes[CA_XML]
    route.body = route.body.replace(b"a spin rate", b"a new spin rate")  # a new version
    if behaviour == "wrong-type":
        route.content_type = "text/html"
    else:
        route.behaviour = behaviour
    [out] = refresh.refresh(["ca-ecl"], fetcher=fast(), registry=sources())
    assert out.status == "failed"
    assert message in out.message, out.message
    assert f"{publisher.base}{CA_XML}" in out.message
    if behaviour == "interrupt":
        assert "interrupted" in out.message or "truncated" in out.message
    assert store_checksums(store_home) == before


def test_wrong_bytes_and_loader_failure_keep_the_previous_snapshot(
        publisher: Publisher, store_home: Path, small_lists: None) -> None:
    refresh.refresh(["ca-ecl"], fetcher=fast(), registry=sources())
    before = store_checksums(store_home)
    # An HTML error page sent as XML: caught before anything is parsed.
    publisher.serve(CA_XML, b"<html><body>maintenance</body></html>", "application/xml")
    [out] = refresh.refresh(["ca-ecl"], fetcher=fast(), registry=sources())
    assert out.status == "failed" and "XML root <html>, expected <Regulation>" in out.message
    # A real PDF that is not the Wassenaar list: downloaded, then refused by the loader.
    publisher.serve(WA_PDF, _tiny_pdf("An invented leaflet about widgets."), "application/pdf")
    [wa] = refresh.refresh(["wassenaar"], fetcher=fast(), registry=sources())
    assert wa.status == "failed" and "but not imported" in wa.message
    assert "WA-LIST" in wa.message
    # A PDF cut short (no %%EOF).
    publisher.serve(WA_PDF, _tiny_pdf("cut")[:-40], "application/pdf")
    [cut] = refresh.refresh(["wassenaar"], fetcher=fast(), registry=sources())
    assert cut.status == "failed" and "truncated PDF" in cut.message
    # HTML where a PDF should be, with a PDF content type.
    publisher.serve(WA_PDF, b"<!DOCTYPE html><html></html>", "application/pdf")
    [html] = refresh.refresh(["wassenaar"], fetcher=fast(), registry=sources())
    assert html.status == "failed" and "not a PDF" in html.message
    assert store_checksums(store_home) == before


def test_one_failing_source_does_not_stop_the_others(publisher: Publisher, store_home: Path,
                                                     small_lists: None) -> None:
    publisher.routes[f"{ECFR}/titles"].behaviour = "500"
    del publisher.routes["/control-lists/"]
    out = {o.source_id: o for o in refresh.refresh(fetcher=fast(), registry=sources())}
    assert out["us-ccl"].status == "failed" and "HTTP 500" in out["us-ccl"].message
    assert out["wassenaar"].status == "failed" and "HTTP 404" in out["wassenaar"].message
    assert out["ca-ecl"].status == "refreshed"
    assert out["eu-annex-i"].status == "refreshed"
    # AU, NO and UK: the discovery pages work; the files are not served here.
    assert "HTTP 404" in out["au-dsgl"].message and AU_WORD in out["au-dsgl"].message
    assert NO_PDF in out["no-list-ii"].message and UK_PDF in out["uk-sel"].message
    assert set(store.read_manifest(store_home)["sources"]) == {"ca-ecl", "eu-annex-i"}


def test_size_limit_and_unknown_source(publisher: Publisher, store_home: Path) -> None:
    fetcher = fast()
    fetcher.max_bytes = 100
    [out] = refresh.refresh(["ca-ecl"], fetcher=fetcher, registry=sources())
    assert out.status == "failed" and "over the limit of 100" in out.message
    [unknown] = refresh.refresh(["xx-list"], fetcher=fast(), registry=sources())
    assert unknown.status == "failed" and "no publisher known" in unknown.message


def test_cli_refresh(publisher: Publisher, store_home: Path, small_lists: None,
                     capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="harmonize")
    cli_versions.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["refresh", "ca-ecl", "us-ccl", "--timeout", "2", "--json"])
    assert args.func(args) == 0
    payload = json.loads(capsys.readouterr().out)
    assert [s["status"] for s in payload["sources"]] == ["refreshed", "refreshed"]
    publisher.routes[CA_XML].behaviour = "500"
    args = parser.parse_args(["refresh", "ca-ecl", "--retries", "0"])
    assert args.func(args) == 1
    text = capsys.readouterr()
    assert "failed: ca-ecl" in text.out
    assert "refresh: ca-ecl       failed" in text.err  # one line per source as it ends


# -- every source, with the real PDF and DOCX lists (integration) --------------------------------

@pytest.mark.integration
def test_refresh_every_source(publisher: Publisher, store_home: Path, shared_sources: Path,
                              small_lists: None) -> None:
    real: list[tuple[str, str, str, str]] = [
        (WA_PDF, "wassenaar", "wassenaar_2025.pdf", "application/pdf"),
        (AU_WORD, "au-dsgl", "F2024L01024.docx", DOCX),
        (NO_PDF, "no-list-ii", "export-control-appendix2.pdf", "application/pdf"),
        (UK_PDF, "uk-sel", "uk_export_control_list_2025.pdf", "application/pdf"),
    ]
    for path, source, name, content_type in real:
        file = shared_sources / source / name
        if not file.is_file():
            pytest.skip(f"{file} is absent")
        publisher.serve(path, file, content_type)
    publisher.routes[WA_PDF].behaviour = "gzip"  # a gzip transfer of a binary file
    out = {o.source_id: o
           for o in refresh.refresh(fetcher=refresh.Fetcher(timeout=10), registry=sources())}
    assert {k: o.status for k, o in out.items()} == dict.fromkeys(
        sources().refreshable(), "refreshed"), {k: o.message for k, o in out.items()}
    manifest = store.read_manifest(store_home)
    for path, source, name, _ in real:
        record = manifest["sources"][source]
        assert record["sha256"] == store.sha256_file(shared_sources / source / name)
        assert record["retrieval"]["url"] == f"{publisher.base}{path}"
    assert out["wassenaar"].version == "2026-01-15"
    entries = {lst["id"]: lst["entries"] for s in manifest["sources"].values()
               for lst in s["lists"]}
    assert entries["wassenaar"] == 173 and entries["uk-sel"] > 300



def test_bundle_of_a_refreshed_store_keeps_the_retrieval_facts(
        publisher: Publisher, store_home: Path, small_lists: None, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from harmonize.ingest import bundle

    refresh.refresh(["us-ccl"], fetcher=fast(), registry=sources())
    made = store.read_manifest(store_home)["sources"]["us-ccl"]
    bundle.make_bundle(tmp_path / "b.zip")
    monkeypatch.setenv("HARMONIZE_HOME", str(tmp_path / "air-gapped"))
    outcomes = bundle.import_any(tmp_path / "b.zip", registry=sources())
    assert [(o.source_id, o.status) for o in outcomes] == [
        ("us-ccl", "imported"), ("us-ccl@2026-07-23", "imported")]
    got = store.read_manifest(tmp_path / "air-gapped")["sources"]["us-ccl"]
    assert got["sha256"] == made["sha256"]
    assert got["retrieval"]["url"] == made["retrieval"]["url"]
    assert got["retrieval"]["etag"] == '"fixture-etag"'
    assert got["bundle"]["first_origin"] == made["origin"]
    raw_dir = (tmp_path / "air-gapped" / got["raw_file"]).parent
    assert sorted(c["file"] for c in got["companions"]) == sorted(
        c["file"] for c in made["companions"])
    assert all(store.sha256_file(raw_dir / c["file"]) == c["sha256"] for c in got["companions"])


# -- publishers that never answer (#19) ------------------------------------------------------------

@pytest.fixture
def silent_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Accepts connections and never sends a byte: every publisher points here."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    monkeypatch.setenv(refresh.ENV_BASE, base)
    try:
        yield base
    finally:
        stop.set()
        thread.join(timeout=5)
        for connection in held:
            connection.close()
        listener.close()


def test_a_publisher_that_never_answers_costs_at_most_the_source_deadline(
        silent_server: str, store_home: Path) -> None:
    """Each source gives up by its own deadline, however many retries remain, and says so;
    a line is reported per source as it ends."""
    fetcher = refresh.Fetcher(timeout=0.4, retries=50, backoff=0.05, deadline=1.5)
    reported: list[str] = []
    started = time.monotonic()
    outcomes = refresh.refresh(["us-ccl", "ca-ecl"], fetcher=fetcher, registry=sources(),
                               report=lambda o: reported.append(o.source_id))
    elapsed = time.monotonic() - started
    assert [o.status for o in outcomes] == ["failed", "failed"]
    assert all("1.5 s limit" in o.message for o in outcomes), [o.message for o in outcomes]
    assert reported == ["us-ccl", "ca-ecl"]
    assert elapsed < 2 * 1.5 + 3  # two deadlines and some slack, not 50 retries each
    assert not (store_home / store.MANIFEST).exists()


def test_refresh_limits_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert refresh.default_limits() == (refresh.REQUEST_TIMEOUT, refresh.RETRIES,
                                        refresh.SOURCE_DEADLINE)
    monkeypatch.setenv("HARMONIZE_REFRESH_TIMEOUT", "5")
    monkeypatch.setenv("HARMONIZE_REFRESH_RETRIES", "1")
    monkeypatch.setenv("HARMONIZE_REFRESH_DEADLINE", "20")
    assert refresh.default_limits() == (5.0, 1, 20.0)
    monkeypatch.setenv("HARMONIZE_REFRESH_DEADLINE", "soon")
    with pytest.raises(ValueError, match="HARMONIZE_REFRESH_DEADLINE='soon' is not a number"):
        refresh.default_limits()
