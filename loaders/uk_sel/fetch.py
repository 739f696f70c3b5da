"""Refresh: the consolidated list from GOV.UK (publishers `govuk` and `govuk-assets`; the
current list only).

The publication page (`meta.PUBLICATION_PAGE`) links the list's PDF attachment on
assets.publishing.service.gov.uk.
"""

from __future__ import annotations

import re
import urllib.parse

from harmonize.ingest.refresh import Context, Download, RefreshError
from loaders.uk_sel.meta import PUBLICATION_PAGE

LIST_LINK = re.compile(r"control.list|export.control", re.I)


def fetch(ctx: Context) -> Download:
    url = f"{ctx.bases['govuk']}{PUBLICATION_PAGE}"
    links = [href for href, text in ctx.links(url)
             if href.lower().split("?")[0].endswith(".pdf") and LIST_LINK.search(href + " " + text)]
    if not links:
        raise RefreshError(f"{url}: no PDF attachment of the control list")
    return Download(ctx.get(links[0], "pdf", urllib.parse.urlsplit(links[0]).path), [], [url])
