"""Refresh: List II from lovdata (publisher `lovdata`; the list in force only).

The regulation's page `/dokument/SF/forskrift/2013-06-19-718` links the list II PDF (the
English one where both are linked).
"""

from __future__ import annotations

import re
import urllib.parse

from harmonize.ingest.refresh import Context, Download, RefreshError

LIST_II = re.compile(r"(list[\s_-]*ii\b|appendix[\s_-]*2|vedlegg[\s_-]*2|liste[\s_-]*ii)", re.I)
ENGLISH = re.compile(r"english|/en/|appendix|list", re.I)


def fetch(ctx: Context) -> Download:
    url = f"{ctx.bases['lovdata']}/dokument/SF/forskrift/2013-06-19-718"
    links = [href for href, text in ctx.links(url)
             if href.lower().split("?")[0].endswith(".pdf") and LIST_II.search(href + " " + text)]
    english = [h for h in links if ENGLISH.search(h)]
    chosen = (english or links)[:1]
    if not chosen:
        raise RefreshError(f"{url}: no link to the list II PDF")
    return Download(ctx.get(chosen[0], "pdf", urllib.parse.urlsplit(chosen[0]).path), [], [url])
