"""Wassenaar Word editions: one edition's section files read as raw lines (`.doc` through
antiword or catdoc, `.docx` through python-docx), with its version date and citation."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from harmonize.ingest.source import LoaderError
from loaders.wassenaar.meta import SECTION_FILES, TOOL_TIMEOUT

DATE = re.compile(r"\b(\d{2})-(\d{2})-(\d{4})\b")
WA_LIST = re.compile(r"WA-LIST\s*\(\d{2}\)\s*\d(?:\s*Corr\.?\s*\d?)?")


@dataclass(frozen=True)
class RawLine:
    """One Word paragraph as the extraction tool printed it."""

    text: str  # stripped, tabs kept
    tabs: int  # leading tabs (after any leading spaces)
    spaces: int  # leading spaces (the paragraph's left indent, roughly in characters)
    location: str  # "<file>, line N"


@dataclass
class Edition:
    """One edition read from its folder: the raw lines of each section."""

    folder: Path
    version: str
    citation: str
    sections: dict[str, list[tuple[Path, list[RawLine]]]] = field(default_factory=dict)
    other_files: list[str] = field(default_factory=list)


# -- text extraction -------------------------------------------------------------------------

def doc_text(path: Path) -> str:
    """Text of a legacy Word file through antiword (or catdoc); LoaderError when neither is
    installed or the file is not a Word document."""
    for tool, argv in (("antiword", ["antiword", "-w", "0"]), ("catdoc", ["catdoc", "-w"])):
        if shutil.which(tool) is None:
            continue
        try:
            done = subprocess.run([*argv, str(path)], capture_output=True,
                                  timeout=TOOL_TIMEOUT, check=False)
        except subprocess.TimeoutExpired as error:
            raise LoaderError(path, "whole file", f"{tool} took over {TOOL_TIMEOUT} s") from error
        if done.returncode != 0:
            message = done.stderr.decode("utf-8", "replace").strip()[:200]
            raise LoaderError(path, "whole file", f"{tool} cannot read it: {message}")
        return done.stdout.decode("utf-8", "replace")
    raise LoaderError(path, "whole file", "reading legacy .doc files needs antiword or catdoc "
                      "(Debian: apt-get install antiword)")


def docx_text(path: Path) -> tuple[str, str]:
    """(body text, footer text) of a .docx: one line per paragraph, tabs kept."""
    import docx  # python-docx; only for the .docx sections

    try:
        document = docx.Document(str(path))
    except Exception as error:  # zipfile/lxml errors on a damaged file
        raise LoaderError(path, "whole file", f"not a readable .docx: {error}") from error
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for child in document.element.body.iterchildren():
        tag = etree.QName(child).localname
        if tag == "p":
            lines.append(Paragraph(child, document).text)
        elif tag == "tbl":  # rows as antiword prints them: |cell|cell|
            for row in Table(child, document).rows:
                cells = [" ".join(c.text.split()) for c in row.cells]
                lines.append("|" + "|".join(cells) + "|")
    footer = "\n".join(p.text for s in document.sections for p in s.footer.paragraphs)
    return "\n".join(lines), footer


def raw_lines(text: str, name: str) -> list[RawLine]:
    out: list[RawLine] = []
    for number, line in enumerate(text.replace("\r", "").split("\n"), start=1):
        line = line.replace("\xa0", " ").replace("\f", "")
        stripped = line.strip()
        if not stripped:
            continue
        lead = line[: len(line) - len(line.lstrip(" \t"))]
        out.append(RawLine(stripped, lead.count("\t"), len(lead.split("\t", 1)[0]),
                           f"{name}, line {number}"))
    return out


def section_of(name: str) -> str:
    return next((sec for sec, pattern in SECTION_FILES if pattern.search(name)), "other")


def read_edition(folder: Path) -> Edition:
    """Every section file of one edition folder, read once."""
    folder = Path(folder)
    if folder.is_file():
        folder = folder.parent
    files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")
                   and p.suffix.lower() in (".doc", ".docx"))
    if not files:
        raise LoaderError(folder, "folder", "no .doc or .docx section files")
    edition = Edition(folder, "", "")
    dates: list[str] = []
    for path in files:
        section = section_of(path.stem)
        if section == "other":
            edition.other_files.append(path.name)
            continue
        if path.suffix.lower() == ".docx":
            text, footer = docx_text(path)
            dates.extend(f"{m[3]}-{m[2]}-{m[1]}" for m in DATE.finditer(footer))
            if section == "contents" and not edition.citation:
                found = WA_LIST.search(footer) or WA_LIST.search(text)
                edition.citation = found.group(0) if found else ""
        else:
            text = doc_text(path)
        if section == "contents":
            dates[:0] = [f"{m[3]}-{m[2]}-{m[1]}" for m in DATE.finditer(text)]
            found = WA_LIST.search(text)
            if found and not edition.citation:
                edition.citation = found.group(0)
            continue
        edition.sections.setdefault(section, []).append((path, raw_lines(text, path.name)))
    if not dates:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", folder.name):
            dates.append(folder.name)
        else:
            raise LoaderError(folder, "table of contents",
                              "no dd-mm-yyyy date: not a WA-LIST edition?")
    edition.version = dates[0]
    if "dual-use" not in edition.sections:
        raise LoaderError(folder, "folder", "no 'Cat N' section files: not a WA-LIST edition")
    edition.citation = " ".join((edition.citation or "WA-LIST").split()).rstrip("*")
    return edition
