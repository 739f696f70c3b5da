"""Refresh: the CCL from the eCFR versioner (publisher `ecfr`).

`/api/versioner/v1/titles` gives the latest issue date of title 15 (or `--as-of` names it),
then `/api/versioner/v1/full/{date}/title-15.xml?part=774` is the list; parts 738, 740 and
744 are stored beside it as companion files.
"""

from __future__ import annotations

import json
import re

from harmonize.ingest.refresh import Context, Download, RefreshError

ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def fetch(ctx: Context) -> Download:
    base = f"{ctx.bases['ecfr']}/api/versioner/v1"
    pages = []
    if ctx.as_of:
        issue = ctx.as_of
    else:
        url = f"{base}/titles"
        pages.append(url)
        try:
            titles = json.loads(ctx.page(url, "json"))
            title = next(t for t in titles["titles"] if int(t.get("number", 0)) == 15)
        except (KeyError, TypeError, ValueError, StopIteration) as error:
            raise RefreshError(f"{url}: no title 15 in the titles list ({error})") from None
        issue = str(title.get("latest_issue_date") or title.get("up_to_date_as_of") or "")
        if not ISO.match(issue):
            raise RefreshError(f"{url}: title 15 has no latest_issue_date ({issue!r})")
    main = ctx.get(f"{base}/full/{issue}/title-15.xml?part=774", "xml",
                   f"title-15-{issue}.xml", ("DIV5", "ECFR", "DIV1", "DIV9"))
    companions = [ctx.get(f"{base}/full/{issue}/title-15.xml?part={part}", "xml",
                          f"title-15-part-{part}-{issue}.xml.companion",
                          ("DIV5", "ECFR", "DIV1"))
                  for part in ("738", "740", "744")]
    return Download(main, companions, pages)
