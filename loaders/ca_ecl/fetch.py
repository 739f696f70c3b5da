"""Refresh: the regulation's XML from Justice Canada (publisher `justice-ca`; the current
consolidation only): `/eng/XML/SOR-89-202.xml`."""

from __future__ import annotations

from harmonize.ingest.refresh import Context, Download


def fetch(ctx: Context) -> Download:
    url = f"{ctx.bases['justice-ca']}/eng/XML/SOR-89-202.xml"
    return Download(ctx.get(url, "xml", "SOR-89-202.xml", ("Regulation",)))
