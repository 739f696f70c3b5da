"""Refresh: the DSGL's Word rendition from legislation.gov.au (publisher `legislation-au`).

`/F2024L01024/latest/downloads` (or `/F2024L01024/asat/{date}/downloads` for `--as-of`) links
the renditions; the Word (.docx) one is taken.
"""

from __future__ import annotations

import re

from harmonize.ingest.refresh import Context, Download, RefreshError


def fetch(ctx: Context) -> Download:
    point = f"asat/{ctx.as_of}" if ctx.as_of else "latest"
    url = f"{ctx.bases['legislation-au']}/F2024L01024/{point}/downloads"
    links = [href for href, text in ctx.links(url)
             if href.lower().split("?")[0].endswith(".docx") or re.search(r"\bword\b", text, re.I)
             or href.rstrip("/").lower().endswith("/word")]
    if not links:
        raise RefreshError(f"{url}: no Word (.docx) rendition linked")
    return Download(ctx.get(links[0], "docx", "F2024L01024.docx"), [], [url])
