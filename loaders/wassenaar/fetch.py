"""Refresh: the list PDF from the Wassenaar Arrangement's site (publisher `wassenaar`).

The "Control Lists" page `/control-lists/` links the list PDF
(`/app/uploads/YYYY/MM/…List-of-Dual-Use…pdf`): the newest upload is taken, or the newest
uploaded by `--as-of`.
"""

from __future__ import annotations

import re
import urllib.parse

from harmonize.ingest.refresh import Context, Download, RefreshError

UPLOAD_DATE = re.compile(r"/uploads/(\d{4})/(\d{2})/")
LIST_LINK = re.compile(r"list.of.dual.use|dual-use.*munitions|wa-list", re.I)


def fetch(ctx: Context) -> Download:
    url = f"{ctx.bases['wassenaar']}/control-lists/"
    links = [(href, text) for href, text in ctx.links(url)
             if href.lower().split("?")[0].endswith(".pdf") and LIST_LINK.search(href + " " + text)]
    dated = []
    for href, _ in links:
        m = UPLOAD_DATE.search(href)
        when = f"{m[1]}-{m[2]}-01" if m else ""
        if ctx.as_of and (not when or when > ctx.as_of):
            continue
        dated.append((when, href))
    if not dated:
        raise RefreshError(f"{url}: no link to the list PDF"
                           + (f" uploaded on or before {ctx.as_of}" if ctx.as_of else ""))
    href = max(dated)[1]
    return Download(ctx.get(href, "pdf", urllib.parse.urlsplit(href).path), [], [url])
