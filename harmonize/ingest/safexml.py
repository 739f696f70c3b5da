"""Secure XML and HTML parsing, set up once for every loader and for refresh's checks.

XML: entities are never expanded (billion laughs, external entities), no DTD is loaded, nothing
is fetched from the network, and lxml's huge-tree mode stays off (its limits on depth and text
size hold: the largest official file, the DSGL's 5 MB document.xml, is far below them);
comments and processing instructions are dropped. HTML: lxml's HTML parser, which never loads a
DTD, with the network off and comments dropped.
"""

from __future__ import annotations

from pathlib import Path

import lxml.html
from lxml import etree

from harmonize.ingest.source import LoaderError


def xml_parser() -> etree.XMLParser:
    """A new parser with the rules above (lxml parsers are not shared between threads)."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, remove_comments=True,
                           remove_pis=True)


def parse_xml(data: bytes, path: Path | str, where: str = "") -> etree._Element:
    """The root element of an XML document; LoaderError naming the file (and the part, e.g. a
    zip member, in `where`), the line and column when it is not well-formed XML."""
    try:
        root = etree.fromstring(data, xml_parser())
    except etree.XMLSyntaxError as error:
        place = f"{where + ', ' if where else ''}line {error.lineno}, column {error.offset}"
        raise LoaderError(path, place, f"not well-formed XML (truncated?): {error.msg}") \
            from error
    if root is None:
        raise LoaderError(path, where or "whole file", "empty XML document")
    return root


def html_parser(encoding: str | None = None) -> lxml.html.HTMLParser:
    """An HTML parser with the network off and comments and processing instructions dropped."""
    return lxml.html.HTMLParser(encoding=encoding, no_network=True, remove_comments=True,
                                remove_pis=True)
