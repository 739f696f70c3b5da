"""Refresh: Annex I from EUR-Lex (publisher `eurlex`).

The consolidated versions of CELEX 32021R0821 are named on
`/legal-content/EN/ALL/?uri=CELEX:32021R0821` (the latest is taken, or the latest on or before
`--as-of`); the text is `/legal-content/EN/TXT/HTML/?uri=CELEX:02021R0821-YYYYMMDD`.
"""

from __future__ import annotations

import re

from harmonize.ingest.refresh import Context, Download, RefreshError

CONSOLIDATED = re.compile(r"0\s?2021R0821-(\d{4})(\d{2})(\d{2})")


def fetch(ctx: Context) -> Download:
    eurlex = ctx.bases["eurlex"]
    url = f"{eurlex}/legal-content/EN/ALL/?uri=CELEX:32021R0821"
    found = sorted({f"{m[1]}-{m[2]}-{m[3]}" for m in CONSOLIDATED.finditer(ctx.page(url))})
    dates = [d for d in found if not ctx.as_of or d <= ctx.as_of]
    if not dates:
        raise RefreshError(f"{url}: no consolidated version of 32021R0821"
                           + (f" on or before {ctx.as_of}" if ctx.as_of else ""))
    chosen = dates[-1].replace("-", "")
    text_url = f"{eurlex}/legal-content/EN/TXT/HTML/?uri=CELEX:02021R0821-{chosen}"
    return Download(ctx.get(text_url, "html", f"02021R0821-{chosen}.html"), [], [url])
